"""The demo: the citizen tablet, the clerk desktop and the board as three windows of one process.

With ``kiosk demo --remote`` a fourth window is a branch office's desk (総合支所) of the remote
counter: it asks the clerk desktop (the main office) for a specialist, and the two windows hold
a simulated call with generated video (:class:`~devices.remote.simulated.SimulatedExchange`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
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
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.common.application import application, loaded_faces
from kiosk.ui.common.theme import NORMAL

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.domain.remote import RemoteTicket
    from kiosk.ports import RemoteCall

DEMO_BRANCH = "豊里総合支所"

__all__ = ["demo_layout", "demo_windows", "place_windows", "run_demo"]


def demo_windows(services: Services, checks: Sequence[Check], *,
                 branch_call: Callable[[RemoteTicket], RemoteCall] | None = None) -> list[QMainWindow]:
    """Build the three windows (not shown yet); with ``branch_call`` (the branch's end of a
    remote call) and the remote counter on, a fourth: the branch desk that calls the clerk."""
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
    if branch_call is not None and services.remote is not None:
        # The branch's end shows the captions the main office's end makes (one process).
        captions = None if services.remote_captions is None else \
            functools.partial(services.remote_captions, office=False)
        branch = BranchRemotePanel(clerk_tr, services.remote, branch_call,
                                   services.service_names(), DEMO_BRANCH, captions=captions)
        window = QMainWindow()
        window.setWindowTitle(f"{clerk_tr(S_('Remote counter'))} — {DEMO_BRANCH}")
        window.setCentralWidget(branch)
        window.setStyleSheet(NORMAL.stylesheet())
        windows.append(window)
    # As on a real tablet: an unattended visit is wiped, so the next person never sees the
    # previous visitor's ticket and QR code.
    tablet.watch_idle()
    return windows


def demo_layout(available: QRect, frame: int = 40, *, branch: bool = False) -> list[QRect]:
    """Where the three windows go on a screen: the tablet at its real width (800 px) on the
    left, as tall as the screen allows; the clerk desktop and the board stacked on the right.
    With ``branch`` (the remote counter's branch window) the board's row, then half the
    height, is shared: the board on the left, the branch on the right. None overlaps another
    or leaves the screen (``frame``: room for a title bar)."""
    gap = 10
    tablet_width = min(800, available.width() // 2)
    height = available.height() - frame
    right = available.x() + tablet_width + gap
    right_width = available.right() + 1 - right
    # The branch window needs room below for its picture and buttons: the clerk gives some.
    clerk_height = (height - frame - gap) * (1 if branch else 3) // (2 if branch else 5)
    board_height = height - frame - gap - clerk_height
    bottom = available.y() + 2 * frame + clerk_height + gap
    places = [
        QRect(available.x(), available.y() + frame, tablet_width, height),
        QRect(right, available.y() + frame, right_width, clerk_height),
        QRect(right, bottom, right_width, board_height),
    ]
    if branch:
        board_width = (right_width - gap) // 2
        places[2] = QRect(right, bottom, board_width, board_height)
        places.append(QRect(right + board_width + gap, bottom, right_width - board_width - gap,
                            board_height))
    return places


def place_windows(windows: Sequence[QMainWindow], available: QRect) -> None:
    """Show ``windows`` at :func:`demo_layout`'s places on the screen ``available``."""
    places = demo_layout(available, branch=len(windows) > 3)
    for window, place in zip(windows, places, strict=True):
        window.setGeometry(place)
        window.show()


def run_demo(services: Services, checks: Sequence[Check], *, quit_after: float = 0.0,
             report: Path | None = None, screenshot: Path | None = None,
             branch_call: Callable[[RemoteTicket], RemoteCall] | None = None) -> int:
    """Show the windows side by side and run the Qt event loop."""
    app = application()
    windows = demo_windows(services, checks, branch_call=branch_call)
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
