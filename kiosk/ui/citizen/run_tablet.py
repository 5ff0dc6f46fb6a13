"""Running the tablet as this device's only front end (``kiosk tablet``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.citizen.tablet_factory import make_tablet_window
from kiosk.ui.common.application import application

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["run_tablet"]


def run_tablet(services: Services, *, quit_after: float = 0.0, report: Path | None = None) -> int:
    """Show the tablet (full screen in kiosk mode) and run the Qt event loop.

    ``report``: a JSON file rewritten on every screen with the places of its buttons.
    """
    app = application()
    window = make_tablet_window(services)
    window.setWindowTitle("Tome City — citizen tablet")
    if window.kiosk_mode:
        # Without a window manager (a bare X session started by the kiosk unit, or Xvfb) no one
        # acts on the full-screen request: cover the screen ourselves as well.
        window.setGeometry(app.primaryScreen().geometry())
        window.showFullScreen()
    else:
        window.resize(800, 1280)
        window.show()
    window.tablet.idle.start()
    app.installEventFilter(window.tablet.idle)
    if report is not None:
        ScreenReport(window, report)
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    return app.exec()
