"""Once per intention: a clerk's double click prints, calls or finishes once, not twice.

A button's action runs on the GUI thread, so a second click can only arrive after the first
action returned; by then the button may be enabled again (``Print`` became ``Reprint``). The
guard disables every action button while an action runs, and keeps the clicked one dark for
the platform's double-click interval after an action that did something; a click in that time
is the same intention and is dropped. An action the service refused (a missing reason) leaves
the button free at once, so the clerk corrects and presses again. The services are idempotent
too (a second approval or finish changes nothing): the guard only spares the clerk a confusing
second message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

__all__ = ["OnceGuard"]


class OnceGuard(QObject):
    """Runs the actions of a panel's buttons once per intention.

    Args:
        buttons: the panel's action buttons (all go dark while one action runs).
        restore: sets the buttons' enabled state from the panel's state again; the panel asks
            :meth:`blocked` for each button there.
    """

    def __init__(self, buttons: Callable[[], Iterable[QWidget]],
                 restore: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buttons = buttons
        self._restore = restore
        self._running = False
        self._settling: QAbstractButton | None = None
        self._paused = False
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._settled)

    def blocked(self, button: QWidget) -> bool:
        """Whether ``button`` (or another control of the panel) must stay disabled now (an
        action runs, it just acted, or the panel is paused)."""
        return self._running or self._paused or button is self._settling

    def pause(self) -> None:
        """Keep every button dark for the double-click interval, as after an action of this
        panel: another panel's action moved these buttons under the pointer, where that
        double click's second click lands."""
        self._paused = True
        for each in self._buttons():
            each.setEnabled(False)
        self._timer.start(max(1, QApplication.doubleClickInterval()))

    def run(self, button: QAbstractButton, action: Callable[[], bool]) -> None:
        """Run ``action`` for a click on ``button``; ``action`` says whether it did something.

        A click while an action runs, or on the button that just acted, is dropped.
        """
        if self.blocked(button):
            return
        self._running = True
        for each in self._buttons():
            each.setEnabled(False)
        acted = False
        try:
            acted = action()
        finally:
            self._running = False
            if acted:
                self._settling = button
                self._timer.start(max(1, QApplication.doubleClickInterval()))
            self._restore()

    def _settled(self) -> None:
        self._settling = None
        self._paused = False
        self._restore()
