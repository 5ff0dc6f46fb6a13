"""Work that waits until a window is on the screen, not merely shown.

On X11 a window that has been shown is drawn only when the server exposes it, an event or
two later: work queued for "the next turn of the event loop" after ``show()`` can run first
and hold the window blank (a start-up screen behind a second's imports). A window calls
:meth:`FirstPaint.painted` at the end of its ``paintEvent``; what waits on :meth:`then` runs
on the turn after that paint, once it is on the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

__all__ = ["FirstPaint"]


class FirstPaint:
    """The callbacks that wait for a window's first paint."""

    def __init__(self) -> None:
        self.done = False
        self._waiting: list[Callable[[], object]] = []

    def then(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` on the event loop's turn after the first paint (the next turn if
        it was painted already)."""
        if self.done:
            QTimer.singleShot(0, callback)
        else:
            self._waiting.append(callback)

    def painted(self) -> None:
        """Called by the window when it has painted; the first time, the waiting run next."""
        if self.done:
            return
        self.done = True
        for callback in self._waiting:
            QTimer.singleShot(0, callback)
        self._waiting.clear()
