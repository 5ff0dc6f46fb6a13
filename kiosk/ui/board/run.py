"""Runs the waiting-room board as its own full-screen application (``kiosk board``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from kiosk.ui.board.board_screen import BoardScreen
from kiosk.ui.board.factory import make_board
from kiosk.ui.common.application import application
from kiosk.ui.common.text_report import visible_texts
from kiosk.ui.common.widget_report import WidgetReport

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["board_window", "describe_board", "run_board"]


def run_board(services: Services, *, notices_dir: Path | None = None,
              windowed: bool = False, quit_after: float = 0.0,
              report: Path | None = None) -> int:
    """Show the board (full screen unless ``windowed``) and run the Qt event loop
    (``quit_after`` seconds if > 0); ``report``: keep that JSON file up to date with the
    number called and the numbers waiting."""
    app = application()
    window = board_window(services, notices_dir=notices_dir)
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.showFullScreen()
    watcher = WidgetReport(window, report, describe_board) if report is not None else None
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    try:
        return app.exec()
    finally:
        if watcher is not None:
            watcher.stop()


def board_window(services: Services, *, notices_dir: Path | None = None) -> QMainWindow:
    """The board in a window of its own, as ``kiosk board`` shows it."""
    window = QMainWindow()
    window.setWindowTitle("待合表示板")
    window.setCentralWidget(make_board(services, notices_dir=notices_dir))
    # No theme sheet: the board draws its own colours (the design tokens), as in the demo. The
    # high-contrast sheet it had painted the header's labels black on its white bar.
    return window


def describe_board(window: QWidget) -> dict[str, object]:
    """The number called and the counter on the board inside ``window``, and every text it
    shows (``--report``; the board shows no personal data)."""
    board = window.findChild(BoardScreen)
    if board is None:
        return {}
    return {"number": board.number.text(), "counter": board.counter.text(),
            "recent": [callout.label for callout in board.recent],
            "texts": visible_texts(window)}
