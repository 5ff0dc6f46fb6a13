"""Running the tablet as this device's only front end (``kiosk tablet``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from kiosk.ui.citizen.tablet_factory import make_tablet_window
from kiosk.ui.common.application import application

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["run_tablet"]


def run_tablet(services: Services, *, quit_after: float = 0.0) -> int:
    """Show the tablet (full screen in kiosk mode) and run the Qt event loop."""
    app = application()
    window = make_tablet_window(services)
    window.setWindowTitle("Tome City — citizen tablet")
    if window.kiosk_mode:
        window.showFullScreen()
    else:
        window.resize(800, 1280)
        window.show()
    window.tablet.idle.start()
    app.installEventFilter(window.tablet.idle)
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    return app.exec()
