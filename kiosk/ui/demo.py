"""The demo: the citizen tablet, the clerk desktop and the board as three windows of one process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QWidget

from kiosk import fonts
from kiosk.doctor import Check
from kiosk.i18n import S_, staff_translator
from kiosk.ui.board.factory import make_board
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.common.application import application, loaded_faces
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["demo_windows", "run_demo"]


def demo_windows(services: Services, checks: Sequence[Check]) -> list[QMainWindow]:
    """Build the three windows (not shown yet)."""
    config = services.config
    clerk_tr = staff_translator("ja")
    windows = []
    for title, widget, size, theme in (
        (clerk_tr(S_("Citizen tablet")),
         make_tablet(services), (560, 900), NORMAL),
        (clerk_tr(S_("Clerk desktop")), ClerkWindow(services, tr=clerk_tr, checks=checks),
         (1100, 700), NORMAL),
        (clerk_tr(S_("Waiting-room board")), make_board(services), (800, 600), HIGH_CONTRAST),
    ):
        window = QMainWindow()
        window.setWindowTitle(f"{title} — {config.device.counter}")
        window.setCentralWidget(widget)
        window.setStyleSheet(theme.stylesheet())
        window.resize(*size)
        windows.append(window)
    return windows


def run_demo(services: Services, checks: Sequence[Check], *, quit_after: float = 0.0,
             report: Path | None = None, screenshot: Path | None = None) -> int:
    """Show the three windows side by side and run the Qt event loop."""
    app = application()
    windows = demo_windows(services, checks)
    x = 0
    for window in windows:
        window.move(x, 0)
        window.show()
        x += window.width() + 10       # side by side on a 1920-pixel desktop
    if quit_after > 0:
        def finish() -> None:
            if screenshot is not None:
                _save_screenshot(screenshot)
            if report is not None:
                report.write_text(json.dumps(window_report(windows), ensure_ascii=False, indent=2),
                                  encoding="utf-8")
            app.quit()

        QTimer.singleShot(int(quit_after * 1000), finish)
    return app.exec()


def _save_screenshot(path: Path) -> None:
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(path), "PNG")


def window_report(windows: Sequence[QMainWindow]) -> list[dict[str, object]]:
    """For each window: title, visibility, geometry, its texts and glyphs its fonts lack."""
    result = []
    for window in windows:
        texts = [widget.text() for widget in window.findChildren(QWidget)
                 if isinstance(widget, QLabel | QPushButton) and widget.isVisible() and widget.text()]
        missing = fonts.missing_characters("".join(texts), loaded_faces())
        geometry = window.frameGeometry()
        result.append({
            "title": window.windowTitle(),
            "visible": window.isVisible(),
            "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
            "texts": texts,
            "missing_glyphs": missing,
        })
    return result
