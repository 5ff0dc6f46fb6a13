"""Creating the QApplication with the kiosk's fonts and theme loaded app-wide."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk import fonts

__all__ = ["application", "load_fonts"]

_log = logging.getLogger(__name__)


def load_fonts() -> list[str]:
    """Register the bundled UD fonts (and IPAmj Mincho when installed); return the families.

    Loading the files ourselves renders Japanese on a machine with no CJK font, and setting one
    family app-wide stops fontconfig from mixing two fonts in one line.
    """
    families: list[str] = []
    faces = [*fonts.bundled_faces()]
    fallback = fonts.fallback_face()
    if fallback is not None:
        faces.append(fallback)
    for face in faces:
        font_id = QFontDatabase.addApplicationFont(str(face.path))
        if font_id < 0:
            _log.warning("Qt could not load font %s", face.path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def application() -> QApplication:
    """The process's QApplication, created once with the UI font set app-wide."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("kakanai-kiosk")
        app.setOrganizationName("Tome City")
    families = load_fonts()
    ui_family = fonts.ui_face().family
    if ui_family in families:
        font = QFont(ui_family)
        fallback = fonts.fallback_face()
        if fallback is not None:
            # Per-character fallback for 外字 that BIZ UD Gothic lacks (𠮷, 﨑 variants...).
            font.setFamilies([ui_family, fallback.family])
        font.setPointSize(14)
        app.setFont(font)
    return app
