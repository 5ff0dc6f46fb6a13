"""Drive a kiosk front end as a person would: tap named buttons, wait for what appears.

Textual's ``Pilot`` for our Qt screens: tests, screenshots and benchmarks tap widgets by their
object name (``pilot.tap("start")``) with real mouse events on the offscreen platform, and wait
for a condition instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

__all__ = ["KioskPilot", "PilotError"]


class PilotError(AssertionError):
    """The pilot could not do what it was told (no such button, a wait that never ended)."""


class KioskPilot:
    """Taps and waits on the widgets under ``root``; counts taps for the benchmarks."""

    def __init__(self, root: QWidget, *, timeout_s: float = 5.0) -> None:
        self.root = root
        self.timeout_s = timeout_s
        self.taps = 0

    def settle(self) -> None:
        """Deliver every queued event (the bridged core events included)."""
        for _ in range(3):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def find(self, name: str) -> QWidget:
        """The visible widget named ``name``."""
        self.settle()
        for widget in self.root.findChildren(QWidget, name):
            if widget.isVisibleTo(self.root) and widget.objectName() == name:
                return widget
        raise PilotError(f"no visible widget named {name!r}; buttons: {self.buttons()}")

    def exists(self, name: str) -> bool:
        """Whether a visible widget named ``name`` is on screen."""
        try:
            self.find(name)
        except PilotError:
            return False
        return True

    def tap(self, name: str) -> None:
        """Tap the button named ``name`` in its middle with a real mouse click."""
        widget = self.find(name)
        if not isinstance(widget, QAbstractButton):
            raise PilotError(f"{name!r} is not a button")
        if not widget.isEnabled():
            raise PilotError(f"{name!r} is disabled")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(widget.width() // 2, widget.height() // 2))
        self.taps += 1
        self.settle()

    def tap_keys(self, prefix: str, keys: str) -> None:
        """Tap one key per character: ``tap_keys("key-", "0312")``, ``tap_keys("kana-", "ヤ")``."""
        for key in keys:
            self.tap(f"{prefix}{key}")

    def draw(self, name: str, strokes: Sequence[Sequence[tuple[float, float]]]) -> None:
        """Draw on the widget named ``name`` with a finger: one press, moves and a release per
        stroke; points are fractions of the widget's width and height (0.0 to 1.0)."""
        widget = self.find(name)
        for stroke in strokes:
            points = [QPointF(fx * (widget.width() - 1), fy * (widget.height() - 1))
                      for fx, fy in stroke]
            if not points:
                continue
            self._mouse(widget, QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
            for point in points[1:]:
                self._mouse(widget, QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
            self._mouse(widget, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)
        self.settle()

    @staticmethod
    def _mouse(widget: QWidget, kind: QEvent.Type, at: QPointF, held: Qt.MouseButton) -> None:
        # A move must say the button is held: QTest.mouseMove does not on every platform.
        button = Qt.MouseButton.NoButton if kind is QEvent.Type.MouseMove else \
            Qt.MouseButton.LeftButton
        event = QMouseEvent(kind, at, widget.mapToGlobal(at), button, held,
                            Qt.KeyboardModifier.NoModifier)
        QCoreApplication.sendEvent(widget, event)

    def text(self, name: str) -> str:
        """The text of the label or button named ``name``."""
        widget = self.find(name)
        if isinstance(widget, QLabel | QAbstractButton):
            return widget.text()
        raise PilotError(f"{name!r} has no text")

    def texts(self) -> list[str]:
        """Every visible label and button text under the root."""
        self.settle()
        return [w.text() for w in self.root.findChildren(QWidget)
                if isinstance(w, QLabel | QAbstractButton) and w.isVisibleTo(self.root)
                and w.text()]

    def buttons(self) -> list[str]:
        """Names of the visible buttons (for error messages)."""
        return [w.objectName() for w in self.root.findChildren(QAbstractButton)
                if w.isVisibleTo(self.root) and w.objectName()]

    def wait_until(self, condition: Callable[[], bool], what: str = "condition") -> None:
        """Process events until ``condition()`` holds (a card read runs on a worker thread)."""
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            self.settle()
            if condition():
                return
            time.sleep(0.01)
        raise PilotError(f"timed out waiting for {what}")
