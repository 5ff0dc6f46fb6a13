"""Creating the QApplication with the kiosk's fonts and theme loaded app-wide."""

from __future__ import annotations

import logging
import threading

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk import fonts
from kiosk.ui.common.qt_app import qt_application

__all__ = ["application", "load_fonts", "loaded_faces", "preload_fonts"]

_log = logging.getLogger(__name__)


_faces: list[fonts.FontFace] = []           # the screens' faces, in fallback order
_accepted: dict[fonts.FontFace, bool] = {}  # the files Qt was given: whether it took them
_preloading: list[threading.Thread] = []    # preload_fonts's thread, once started


def loaded_faces() -> list[fonts.FontFace]:
    """The faces the screens draw with, in fallback order (the first one is the UI font),
    less those Qt refused."""
    return [face for face in _fallback_faces() if _accepted.get(face, True)]


def _fallback_faces() -> list[fonts.FontFace]:
    # The UI font, the fixed-width one (same coverage), the script fonts, the rare kanji.
    if not _faces:
        screen = fonts.screen_faces()
        _faces.extend([screen[0], fonts.digits_face(), *screen[1:]])
    return _faces


def preload_fonts() -> None:
    """Start registering the fonts (:func:`load_fonts`) on a thread of their own, once the
    QApplication exists; :func:`load_fonts` waits for it.

    Every function of QFontDatabase is thread-safe, and Qt reads and parses the files without
    holding Python's interpreter lock: on a second core, the 20-40 ms of an uncached start
    are then off the GUI thread's way. Does nothing if the fonts are registered already.
    """
    if not _preloading and not _accepted:
        thread = threading.Thread(target=_register_fonts, name="fonts", daemon=True)
        _preloading.append(thread)
        thread.start()


def load_fonts() -> list[str]:
    """Register the bundled UD fonts and the script fonts found; return the family names.

    Loading the files ourselves renders Japanese on a machine with no CJK font, and giving Qt
    the explicit fallback order stops fontconfig from picking arbitrary fonts per character.
    Registering twice does nothing; a registration :func:`preload_fonts` started is waited for.
    """
    for thread in _preloading:
        thread.join()
    return _register_fonts()


def _register_fonts() -> list[str]:
    families: list[str] = []
    for face in [*fonts.bundled_faces(), *fonts.screen_faces()[1:]]:
        if face in _accepted:
            continue
        font_id = QFontDatabase.addApplicationFont(str(face.path))
        registered = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _accepted[face] = face.family in registered
        if font_id < 0:
            _log.warning("Qt could not load font %s", face.path)
        families.extend(registered)
    return families


def application() -> QApplication:
    """The process's QApplication, created once with the UI font set app-wide."""
    app = qt_application()
    load_fonts()
    faces = loaded_faces()
    if faces and faces[0] == fonts.ui_face():
        font = QFont(faces[0].family)
        # Per-character fallback: Vietnamese diacritics, Devanagari, hanzi and 外字 (𠮷) that
        # BIZ UD Gothic lacks come from the next family that has them.
        font.setFamilies([face.family for face in faces])
        font.setPointSize(14)
        app.setFont(font)
    return app
