"""Run a slow device call (a card read takes a second) off the GUI thread, result on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

__all__ = ["BackgroundCall"]


class BackgroundCall(QObject):
    """Calls ``fn`` on a worker thread and emits ``done(result)`` on the GUI thread.

    An exception is passed to ``done`` as the result: the screen decides what to show, and a
    worker never touches a widget.
    """

    done = Signal(object)
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._finished.connect(self.done.emit, Qt.ConnectionType.QueuedConnection)
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        """Whether a call is still running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, fn: Callable[[], Any]) -> None:
        """Run ``fn``; ignored while a call is running (a double tap must not read twice)."""
        if self.busy:
            return

        def work() -> None:
            try:
                result: Any = fn()
            except Exception as exc:  # handed to the screen, never lost
                result = exc
            self._finished.emit(result)

        self._thread = threading.Thread(target=work, name="kiosk-device-call", daemon=True)
        self._thread.start()
