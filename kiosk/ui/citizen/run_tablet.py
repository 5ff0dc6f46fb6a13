"""Running the tablet as this device's only front end (``kiosk tablet``).

The start is in two phases so that a citizen never faces a blank screen: the start-up Welcome
(:class:`BootWindow`) is shown as soon as Qt is up, while a worker thread builds the services
(database, forms, card reader) and loads the tablet's modules; then the tablet takes over on
the GUI thread, carrying the language and the start tap over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from kiosk.config_sections import UiConfig
from kiosk.ui.citizen.boot_screen import BootWindow
from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.common.application import application, load_fonts
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL
from kiosk.ui.common.touch_size import min_target_px, screen_dpi

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.ui.citizen.tablet import TabletWindow

__all__ = ["ServicesLoader", "TabletStart", "run_tablet"]


class ServicesLoader(QObject):
    """Runs ``build`` on a worker thread and emits :attr:`done` on the GUI thread after it.

    ``build`` must not touch widgets. When it raises, :attr:`error` holds the exception.
    """

    done = Signal()

    def __init__(self, build: Callable[[], Services]) -> None:
        super().__init__()
        self._build = build
        self.services: Services | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="services-loader", daemon=True)

    def start(self) -> None:
        """Start building."""
        self._thread.start()

    def wait(self) -> None:
        """Block until the build has ended (used when the window closes before it did)."""
        self._thread.join()

    def _run(self) -> None:
        try:
            self.services = self._build()
            # The screens' modules, imported here rather than on the GUI thread.
            import kiosk.ui.citizen.tablet_factory  # noqa: F401, PLC0415
        except BaseException as exc:    # handed to the GUI thread and raised again there
            self.error = exc
        self.done.emit()


class TabletStart(QObject):
    """The start of ``kiosk tablet``: the start-up Welcome, then the tablet when it is ready.

    :attr:`failed` is emitted when the services could not be built (the error is in
    ``loader.error``).
    """

    failed = Signal()

    def __init__(self, ui: UiConfig, build: Callable[[], Services], *,
                 report: Path | None = None,
                 taken_over: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.taken_over = taken_over
        self.boot = BootWindow(languages=ui.languages, language=ui.default_language,
                               target=min_target_px(screen_dpi(ui.screen_dpi)),
                               theme=HIGH_CONTRAST if ui.high_contrast else NORMAL,
                               text_scale=ui.text_scale, kiosk_mode=ui.fullscreen)
        self.boot.setWindowTitle("Tome City — citizen tablet")
        self.window: TabletWindow | None = None
        self.loader = ServicesLoader(build)
        self.loader.done.connect(self._on_loaded)
        self.report = ScreenReport(self.boot, report) if report is not None else None

    def start(self) -> None:
        """Show the start-up Welcome and start building the services."""
        _show(self.boot, kiosk_mode=self.boot.kiosk_mode)
        # Once the event loop has drawn the Welcome: the loader's imports hold the GIL much
        # of the time, and would otherwise slow the first paint down.
        QTimer.singleShot(0, self.loader.start)

    def _on_loaded(self) -> None:
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
        _show(window, kiosk_mode=window.kiosk_mode)
        self.boot.handed_over = True
        self.boot.close()
        window.tablet.watch_idle()
        if self.report is not None:
            self.report.follow(window)
        if self.taken_over is not None:
            # Once the event loop has drawn the tablet, as the loader after the Welcome.
            QTimer.singleShot(0, self.taken_over)
        return window


def _show(window: QWidget, *, kiosk_mode: bool) -> None:
    if kiosk_mode:
        # Without a window manager (a bare X session started by the kiosk unit, or Xvfb) no one
        # acts on the full-screen request: cover the screen ourselves as well.
        window.setGeometry(QGuiApplication.primaryScreen().geometry())
        window.showFullScreen()
    else:
        if window.width() < 800:     # the start-up Welcome; the tablet takes its geometry
            window.resize(800, 1280)
        window.show()


def run_tablet(ui: UiConfig, build: Callable[[], Services], *, quit_after: float = 0.0,
               report: Path | None = None, taken_over: Callable[[], object] | None = None
               ) -> int:
    """Show the tablet (full screen in kiosk mode) and run the Qt event loop.

    The start-up Welcome is drawn from ``ui`` (the configuration's ``[ui]``); ``build`` makes
    and starts this device's services (it may read the rest of the configuration first); it
    runs on a worker thread while the start-up Welcome is shown. ``report``: a JSON file
    rewritten on every screen with the places of its buttons. ``taken_over``: called on the
    GUI thread once the tablet is shown (work no screen waits for). Errors raised by
    ``build`` are raised again here.
    """
    # The start-up Welcome draws with the UI font alone; the others are registered when the
    # tablet takes over (each costs the first screen a millisecond).
    app = application(first_screen=True)
    start = TabletStart(ui, build, report=report, taken_over=taken_over)
    # The error is raised again below: the command prints it like any other start error.
    start.failed.connect(lambda: app.exit(1))
    start.start()
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    code = app.exec()
    if start.report is not None:
        start.report.stop()
    if start.window is None and start.loader.error is None:
        start.loader.wait()      # closed before the services were ready: let them be closed
    if start.loader.error is not None:
        raise start.loader.error
    return code
