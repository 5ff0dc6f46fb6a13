"""The waiting-room board: now calling (large), recent calls, waits per service, notices.

High contrast and large type, readable from 5 m. Every call is shown and spoken at the same
time: the :class:`kiosk.services.callout.Announcer` queues the chime and the voice, and this
screen shows the Japanese call and the call in the ticket holder's language together.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.domain.ticket import QueueChanged
from kiosk.errors import UserFacingError
from kiosk.events import EventBus
from kiosk.i18n import N_, Translator
from kiosk.ports import Clock
from kiosk.services.callout import Announcer, CallOut
from kiosk.services.outage import OutageWatch, is_outage
from kiosk.services.queue import BoardLine, QueueService
from kiosk.ui.board.notices import DEFAULT_NOTICES, Notice, load_notices
from kiosk.ui.common.bridge import EventBridge

__all__ = ["BoardScreen"]

_RECENT = 6
_NOTICE_SECONDS = 12


def _sized(label: QLabel, points: int, *, bold: bool = False) -> QLabel:
    font = label.font()
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


class BoardScreen(QWidget):
    """The board, bound to the queue and the announcer; refreshed by queue events."""

    def __init__(self, tr: Translator, clock: Clock, queue: QueueService, announcer: Announcer,
                 events: EventBus, *, notices_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._clock = clock
        self._queue = queue
        self._announcer = announcer
        self._outage = OutageWatch()
        self.recent: deque[CallOut] = deque(maxlen=_RECENT)
        self.last_callout: CallOut | None = None
        center = Qt.AlignmentFlag.AlignCenter
        self.time = _sized(QLabel(alignment=Qt.AlignmentFlag.AlignRight), 22)
        self.heading = _sized(QLabel(tr(N_("Now calling")), alignment=center, wordWrap=True), 28)
        self.heading.setObjectName("board-heading")
        self.number = _sized(QLabel("—", alignment=center), 120, bold=True)
        self.number.setObjectName("board-number")
        self.counter = _sized(QLabel("", alignment=center, wordWrap=True), 40, bold=True)
        self.call_text = _sized(QLabel("", alignment=center, wordWrap=True), 26)
        self.call_text.setObjectName("board-call-text")
        self.recent_heading = _sized(QLabel(tr(N_("Recent calls"))), 22, bold=True)
        self.recent_list = _sized(QLabel("", wordWrap=True), 26)
        self.waiting_grid = QGridLayout()
        self.waiting = _sized(QLabel(tr(N_("No one is waiting.")), alignment=center,
                                     wordWrap=True), 26)
        self.notice = _sized(QLabel("", alignment=center, wordWrap=True), 22)
        self.notice.setProperty("role", "muted")
        self._lay_out()
        self.notices: list[Notice] = (load_notices(notices_dir)
                                      or [Notice(text=tr(text)) for text in DEFAULT_NOTICES])
        self._notice_index = -1
        self._bridge = EventBridge(events, QueueChanged, self)
        self._bridge.received.connect(self._on_queue_changed)
        self._clock_timer = QTimer(self, interval=1000)
        self._clock_timer.timeout.connect(self._on_tick)
        self._clock_timer.start()
        self._notice_timer = QTimer(self, interval=_NOTICE_SECONDS * 1000)
        self._notice_timer.timeout.connect(self._on_next_notice)
        self._notice_timer.start()
        self._on_tick()
        self._on_next_notice()
        announcer.prime()
        self.refresh()

    def _lay_out(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.recent_heading)
        side.addWidget(self.recent_list, 1)
        main = QVBoxLayout()
        main.addWidget(self.heading)
        main.addWidget(self.number, 1)
        main.addWidget(self.counter)
        main.addWidget(self.call_text)
        top = QHBoxLayout()
        top.addLayout(main, 3)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.time)
        layout.addLayout(top, 1)
        layout.addWidget(self.waiting)
        layout.addLayout(self.waiting_grid)
        layout.addWidget(self.notice)

    def refresh(self) -> None:
        """Show the waiting lines, and announce and show any new call.

        While the database is away the board keeps what it shows (the waiting room needs no
        message; IT finds the outage in the log) until the queue listener, reconnected,
        brings the next change.
        """
        try:
            callouts = self._announcer.check()
            lines = self._queue.board()
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            self._outage.message(exc)
            return
        self._outage.back()
        for callout in callouts:
            self._show_call(callout)
        self._show_waiting(lines)

    def _on_queue_changed(self, _event: object) -> None:
        self.refresh()

    def _show_call(self, callout: CallOut) -> None:
        self.last_callout = callout
        self.recent.appendleft(callout)
        self.number.setText(callout.label)
        self.counter.setText(callout.counter)
        self.call_text.setText("\n".join(line.text for line in callout.lines))
        self.recent_list.setText("\n".join(f"{c.label}  →  {c.counter}" for c in self.recent))

    def _show_waiting(self, lines: Sequence[BoardLine]) -> None:
        while self.waiting_grid.count():
            item = self.waiting_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        total = sum(line.waiting for line in lines)
        self.waiting.setVisible(total == 0)
        if total == 0:
            return
        for row, line in enumerate(lines):
            minutes = -(-line.estimated_wait_seconds // 60)
            cells = (line.service,
                     self._tr(N_("{n} waiting"), n=line.waiting),
                     self._tr(N_("about {minutes} min"), minutes=minutes))
            for column, text in enumerate(cells):
                self.waiting_grid.addWidget(_sized(QLabel(text), 24, bold=column == 0),
                                            row, column)

    def _on_tick(self) -> None:
        self.time.setText(self._clock.now().strftime("%H:%M"))

    def _on_next_notice(self) -> None:
        self._notice_index = (self._notice_index + 1) % len(self.notices)
        notice = self.notices[self._notice_index]
        if notice.image is not None:
            self.notice.setPixmap(QPixmap(str(notice.image)).scaledToHeight(
                160, Qt.TransformationMode.SmoothTransformation))
        else:
            self.notice.setText(notice.text)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        """Stop receiving queue events."""
        self._bridge.close()
        super().closeEvent(event)  # type: ignore[arg-type]
