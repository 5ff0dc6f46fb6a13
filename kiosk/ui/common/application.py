"""Creating the QApplication with the kiosk's fonts and theme loaded app-wide."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk import fonts
from kiosk.ui.common.heartbeat import start_heartbeat
from kiosk.ui.common.qt_messages import install_qt_message_handler

__all__ = ["application", "load_fonts", "loaded_faces"]

_log = logging.getLogger(__name__)


_loaded: list[fonts.FontFace] = []


def loaded_faces() -> list[fonts.FontFace]:
    """The faces Qt accepted, in fallback order (the first one is the UI font)."""
    return list(_loaded)


def load_fonts() -> list[str]:
    """Register the bundled UD fonts and the script fonts found; return the family names.

    Loading the files ourselves renders Japanese on a machine with no CJK font, and giving Qt
    the explicit fallback order stops fontconfig from picking arbitrary fonts per character.
    """
    families: list[str] = []
    if _loaded:
        return [face.family for face in _loaded]
    for face in [*fonts.bundled_faces(), *fonts.screen_faces()[1:]]:
        font_id = QFontDatabase.addApplicationFont(str(face.path))
        if font_id < 0:
            _log.warning("Qt could not load font %s", face.path)
            continue
        registered = QFontDatabase.applicationFontFamilies(font_id)
        families.extend(registered)
        if face.family in registered and not face.bold and face.path != fonts.form_face().path:
            _loaded.append(face)
    return families


def application() -> QApplication:
    """The process's QApplication, created once with the UI font set app-wide."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        install_qt_message_handler()     # Qt's warnings may quote values: place only
        app = QApplication(sys.argv[:1])
        app.setApplicationName("kakanai-kiosk")
        app.setOrganizationName("Tome City")
        start_heartbeat(app)
    load_fonts()
    if _loaded:
        font = QFont(_loaded[0].family)
        # Per-character fallback: Vietnamese diacritics, Devanagari, hanzi and 外字 (𠮷) that
        # BIZ UD Gothic lacks come from the next family that has them.
        font.setFamilies([face.family for face in _loaded])
        font.setPointSize(14)
        app.setFont(font)
    return app
