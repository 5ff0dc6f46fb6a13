"""Runs the waiting-room board as its own full-screen application (``kiosk board``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from kiosk.ui.board.factory import make_board
from kiosk.ui.common.application import application
from kiosk.ui.common.theme import HIGH_CONTRAST

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["run_board"]


def run_board(services: Services, *, notices_dir: Path | None = None,
              windowed: bool = False, quit_after: float = 0.0) -> int:
    """Show the board (full screen unless ``windowed``) and run the Qt event loop
    (``quit_after`` seconds if > 0)."""
    app = application()
    window = QMainWindow()
    window.setWindowTitle("待合表示板")
    window.setCentralWidget(make_board(services, notices_dir=notices_dir))
    window.setStyleSheet(HIGH_CONTRAST.stylesheet())
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.showFullScreen()
    if quit_after > 0:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    return app.exec()
