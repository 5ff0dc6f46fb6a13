"""The process's QApplication, before any font or style: what a first screen needs of Qt."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from kiosk.ui.common.heartbeat import start_heartbeat
from kiosk.ui.common.plain_import import restore_plain_import
from kiosk.ui.common.qt_messages import install_qt_message_handler

__all__ = ["qt_application"]


def qt_application() -> QApplication:
    """The process's QApplication, created once, without the kiosk's fonts (a first screen
    that draws no text, the tablet's kept Welcome picture, is shown before they are loaded).

    PySide6's import hook is taken out first (:mod:`~kiosk.ui.common.plain_import`): each
    module the front end imports after this would pay for it.
    """
    restore_plain_import()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    install_qt_message_handler()     # Qt's warnings may quote values: place only
    app = QApplication(sys.argv[:1])
    app.setApplicationName("kakanai-kiosk")
    app.setOrganizationName("Tome City")
    start_heartbeat(app)
    return app
