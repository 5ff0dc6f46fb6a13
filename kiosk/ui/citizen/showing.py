"""How the tablet's windows are put on the screen: each in the place of the one before."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["TITLE", "WINDOW_SIZE", "show_window"]

WINDOW_SIZE = (800, 1280)
"""Outside kiosk mode: a tablet's screen, upright."""

TITLE = "Tome City — citizen tablet"


def show_window(window: QWidget, *, kiosk_mode: bool) -> None:
    """Show ``window`` full screen in kiosk mode, else at its size (the tablet's if none)."""
    if kiosk_mode:
        # Without a window manager (a bare X session started by the kiosk unit, or Xvfb) no one
        # acts on the full-screen request: cover the screen ourselves as well.
        window.setGeometry(QGuiApplication.primaryScreen().geometry())
        window.showFullScreen()
    else:
        if window.width() < WINDOW_SIZE[0]:   # the first window; the others take its place
            window.resize(*WINDOW_SIZE)
        window.show()
