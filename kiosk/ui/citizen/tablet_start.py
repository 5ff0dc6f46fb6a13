"""The start of ``kiosk tablet`` once its first window is up: the start-up Welcome, the
services built behind it, then the tablet.

:class:`TabletStart` shows the start-up Welcome
(:class:`~kiosk.ui.citizen.boot_screen.BootWindow`), in the place of the kept picture of it
when one was shown (:mod:`kiosk.ui.citizen.welcome_picture`, whose taps it carries over),
while :class:`ServicesLoader` builds the services (database, forms, card reader) and loads
the tablet's modules on a worker thread; then the tablet takes over on the GUI thread with
the language and the Start tap (:func:`show_tablet`). It keeps a new picture of the Welcome for
the next start when the one shown differs. A start whose picture nobody tapped never builds the
start-up Welcome: the tablet takes the picture's place (:mod:`kiosk.ui.citizen.run_tablet`),
and :func:`check_kept_picture` draws the Welcome off the screen afterwards to compare.
"""

from __future__ import annotations

import gc
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
    keep_picture,
    welcome_picture_key,
)

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.config_sections import UiConfig
    from kiosk.ui.citizen.boot_screen import BootWindow
    from kiosk.ui.citizen.tablet import TabletWindow

__all__ = ["ServicesLoader", "TabletStart", "boot_window", "check_kept_picture", "show_tablet"]


class ServicesLoader(QObject):
    """Runs ``build`` on a worker thread and emits :attr:`done` on the GUI thread after it.

    ``build`` must not touch widgets. When it raises, :attr:`error` holds the exception.
    :attr:`finished` tells one who connects late (the signal is not sent again) that it ended.

    Python's cyclic garbage collector is paused while it builds (unless it is paused already,
    as ``kiosk tablet`` does from before Qt is imported) and resumed on the GUI thread once it
    is done: no collection runs on the worker thread, where it could free a widget's wrapper
    off the GUI thread, and the imports' few hundred thousand long-lived objects set off no
    collections while they load.
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
        self._collection_paused = False
        # Connected first, so called first: collections resume before the tablet is built.
        self.done.connect(self._resume_collection)

    def start(self) -> None:
        """Start building."""
        self.started = True
        if gc.isenabled():
            gc.disable()
            self._collection_paused = True
        self._thread.start()

    def wait(self) -> None:
        """Block until the build has ended (used when the window closes before it did);
        at once if it never started."""
        if self.started:
            self._thread.join()
        self._resume_collection()

    def _resume_collection(self) -> None:
        if self._collection_paused:
            self._collection_paused = False
            gc.enable()

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
        super().__init__()
        self.ui = ui
        self.taken_over = taken_over
        self.picture = picture
        self.pictures = pictures
        self.boot = boot_window(ui)
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
        keep_picture(boot, welcome_picture_key(self.ui), None if shown is None else shown.picture,
                     self.pictures / WELCOME_PICTURE)

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
        return show_tablet(services, self.boot, language=self.boot.chosen_language,
                           start=self.boot.start_requested, report=self.report,
                           taken_over=self.taken_over)


def boot_window(ui: UiConfig, *, hidden: bool = False) -> BootWindow:
    """The start-up Welcome for ``ui``, not yet shown. ``hidden``: never on the screen, drawn
    only to be looked at (:func:`check_kept_picture`)."""
    # Imported here: the kept picture is on the screen before these modules are loaded.
    from kiosk.ui.citizen.boot_screen import BootWindow  # noqa: PLC0415
    from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL  # noqa: PLC0415
    from kiosk.ui.common.touch_size import min_target_px, screen_dpi  # noqa: PLC0415

    boot = BootWindow(languages=ui.languages, language=ui.default_language,
                      target=min_target_px(screen_dpi(ui.screen_dpi)),
                      theme=HIGH_CONTRAST if ui.high_contrast else NORMAL,
                      text_scale=ui.text_scale, kiosk_mode=ui.fullscreen)
    boot.setWindowTitle(TITLE)
    if hidden:
        from PySide6.QtCore import Qt  # noqa: PLC0415

        boot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    return boot


def show_tablet(services: Services, before: BootWindow | PictureWindow, *, language: str,
                start: bool, report: ScreenReport | None,
                taken_over: Callable[[], object] | None) -> TabletWindow:
    """The tablet, shown in the place of ``before`` (the start-up Welcome, or its picture
    when nobody tapped it) with the ``language`` chosen there and Start if it was tapped;
    ``before`` closed, ``report`` following the tablet, ``taken_over`` called on the next turn
    of the event loop."""
    from kiosk.ui.citizen.tablet_factory import make_tablet_window  # noqa: PLC0415
    from kiosk.ui.common.application import application  # noqa: PLC0415

    application()       # the kiosk's fonts: none yet after a picture (it draws no text)
    window = make_tablet_window(services)
    window.setWindowTitle(TITLE)
    visit = window.tablet.visit
    if language != visit.language:
        visit.set_language(language)
    if start:
        visit.start()
    if not window.kiosk_mode:
        window.setGeometry(before.geometry())
    show_window(window, kiosk_mode=window.kiosk_mode)
    before.handed_over = True
    before.close()
    window.tablet.watch_idle()
    if report is not None:
        report.follow(window)
    if taken_over is not None:
        # Once the event loop has drawn the tablet, as the loader after the Welcome.
        QTimer.singleShot(0, taken_over)
    return window


def check_kept_picture(ui: UiConfig, shown: PictureWindow, pictures: Path) -> bool:
    """Keep a new picture of the start-up Welcome if the one ``shown`` at this start is no
    longer how it is drawn (a new build of the same version, other fonts); whether it did.

    For a start that took over straight from the picture (nobody tapped it, so the Welcome
    itself was never built): the Welcome is built off the screen, at the picture's place,
    after the tablet is up.
    """
    boot = boot_window(ui, hidden=True)
    try:
        boot.setGeometry(shown.geometry())
        boot.show()
        return keep_picture(boot, shown.picture.key, shown.picture, pictures / WELCOME_PICTURE)
    finally:
        boot.handed_over = True
        boot.close()
        boot.deleteLater()
