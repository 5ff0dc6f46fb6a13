"""The demo: the citizen tablet, the clerk desktop and the board as three windows of one process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QWidget

from kiosk import fonts
from kiosk.doctor import Check
from kiosk.i18n import S_, staff_translator
from kiosk.ui.board.factory import make_board
from kiosk.ui.citizen.tablet_factory import make_tablet
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.common.application import application, loaded_faces
from kiosk.ui.common.theme import NORMAL

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["demo_layout", "demo_windows", "place_windows", "run_demo"]


def demo_windows(services: Services, checks: Sequence[Check]) -> list[QMainWindow]:
    """Build the three windows (not shown yet)."""
    config = services.config
    clerk_tr = staff_translator("ja")
    windows = []
    tablet = make_tablet(services)
    for title, widget, theme in (
        (clerk_tr(S_("Citizen tablet")), tablet, NORMAL),
        (clerk_tr(S_("Clerk desktop")), ClerkWindow(services, tr=clerk_tr, checks=checks),
         NORMAL),
        # The board draws its own colours (the design tokens), as on a waiting-room screen.
        (clerk_tr(S_("Waiting-room board")), make_board(services), None),
    ):
        window = QMainWindow()
        window.setWindowTitle(f"{title} — {config.device.counter}")
        window.setCentralWidget(widget)
        if theme is not None:
            window.setStyleSheet(theme.stylesheet())
        windows.append(window)
    # As on a real tablet: an unattended visit is wiped, so the next person never sees the
    # previous visitor's ticket and QR code.
    tablet.watch_idle()
    return windows


def demo_layout(available: QRect, frame: int = 40) -> list[QRect]:
    """Where the three windows go on a screen: the tablet at its real width (800 px) on the
    left, as tall as the screen allows; the clerk desktop and the board stacked on the right.
    None overlaps another or leaves the screen (``frame``: room for a title bar)."""
    gap = 10
    tablet_width = min(800, available.width() // 2)
    height = available.height() - frame
    right = available.x() + tablet_width + gap
    right_width = available.right() + 1 - right
    clerk_height = (height - frame - gap) * 3 // 5
    board_height = height - frame - gap - clerk_height
    return [
        QRect(available.x(), available.y() + frame, tablet_width, height),
        QRect(right, available.y() + frame, right_width, clerk_height),
        QRect(right, available.y() + 2 * frame + clerk_height + gap, right_width, board_height),
    ]


def place_windows(windows: Sequence[QMainWindow], available: QRect) -> None:
    """Show ``windows`` at :func:`demo_layout`'s places on the screen ``available``."""
    for window, place in zip(windows, demo_layout(available), strict=True):
        window.setGeometry(place)
        window.show()


def run_demo(services: Services, checks: Sequence[Check], *, quit_after: float = 0.0,
             report: Path | None = None, screenshot: Path | None = None) -> int:
    """Show the three windows side by side and run the Qt event loop."""
    app = application()
    windows = demo_windows(services, checks)
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
    place_windows(windows, available)
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
