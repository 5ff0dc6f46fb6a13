"""Running the tablet as this device's only front end (``kiosk tablet``).

The start is in phases so that a citizen never faces a blank screen: the picture of the
start-up Welcome kept at the previous start (:mod:`kiosk.ui.citizen.welcome_picture`) is
shown as soon as Qt is up and the services are built behind it; then the tablet takes its
place (:mod:`kiosk.ui.citizen.tablet_start`). A tap on the picture brings the start-up
Welcome itself in its place first, to answer it; a first start (no picture yet) draws that
Welcome at once. The taps made on the way (a language, Start) are carried over. This module
imports only what the picture needs: the rest is imported once it is on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.citizen.welcome_picture import chosen_on, shown_picture
from kiosk.ui.common.qt_app import qt_application

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.config_sections import UiConfig
    from kiosk.ui.citizen.tablet import TabletWindow
    from kiosk.ui.citizen.tablet_start import ServicesLoader, TabletStart

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
    run = _Run(ui, build, report=report, taken_over=taken_over, pictures=pictures)
    # The error is raised again by end: the command prints it like any other start error.
    run.failed = lambda: app.exit(1)
    if run.picture is None:
        run.begin()
    else:
        run.picture.first_paint.then(run.after_picture)
    if quit_after > 0:
        # exit, not quit: quit asks the windows, and in kiosk mode they refuse to close.
        QTimer.singleShot(int(quit_after * 1000), lambda: app.exit(0))
    code = app.exec()
    run.end()
    return code


class _Run:
    """The phases of one start: the picture (if kept), the services, the Welcome (if the
    picture was tapped, or none was kept), the tablet, the end."""

    def __init__(self, ui: UiConfig, build: Callable[[], Services], *, report: Path | None,
                 taken_over: Callable[[], object] | None, pictures: Path | None) -> None:
        self.ui, self.build, self.report = ui, build, report
        self.taken_over, self.pictures = taken_over, pictures
        self.picture = shown_picture(ui, pictures) if pictures is not None else None
        self.early: ScreenReport | None = None
        self.failed: Callable[[], object] = lambda: None
        self.start: TabletStart | None = None
        self.loader: ServicesLoader | None = None
        self.window: TabletWindow | None = None     # taken over from the picture
        self.unbuilt: Exception | None = None

    def after_picture(self) -> None:
        """Once the picture is on the screen: its report, then the services, on a turn of
        the event loop of its own (taps on the picture are taken meanwhile). The start-up
        Welcome is built only if the picture is tapped: it answers the tap (a language
        chosen, Start pressed); a picture nobody touched is replaced by the tablet itself."""
        if self.picture is None:
            return
        if self.report is not None:
            self.early = ScreenReport(self.picture, self.report)    # written on the next turn
        self.picture.tapped.connect(lambda: QTimer.singleShot(0, self.begin_after_picture))
        QTimer.singleShot(0, self.load)

    def load(self) -> None:
        """Start building the services: behind the picture (they are the longest part of the
        start)."""
        from kiosk.ui.citizen.tablet_start import ServicesLoader  # noqa: PLC0415
        from kiosk.ui.common.application import preload_fonts  # noqa: PLC0415

        # The fonts, which the picture does not need, on a core of their own meanwhile.
        preload_fonts()
        self.loader = ServicesLoader(self.build)
        self.loader.done.connect(self.take_over_from_picture)
        self.loader.start()
        if self.picture is not None:
            # Its pixels copied out of the file it was drawn from, while the services load
            # (Qt copies them without the interpreter lock): see Picture.detach.
            QTimer.singleShot(0, self.picture.picture.detach)

    def take_over_from_picture(self) -> None:
        """The services are built: the tablet takes the picture's place, unless it was
        tapped and the start-up Welcome took it first (that one hands over then)."""
        from kiosk.services.visit import Stage  # noqa: PLC0415 - loaded with the services
        from kiosk.ui.citizen.tablet_start import check_kept_picture, show_tablet  # noqa: PLC0415

        picture, loader = self.picture, self.loader
        if self.start is not None or picture is None or loader is None:
            return
        picture.handed_over = True
        if loader.error is not None or loader.services is None:
            self.failed()
            return
        # Taps still queued for the picture are taken first, then carried over.
        QApplication.processEvents()
        language, start = chosen_on(picture.taps, self.ui.default_language)
        try:
            self.window = show_tablet(loader.services, picture, language=language, start=start,
                                      report=self.early, taken_over=self.taken_over)
        except Exception as exc:  # raised again by end: never a picture stuck forever
            self.unbuilt = exc
            self.failed()
            return
        if self.pictures is not None:
            ui, pictures, visit = self.ui, self.pictures, self.window.tablet.visit

            def check() -> None:
                # Not while a citizen goes on from the Welcome: the next start checks it.
                if visit.stage is Stage.WELCOME:
                    check_kept_picture(ui, picture, pictures)

            # The Welcome this start never drew is drawn off the screen, once the tablet is
            # up and settled, to see whether the picture still shows it. With the tablet as
            # the timer's context: not after it is gone.
            QTimer.singleShot(_CHECK_AFTER_MS, self.window, check)

    def begin(self) -> None:
        """Build and show the start-up Welcome (in the picture's place)."""
        # Imported once the picture is on the screen (when there is one).
        from kiosk.ui.citizen.tablet_start import TabletStart  # noqa: PLC0415
        from kiosk.ui.common.application import application  # noqa: PLC0415

        # Every font, as once the tablet is up (about 13 ms more than the UI font alone): the
        # Welcome is drawn with the fonts the tablet's Welcome and check_kept_picture use.
        application()
        self.start = TabletStart(self.ui, self.build, report=self.report,
                                 taken_over=self.taken_over, picture=self.picture,
                                 pictures=self.pictures, screen_report=self.early,
                                 loader=self.loader)
        self.start.failed.connect(self.failed)
        self.start.start()

    def begin_after_picture(self) -> None:
        """:meth:`begin` on the first tap on the picture, before the tablet took over; an
        error is raised again by :meth:`end`."""
        if self.start is not None or self.window is not None or self.unbuilt is not None:
            return          # a second tap, or one the tablet took over
        if self.picture is not None and self.picture.handed_over:
            return
        try:
            self.begin()
        except Exception as exc:  # as when no picture was shown: raised by run_tablet
            self.unbuilt = exc
            self.failed()

    def end(self) -> None:
        """After the event loop: the services' thread ended and its error, or the Welcome's,
        raised again (the caller closes the services)."""
        start = self.start
        if start is None:
            if self.early is not None:
                self.early.stop()
            if self.loader is not None:
                self.loader.wait()
                if self.loader.error is not None:
                    raise self.loader.error
            if self.unbuilt is not None:
                raise self.unbuilt
            return                      # quit before the Welcome was even built
        if start.report is not None:
            start.report.stop()
        if start.window is None and start.loader.error is None:
            start.loader.wait()  # closed before the services were ready: let them be closed
        if start.loader.error is not None:
            raise start.loader.error


_CHECK_AFTER_MS = 3000
"""When the tablet took over from an untouched picture, how long after it the picture is
checked against the Welcome drawn off the screen (:meth:`_Run.take_over_from_picture`)."""
