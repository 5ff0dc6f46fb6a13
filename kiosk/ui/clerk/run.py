"""Runs the clerk desktop as its own application (``kiosk clerk``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from kiosk.i18n import S_, staff_translator
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.common.application import application
from kiosk.ui.common.theme import NORMAL

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["run_clerk"]


def run_clerk(services: Services, *, quit_after: float = 0.0) -> int:
    """Show the clerk desktop and run the Qt event loop (``quit_after`` seconds if > 0)."""
    app = application()
    tr = staff_translator("ja")
    window = QMainWindow()
    window.setWindowTitle(f"{tr(S_('Clerk desktop'))} — {services.config.device.counter}")
    window.setCentralWidget(ClerkWindow(services, tr=tr))
    window.setStyleSheet(NORMAL.stylesheet())
    window.resize(1200, 800)
    window.show()
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    return app.exec()
