"""``kiosk tablet --report FILE``: where the tappable buttons of the shown screen are, as JSON.

Written when the first screen is interactive (the start-up Welcome of :class:`BootWindow`) and
again whenever what can be tapped changes (the tablet taking over, a new screen, the PIN pad
opening), for scripted checks that tap with real input events
(``xdotool``), for the start-up benchmark and for accessibility audits. It names buttons and
their places, and lists every visible text (name, text, rectangle, font size, elided); texts
the screens mark as personal data are listed without their text, so none reaches the file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui.citizen.boot_screen import BootWindow
from kiosk.ui.citizen.text_report import visible_texts

if TYPE_CHECKING:
    from kiosk.ui.citizen.tablet import TabletWindow

__all__ = ["ScreenReport", "button_centres"]


def button_centres(root: QWidget) -> dict[str, list[int]]:
    """Screen coordinates ``[x, y]`` of the centre of the visible part of every named, enabled
    button a finger can reach now (shown and not scrolled out of view)."""
    centres: dict[str, list[int]] = {}
    for button in root.findChildren(QAbstractButton):
        name = button.objectName()
        if not name or not button.isVisible() or not button.isEnabled() or \
                button.visibleRegion().isEmpty():
            continue
        # The middle of the part on screen: a button half scrolled out of view is tapped
        # where it can be seen, as a finger would.
        seen = button.visibleRegion().boundingRect()
        middle = button.mapToGlobal(seen.center())
        centres.setdefault(name, [middle.x(), middle.y()])
    return centres


class ScreenReport(QObject):
    """Rewrites ``path`` (atomically) whenever the tappable buttons of the followed window change.

    A screen can change without a visit event (the identify screen opening its PIN pad), so
    the window is looked at every ``interval_ms`` instead; a file is written only on change.
    """

    def __init__(self, window: BootWindow | TabletWindow, path: Path, *,
                 interval_ms: int = 100) -> None:
        super().__init__()
        self._window = window
        self._path = path
        self._last: dict[str, object] = {}
        self.writes = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.write)
        # Once the event loop runs the first screen is interactive: that is the first report.
        QTimer.singleShot(0, self.write)
        self._timer.start()

    def follow(self, window: TabletWindow) -> None:
        """Report ``window`` from now on (the tablet taking over from the start-up Welcome)."""
        self._window = window
        self.write()

    def stop(self) -> None:
        """Write no more reports."""
        self._timer.stop()

    def _stage(self) -> tuple[str, str | None]:
        if isinstance(self._window, BootWindow):
            return "welcome", None
        visit = self._window.tablet.visit
        question = visit.current() if visit.stage.value == "forms" else None
        return visit.stage.value, question.field.id if question is not None else None

    def write(self) -> None:
        """Write the report of the screen on display now, if it changed."""
        if not self._window.isVisible():
            return      # closing down: nothing can be tapped, and nothing new to say
        stage, question = self._stage()
        shown: dict[str, object] = {
            # False while the start-up Welcome is shown (taps are kept for the tablet).
            "ready": not isinstance(self._window, BootWindow),
            "stage": stage,
            "question": question,
            "window": [self._window.x(), self._window.y(), self._window.width(),
                       self._window.height()],
            "full_screen": self._window.isFullScreen(),
            "buttons": button_centres(self._window),
            # Every visible text with its place, size and whether it fits (personal data
            # marked by the screens is left out: its text is null).
            "texts": visible_texts(self._window),
            "checked": sorted(button.objectName() for button in
                              self._window.findChildren(QAbstractButton)
                              if button.isVisible() and button.isChecked()),
        }
        if shown == self._last:
            return
        self._last = shown
        self.writes += 1
        report = {"sequence": self.writes, "written_at": time.time(), "pid": os.getpid(),
                  **shown}
        partial = self._path.with_name(self._path.name + ".part")
        partial.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self._path)
