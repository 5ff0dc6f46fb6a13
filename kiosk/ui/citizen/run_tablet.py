"""Running the tablet as this device's only front end (``kiosk tablet``).

The start is in phases so that a citizen never faces a blank screen: the picture of the
start-up Welcome kept at the previous start (:mod:`kiosk.ui.citizen.welcome_picture`) is
shown as soon as Qt is up, then the start-up Welcome itself in its place while the services
are built, then the tablet (:mod:`kiosk.ui.citizen.tablet_start`). The taps made on the way
(a language, Start) are carried over. This module imports only what the picture needs: the
rest is imported once it is on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.citizen.welcome_picture import shown_picture
from kiosk.ui.common.qt_app import qt_application

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.config_sections import UiConfig
    from kiosk.ui.citizen.tablet_start import TabletStart

__all__ = ["run_tablet"]


def run_tablet(ui: UiConfig, build: Callable[[], Services], *, quit_after: float = 0.0,
               report: Path | None = None, taken_over: Callable[[], object] | None = None,
               pictures: Path | None = None) -> int:
    """Show the tablet (full screen in kiosk mode) and run the Qt event loop.

    The start-up Welcome is drawn from ``ui`` (the configuration's ``[ui]``); ``build`` makes
    and starts this device's services (it may read the rest of the configuration first); it
    runs on a worker thread while the start-up Welcome is shown. ``report``: a JSON file
    rewritten on every screen with the places of its buttons. ``taken_over``: called on the
    GUI thread once the tablet is shown (work no screen waits for). ``pictures``: the folder
    where the Welcome's picture is kept, shown first at the next start. Errors raised by
    ``build`` are raised again here.
    """
    app = qt_application()
    picture = shown_picture(ui, pictures) if pictures is not None else None
    early = ScreenReport(picture, report) if picture is not None and report is not None else None
    started: list[TabletStart] = []
    unbuilt: list[Exception] = []

    def begin() -> None:
        # Imported once the picture is on the screen (when there is one).
        from kiosk.ui.citizen.tablet_start import TabletStart  # noqa: PLC0415
        from kiosk.ui.common.application import application  # noqa: PLC0415

        # The start-up Welcome draws with the UI font alone; the others are registered when
        # the tablet takes over (each costs the first screen a millisecond).
        application(first_screen=True)
        start = TabletStart(ui, build, report=report, taken_over=taken_over, picture=picture,
                            pictures=pictures, screen_report=early)
        started.append(start)
        # The error is raised again below: the command prints it like any other start error.
        start.failed.connect(lambda: app.exit(1))
        start.start()

    def begin_after_picture() -> None:
        try:
            begin()
        except Exception as exc:     # raised again below, as when no picture was shown
            unbuilt.append(exc)
            app.exit(1)

    if picture is None:
        begin()
    else:
        QTimer.singleShot(0, begin_after_picture)   # once the picture is drawn and reported
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    code = app.exec()
    if unbuilt:
        raise unbuilt[0]
    if not started:
        if early is not None:
            early.stop()
        return code                     # quit before the Welcome was even built
    _end(started[0])
    return code


def _end(start: TabletStart) -> None:
    """After the event loop: the services closed or their error raised again."""
    if start.report is not None:
        start.report.stop()
    if start.window is None and start.loader.error is None:
        start.loader.wait()      # closed before the services were ready: let them be closed
    if start.loader.error is not None:
        raise start.loader.error
