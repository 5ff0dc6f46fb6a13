"""The start of ``kiosk tablet`` once its first window is up: the start-up Welcome, the
services built behind it, then the tablet.

:class:`TabletStart` shows the start-up Welcome
(:class:`~kiosk.ui.citizen.boot_screen.BootWindow`), in the place of the kept picture of it
when one was shown (:mod:`kiosk.ui.citizen.welcome_picture`, whose taps it carries over),
while :class:`ServicesLoader` builds the services (database, forms, card reader) and loads
the tablet's modules on a worker thread; then the tablet takes over on the GUI thread with
the language and the Start tap. It keeps a new picture of the Welcome for the next start
when the one shown differs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.citizen.showing import TITLE, show_window
from kiosk.ui.citizen.welcome_picture import (
    WELCOME_PICTURE,
    PictureWindow,
    same_pixels,
    take_picture,
    welcome_picture_key,
    write_picture,
)
from kiosk.ui.common.application import load_fonts

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.config_sections import UiConfig
    from kiosk.ui.citizen.tablet import TabletWindow

__all__ = ["ServicesLoader", "TabletStart"]


class ServicesLoader(QObject):
    """Runs ``build`` on a worker thread and emits :attr:`done` on the GUI thread after it.

    ``build`` must not touch widgets. When it raises, :attr:`error` holds the exception.
    :attr:`finished` tells one who connects late (the signal is not sent again) that it ended.
    """

    done = Signal()

    def __init__(self, build: Callable[[], Services]) -> None:
        super().__init__()
        self._build = build
        self.services: Services | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="services-loader", daemon=True)
        self.started = False
        self.finished = False

    def start(self) -> None:
        """Start building."""
        self.started = True
        self._thread.start()

    def wait(self) -> None:
        """Block until the build has ended (used when the window closes before it did);
        at once if it never started."""
        if self.started:
            self._thread.join()

    def _run(self) -> None:
        try:
            self.services = self._build()
            # The screens' modules, imported here rather than on the GUI thread.
            import kiosk.ui.citizen.tablet_factory  # noqa: F401, PLC0415
        except BaseException as exc:    # handed to the GUI thread and raised again there
            self.error = exc
        self.finished = True
        self.done.emit()


class TabletStart(QObject):
    """The start of ``kiosk tablet``: the start-up Welcome, then the tablet when it is ready.

    :attr:`failed` is emitted when the services could not be built (the error is in
    ``loader.error``). ``picture``: the kept Welcome on the screen already, replaced by the
    start-up Welcome at :meth:`start` (its taps carried over); ``pictures``: the folder the
    Welcome's picture is kept in for the next start (none: not kept); ``screen_report``: the
    report already following the picture; ``loader``: the services' loader, started already
    (behind the picture) or not.
    """

    failed = Signal()

    def __init__(self, ui: UiConfig, build: Callable[[], Services], *,
                 report: Path | None = None,
                 taken_over: Callable[[], object] | None = None,
                 picture: PictureWindow | None = None, pictures: Path | None = None,
                 screen_report: ScreenReport | None = None,
                 loader: ServicesLoader | None = None) -> None:
        # Imported here: the kept picture is on the screen before these modules are loaded.
        from kiosk.ui.citizen.boot_screen import BootWindow  # noqa: PLC0415
        from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL  # noqa: PLC0415
        from kiosk.ui.common.touch_size import min_target_px, screen_dpi  # noqa: PLC0415

        super().__init__()
        self.ui = ui
        self.taken_over = taken_over
        self.picture = picture
        self.pictures = pictures
        self.boot = BootWindow(languages=ui.languages, language=ui.default_language,
                               target=min_target_px(screen_dpi(ui.screen_dpi)),
                               theme=HIGH_CONTRAST if ui.high_contrast else NORMAL,
                               text_scale=ui.text_scale, kiosk_mode=ui.fullscreen)
        self.boot.setWindowTitle(TITLE)
        self.window: TabletWindow | None = None
        self.loader = loader or ServicesLoader(build)
        self._loaded = False
        self.loader.done.connect(self._on_loaded)
        self.report = screen_report
        if self.report is None and report is not None:
            self.report = ScreenReport(self.boot, report)

    def start(self) -> None:
        """Show the start-up Welcome (in the picture's place) and start building the services."""
        picture = self.picture
        if picture is not None:
            self.boot.setGeometry(picture.geometry())
        show_window(self.boot, kiosk_mode=self.boot.kiosk_mode)
        if picture is not None:
            self._replace(picture)
        if not self.loader.started:
            # Once the Welcome is on the screen: the loader's imports hold the GIL much of
            # the time, and would otherwise hold its first paint back.
            self.boot.first_paint.then(self.loader.start)
        elif self.loader.finished:
            # It ended before this start was connected to it: its signal went to no one.
            QTimer.singleShot(0, self._on_loaded)
        if self.pictures is not None:
            QTimer.singleShot(0, self._keep_picture)

    def _replace(self, picture: PictureWindow) -> None:
        self.boot.repaint()         # drawn before the picture goes: nothing blinks
        # Taps still queued for the picture (made while the Welcome was being built) reach it
        # before it goes, to be carried over with the others.
        QApplication.processEvents()
        picture.handed_over = True
        picture.close()
        from PySide6.QtWidgets import QAbstractButton  # noqa: PLC0415

        for name in picture.taps:
            button = self.boot.findChild(QAbstractButton, name)
            if button is not None:
                button.click()      # a disabled one (Start tapped twice) does nothing
        if self.report is not None:
            self.report.follow(self.boot, taking_over=False)

    def _keep_picture(self) -> None:
        """Keep a picture of the Welcome for the next start, if it differs from the one shown
        (a first start, another setting or build); only of the Welcome as nobody touched it."""
        boot, shown = self.boot, self.picture
        touched = (boot.start_requested or boot.chosen_language != self.ui.default_language
                   or (shown is not None and bool(shown.taps)))
        if self.pictures is None or touched or boot.handed_over or not boot.isVisible():
            return
        picture = take_picture(boot, welcome_picture_key(self.ui))
        if shown is not None and same_pixels(picture, shown.picture):
            return
        # Written beside the start: the services' thread is loading meanwhile.
        threading.Thread(target=write_picture, args=(self.pictures / WELCOME_PICTURE, picture),
                         name="welcome-picture", daemon=True).start()

    def _on_loaded(self) -> None:
        if self._loaded:
            return          # told twice: by its signal and by start (it ended in between)
        self._loaded = True
        if self.loader.error is not None or self.loader.services is None:
            self.boot.handed_over = True
            self.failed.emit()
            return
        try:
            self.window = self._take_over(self.loader.services)
        except Exception as exc:  # raised again by run_tablet: never a Welcome stuck forever
            self.loader.error = exc
            self.boot.handed_over = True
            self.failed.emit()

    def _take_over(self, services: Services) -> TabletWindow:
        from kiosk.ui.citizen.tablet_factory import make_tablet_window  # noqa: PLC0415

        load_fonts()        # the fonts the start-up Welcome did without (run_tablet)
        window = make_tablet_window(services)
        window.setWindowTitle(self.boot.windowTitle())
        visit = window.tablet.visit
        if self.boot.chosen_language != visit.language:
            visit.set_language(self.boot.chosen_language)
        if self.boot.start_requested:
            visit.start()
        if not window.kiosk_mode:
            window.setGeometry(self.boot.geometry())
        show_window(window, kiosk_mode=window.kiosk_mode)
        self.boot.handed_over = True
        self.boot.close()
        window.tablet.watch_idle()
        if self.report is not None:
            self.report.follow(window)
        if self.taken_over is not None:
            # Once the event loop has drawn the tablet, as the loader after the Welcome.
            QTimer.singleShot(0, self.taken_over)
        return window
