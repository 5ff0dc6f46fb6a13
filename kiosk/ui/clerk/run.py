"""Runs the clerk desktop as its own application (``kiosk clerk``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from kiosk.doctor import Check
from kiosk.i18n import S_, staff_translator
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.clerk.desk_report import describe_desk
from kiosk.ui.common.application import application
from kiosk.ui.common.theme import NORMAL
from kiosk.ui.common.widget_report import WidgetReport

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["run_clerk"]


def run_clerk(services: Services, checks: Sequence[Check] = (), *, quit_after: float = 0.0,
              report: Path | None = None) -> int:
    """Show the clerk desktop, ``checks`` (the device's self-tests) under its login, and run
    the Qt event loop (``quit_after`` seconds if > 0); ``report``: keep that JSON file up to
    date with what the desk shows."""
    app = application()
    tr = staff_translator("ja")
    window = QMainWindow()
    window.setWindowTitle(f"{tr(S_('Clerk desktop'))} — {services.config.device.counter}")
    window.setCentralWidget(ClerkWindow(services, tr=tr, checks=checks))
    window.setStyleSheet(NORMAL.stylesheet())
    window.resize(1200, 800)
    window.show()
    watcher = WidgetReport(window, report, describe_desk) if report is not None else None
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    try:
        return app.exec()
    finally:
        if watcher is not None:
            watcher.stop()
