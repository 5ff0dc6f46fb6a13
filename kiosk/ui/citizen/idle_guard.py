"""Idle timeout: warn with a countdown and a one-tap "more time", then wipe the visit.

WCAG 2.2.1 asks for at least 20 seconds to extend; the warning shows for 30. Time is counted
in whole seconds by :meth:`IdleGuard.elapse`, which a 1-second timer calls (and tests call
directly, so no test sleeps).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

__all__ = ["WARNING_S", "IdleGuard"]

WARNING_S = 30
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class IdleGuard(QObject):
    """Counts idle seconds while ``active()``; emits ``warn(seconds_left)`` then ``expired``."""

    warn = Signal(int)
    expired = Signal()

    def __init__(self, timeout_s: int, active: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = max(timeout_s, WARNING_S + 10)
        self.idle_s = 0
        self._active = active
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(lambda: self.elapse(1))

    def start(self) -> None:
        """Start counting with the real clock."""
        self._timer.start()

    def stop(self) -> None:
        """Stop the real clock."""
        self._timer.stop()

    @property
    def running(self) -> bool:
        """Whether the real clock is counting."""
        return self._timer.isActive()

    @property
    def warning(self) -> bool:
        """Whether the warning is up."""
        return self._active() and self.idle_s >= self.timeout_s - WARNING_S

    def more_time(self) -> None:
        """The citizen is here: start counting again."""
        self.idle_s = 0
        self.warn.emit(-1)

    def elapse(self, seconds: int) -> None:
        """``seconds`` passed without a touch."""
        if not self._active():
            self.idle_s = 0
            return
        self.idle_s += seconds
        if self.idle_s >= self.timeout_s:
            self.idle_s = 0
            self.expired.emit()
        elif self.warning:
            self.warn.emit(self.timeout_s - self.idle_s)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Any touch, click or key counts as activity (the warning's own button included)."""
        if event.type() in _ACTIVITY and not self.warning:
            self.idle_s = 0
        return False
