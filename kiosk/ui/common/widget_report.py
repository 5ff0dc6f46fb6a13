"""``--report FILE`` of every front end: where a window's buttons are, and what it shows, as JSON.

Scripted checks and benchmarks run each front end as its own process (tablet, clerk desktop,
board) and act with real input events (``xdotool``): they read from this file where the named
buttons are and what the window is showing. The file is rewritten (atomically) whenever that
changes. It holds names, places, states and ticket numbers, and what a front end's ``describe``
adds: the visible texts (:mod:`kiosk.ui.common.text_report`), with personal data listed
without its text.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

__all__ = ["Describe", "WidgetReport", "button_centres", "button_rects", "checked_buttons"]

Describe = Callable[[QWidget], dict[str, object]]
"""What a front end adds to the report about the window on display (never personal data)."""


def _reachable(root: QWidget, kind: type[QWidget]) -> Iterator[tuple[str, QWidget]]:
    """Every named, enabled widget of ``kind`` under ``root`` a finger can reach now (shown
    and not scrolled out of view), with its name; the first of a name only."""
    seen: set[str] = set()
    for widget in root.findChildren(kind):
        name = widget.objectName()
        if not name or name in seen or not widget.isVisible() or not widget.isEnabled() or \
                widget.visibleRegion().isEmpty():
            continue
        seen.add(name)
        yield name, widget


def button_centres(root: QWidget,
                   kind: type[QWidget] = QAbstractButton) -> dict[str, list[int]]:
    """Screen coordinates ``[x, y]`` of the centre of the visible part of every named, enabled
    button (or other ``kind`` of widget) a finger can reach now (shown and not scrolled out
    of view)."""
    centres: dict[str, list[int]] = {}
    for name, widget in _reachable(root, kind):
        # The middle of the part on screen: a button half scrolled out of view is tapped
        # where it can be seen, as a finger would.
        middle = widget.mapToGlobal(widget.visibleRegion().boundingRect().center())
        centres[name] = [middle.x(), middle.y()]
    return centres


def button_rects(root: QWidget) -> dict[str, list[int]]:
    """Screen rectangles ``[x, y, width, height]`` of the visible part of every button
    :func:`button_centres` lists."""
    rects: dict[str, list[int]] = {}
    for name, widget in _reachable(root, QAbstractButton):
        seen = widget.visibleRegion().boundingRect()
        corner = widget.mapToGlobal(seen.topLeft())
        rects[name] = [corner.x(), corner.y(), seen.width(), seen.height()]
    return rects


def checked_buttons(root: QWidget) -> list[str]:
    """The names of the visible, checked buttons under ``root``, sorted."""
    return sorted(button.objectName() for button in root.findChildren(QAbstractButton)
                  if button.isVisible() and button.isChecked())


class WidgetReport(QObject):
    """Rewrites ``path`` whenever the followed window's buttons or ``describe``'s answer change.

    A window can change without any event a front end would announce (a panel enabling a
    button), so it is looked at every ``interval_ms``; the file is written only on change, and
    only once the change has settled (the same on two looks in a row): a screen being rebuilt
    passes through layouts where a button is not yet where it will be, and a tap aimed at such
    a half-laid-out place lands on something else.
    """

    def __init__(self, window: QWidget, path: Path, describe: Describe | None = None, *,
                 interval_ms: int = 100) -> None:
        super().__init__()
        self._window = window
        self._path = path
        self._describe = describe or (lambda _window: {})
        self._last: dict[str, object] = {}
        self._seen: dict[str, object] = {}     # the previous look, written or not
        self.writes = 0
        self._followed_at: float | None = None    # when another window took over
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.write)
        # Once the event loop runs the first window is interactive: that is the first report.
        QTimer.singleShot(0, self.write)
        self._timer.start()

    def follow(self, window: QWidget, *, taking_over: bool = True) -> None:
        """Report ``window`` from now on: another window taking over, or (``taking_over``
        false) the same screen drawn by another window (the start-up Welcome replacing its
        picture), which is not a take-over."""
        self._window = window
        if taking_over:
            # Reported as ``taken_over_at``: the report itself waits for the new window to
            # settle (a tick or two of ``interval_ms``), and start-up measurements time it.
            self._followed_at = time.time()
        self.write()

    def stop(self) -> None:
        """Write no more reports."""
        self._timer.stop()

    def write(self) -> None:
        """Write the report of what is on display now, if it changed."""
        window = self._window
        if not window.isVisible():
            return      # closing down: nothing can be tapped, and nothing new to say
        shown: dict[str, object] = {
            "window": [window.x(), window.y(), window.width(), window.height()],
            "full_screen": window.isFullScreen(),
            "buttons": button_centres(window),
            "fields": button_centres(window, QLineEdit),     # where to click before typing
            "checked": checked_buttons(window),
            **self._describe(window),
        }
        settled, self._seen = shown == self._seen, shown
        # The first report is written at once: the window is interactive, and start-up
        # measurements time it.
        if shown == self._last or (self.writes and not settled):
            return
        self._last = shown
        self.writes += 1
        report = {"sequence": self.writes, "written_at": time.time(), "pid": os.getpid(),
                  **({"taken_over_at": self._followed_at} if self._followed_at else {}),
                  **shown}
        partial = self._path.with_name(self._path.name + ".part")
        partial.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self._path)
