"""The waiting-room board: the newest call large with its counter, a grid of counters with the
number each serves, recent calls, waits per service and a notice line (design 11-board).

Calm and readable from 5 m: nothing scrolls or moves but the new call. Every call is shown and
spoken at the same time: the :class:`kiosk.services.callout.Announcer` queues the chime and the
voice, and this screen shows the Japanese call and the call in the ticket holder's language.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.ticket import QueueChanged
from kiosk.errors import UserFacingError
from kiosk.events import EventBus
from kiosk.i18n import N_, Translator
from kiosk.ports import Clock
from kiosk.services.callout import Announcer, CallOut
from kiosk.services.outage import OutageWatch, is_outage
from kiosk.services.queue import QueueService
from kiosk.ui.board.board_parts import (
    BOARD_SIZE,
    CounterNow,
    FittingLabel,
    Scaled,
    counter_badge,
    counters_now,
    panel_style,
    scaled_label,
)
from kiosk.ui.board.notices import DEFAULT_NOTICES, Notice, load_notices
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.tokens import COLOURS, TYPE

__all__ = ["BoardScreen"]

_WAIT_LINES = 3
_RECENT = 4            # recent calls shown side by side (the newest is the big one)
_NOTICE_SECONDS = 12
CITY_NAME = "登米市役所"
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight


def _panel(name: str, fill: str = COLOURS.white) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(panel_style(name, fill))
    return frame


class BoardScreen(QWidget):
    """The board, bound to the queue and the announcer; refreshed by queue events."""

    def __init__(self, tr: Translator, clock: Clock, queue: QueueService, announcer: Announcer,
                 events: EventBus, *, notices_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board")
        self._tr = tr
        self._clock = clock
        self._queue = queue
        self._announcer = announcer
        self._outage = OutageWatch()
        self.sizes = Scaled()
        self.recent: deque[CallOut] = deque(maxlen=_RECENT + 1)
        self.last_callout: CallOut | None = None
        self.setStyleSheet(f"QWidget#board {{ background: {COLOURS.gray_50}; }}"
                           f" QLabel {{ color: {COLOURS.gray_900}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build_call()
        self._build_lists()
        self.notices: list[Notice] = (load_notices(notices_dir)
                                      or [Notice(text=tr(text)) for text in DEFAULT_NOTICES])
        self._notice_index = -1
        self._lay_out()
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

    # ------------------------------------------------------------ building
    def _build_call(self) -> None:
        s, white = self.sizes, COLOURS.white
        self.city = s.font(scaled_label(CITY_NAME), TYPE.board_min + 8, bold=True, lines=1.2)
        self.city.setObjectName("board-city")
        self.time = s.font(scaled_label(align=_RIGHT), TYPE.board_min + 8, lines=1.2)
        self.time.setObjectName("board-time")
        self.heading = s.font(scaled_label(self._tr(N_("Now calling"))), TYPE.board_min,
                              bold=True, lines=1.2)
        self.heading.setObjectName("board-heading")
        self.heading.setStyleSheet(f"color: {white};")
        self.number = s.font(FittingLabel(), TYPE.board_called, bold=True, lines=1.0)
        self.number.setObjectName("board-number")
        self.number.setStyleSheet(f"color: {white};")
        self.arrow = s.font(scaled_label("→", align=_CENTER), TYPE.board_counter_name, bold=True,
                            lines=1.15)
        self.arrow.setStyleSheet(f"color: {COLOURS.yellow_300};")
        self.counter = s.font(FittingLabel(), TYPE.board_counter_name, bold=True, lines=1.15)
        self.counter.setObjectName("board-counter")
        self.counter.setStyleSheet(f"color: {COLOURS.blue_1000};")
        self.department = s.font(FittingLabel(), TYPE.board_min, bold=True)
        self.department.setObjectName("board-department")
        self.call_text = s.font(FittingLabel(wrap=True), TYPE.board_min, lines=2.4)
        self.call_text.setObjectName("board-call-text")
        self.call_text.setStyleSheet(f"color: {white};")

    def _build_lists(self) -> None:
        s = self.sizes
        self.counter_grid = QGridLayout()
        self.tiles: dict[str, QFrame] = {}
        self.recent_heading = s.font(scaled_label(self._tr(N_("Recent calls"))),
                                     TYPE.board_min, lines=1.2)
        self.recent_row = QHBoxLayout()
        self.recent_labels: list[tuple[QLabel, QLabel]] = []
        for _ in range(_RECENT):
            label = s.font(scaled_label(), TYPE.board_recent, bold=True, lines=1.2)
            where = s.font(scaled_label(), TYPE.board_min, bold=True, lines=1.2)
            where.setStyleSheet(f"color: {COLOURS.blue_1000};")
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(where)
            self.recent_row.addLayout(column, 1)
            self.recent_labels.append((label, where))
        self.waits_heading = s.font(scaled_label(self._tr(N_("Estimated wait for a new ticket"))),
                                    TYPE.board_min, lines=1.2)
        self.waiting_grid = QGridLayout()
        self.waiting = s.font(scaled_label(self._tr(N_("No one is waiting."))), TYPE.board_min,
                              lines=1.2)
        self.notice = s.font(scaled_label(wrap=True), TYPE.board_min, bold=True, lines=1.3)
        self.notice.setObjectName("board-notice")

    def _lay_out(self) -> None:
        s = self.sizes
        header = QHBoxLayout()
        header.addWidget(self.city, 1)
        header.addWidget(self.time, 1)
        s.margins(header, (48, 8, 48, 8), 16)
        header_box = QWidget()
        header_box.setObjectName("board-header")
        header_box.setStyleSheet(f"QWidget#board-header {{ background: {COLOURS.white}; }}")
        header_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        header_box.setLayout(header)
        counters = QWidget()
        counters.setLayout(self.counter_grid)
        s.margins(self.counter_grid, (0, 0, 0, 0), 16)
        body = QGridLayout()
        s.margins(body, (48, 32, 48, 32), 32)
        body.addWidget(self._call_panel(), 0, 0)
        body.addWidget(counters, 0, 1)
        body.addWidget(self._recent_panel(), 1, 0)
        body.addWidget(self._waits_panel(), 1, 1)
        body.setRowStretch(0, 3)
        body.setRowStretch(1, 1)
        body.setColumnStretch(0, 1)
        body.setColumnStretch(1, 1)
        notice = _panel("board-notice-bar", COLOURS.yellow_300)
        notice.setStyleSheet(panel_style("board-notice-bar", COLOURS.yellow_300, radius=0))
        s.height(notice, 80)
        notice_row = QHBoxLayout(notice)
        s.margins(notice_row, (48, 0, 48, 0), 16)
        notice_row.addWidget(self.notice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The board scales to its window: its layout must not push the window to full size.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(header_box)
        layout.addLayout(body, 1)
        layout.addWidget(notice)

    def _call_panel(self) -> QFrame:
        """The newest call: heading, number, → counter and department, the spoken words."""
        s = self.sizes
        call = _panel("board-call", COLOURS.blue_900)
        pill = self.pill = _panel("board-pill")
        pill_row = QHBoxLayout(pill)
        s.margins(pill_row, (24, 8, 24, 8), 16)
        pill_row.addWidget(self.counter, 5)
        pill_row.addWidget(self.department, 2)
        where = QHBoxLayout()
        s.margins(where, (0, 0, 0, 0), 16)
        where.addWidget(self.arrow, 1)
        where.addWidget(pill, 5)
        # Until the first call there is no counter to point to: the panel keeps its size.
        for part in (self.arrow, pill):
            part.setVisible(False)
            policy = part.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            part.setSizePolicy(policy)
        inside = QVBoxLayout(call)
        s.margins(inside, (48, 16, 48, 16), 8)
        inside.addWidget(self.heading)
        inside.addWidget(self.number, 1)
        inside.addLayout(where)
        inside.addWidget(self.call_text)
        return call

    def _recent_panel(self) -> QFrame:
        recent = _panel("board-recent")
        box = QVBoxLayout(recent)
        self.sizes.margins(box, (32, 16, 32, 16), 8)
        box.addWidget(self.recent_heading)
        box.addLayout(self.recent_row, 1)
        return recent

    def _waits_panel(self) -> QFrame:
        waits = _panel("board-waits")
        box = QVBoxLayout(waits)
        self.sizes.margins(box, (32, 16, 32, 16), 8)
        self.sizes.margins(self.waiting_grid, (0, 0, 0, 0), 4)
        box.addWidget(self.waits_heading)
        box.addWidget(self.waiting)
        box.addLayout(self.waiting_grid, 1)
        return waits

    # ------------------------------------------------------------ content
    def refresh(self) -> None:
        """Show the counters and waiting lines, and announce and show any new call.

        While the database is away the board keeps what it shows (the waiting room needs no
        message; IT finds the outage in the log) until the queue listener, reconnected,
        brings the next change.
        """
        try:
            for callout in self._announcer.check():
                self._show_call(callout)
            self._show_counters()
            self._show_waiting()
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            self._outage.message(exc)
            return
        self._outage.back()

    def _on_queue_changed(self, _event: object) -> None:
        self.refresh()

    def _show_call(self, callout: CallOut) -> None:
        self.last_callout = callout
        self.recent.appendleft(callout)
        self.arrow.setVisible(True)
        self.pill.setVisible(True)
        self.number.setText(callout.label)
        self.counter.setText(callout.counter)
        self.department.setText(self._department_of(callout.counter))
        self.call_text.setText("\n".join(line.text for line in callout.lines))
        # The call in the visitor's languages too: marked with them, as text in its own
        # language (the staff screens' language checks read the mark).
        codes = [line.code for line in callout.lines if not line.code.startswith("ja")]
        self.call_text.setProperty("lang", " ".join(["ja", *codes]) if codes else "")
        earlier = list(self.recent)[1:]
        for index, (label, where) in enumerate(self.recent_labels):
            past = earlier[index] if index < len(earlier) else None
            label.setText(past.label if past is not None else "")
            where.setText(f"→ {counter_badge(past.counter)}" if past is not None else "")

    def _department_of(self, counter: str) -> str:
        codes = self._queue.counters().get(counter, ())
        return self._queue.service_names().get(codes[0], "") if codes else ""

    def _show_counters(self) -> None:
        tiles = counters_now(self._queue.counters(), self._queue.service_names(),
                             self._queue.day_tickets())
        self._clear(self.counter_grid)
        self.tiles = {}
        called = self.last_callout.counter if self.last_callout is not None else ""
        for index, tile in enumerate(tiles):
            frame = self._tile(tile, highlighted=tile.name == called)
            self.counter_grid.addWidget(frame, index // 2, index % 2)
            self.tiles[tile.name] = frame

    def _tile(self, tile: CounterNow, *, highlighted: bool) -> QFrame:
        s = self.sizes
        name = f"tile-{counter_badge(tile.name)}"
        frame = QFrame()
        frame.setObjectName(name)
        frame.setStyleSheet(panel_style(name, COLOURS.white, radius=16,
                                        border=COLOURS.yellow_300 if highlighted else ""))
        badge = s.font(scaled_label(counter_badge(tile.name), align=_CENTER),
                       TYPE.board_min + 4, bold=True, lines=2.2)
        badge.setStyleSheet(f"background: {COLOURS.blue_1000}; color: {COLOURS.white};"
                            " border-radius: 12px;")
        department = s.font(scaled_label(tile.department), TYPE.board_min)
        ticket = s.font(scaled_label(tile.ticket or "—"), TYPE.board_counter, bold=True,
                        lines=1.15)
        ticket.setObjectName(f"serving-{counter_badge(tile.name)}")
        text = QVBoxLayout()
        s.margins(text, (0, 0, 0, 0), 0)
        text.addWidget(department)
        text.addWidget(ticket)
        row = QHBoxLayout(frame)
        s.margins(row, (16, 4, 16, 4), 16)
        row.addWidget(badge, 2)
        row.addLayout(text, 5)
        return frame

    def _show_waiting(self) -> None:
        self._clear(self.waiting_grid)
        lines = [line for line in self._queue.board() if line.waiting]
        names = self._queue.service_names()
        self.waiting.setVisible(not lines)
        # The three longest lines fit the panel; the others are shorter waits.
        lines = sorted(lines, key=lambda line: -line.waiting)[:_WAIT_LINES]
        for row, line in enumerate(sorted(lines, key=lambda line: line.service)):
            minutes = -(-line.estimated_wait_seconds // 60)
            cells = (line.service, names.get(line.service, ""),
                     self._tr(N_("{n} waiting"), n=line.waiting),
                     self._tr(N_("about {minutes} min"), minutes=minutes))
            for column, text in enumerate(cells):
                cell = self.sizes.font(scaled_label(text, align=_RIGHT if column > 1 else
                                                    Qt.AlignmentFlag.AlignLeft),
                                       TYPE.board_min, bold=column == 0, lines=1.2)
                self.waiting_grid.addWidget(cell, row, column)
        self.waiting_grid.setColumnStretch(0, 1)
        self.waiting_grid.setColumnStretch(1, 4)
        self.waiting_grid.setColumnStretch(2, 2)
        self.waiting_grid.setColumnStretch(3, 2)

    def _clear(self, grid: QGridLayout) -> None:
        gone = []
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                gone.extend([widget, *widget.findChildren(QWidget)])
                widget.hide()
                widget.deleteLater()
        self.sizes.forget(gone)

    def _on_tick(self) -> None:
        self.time.setText(self._clock.now().strftime("%H:%M"))

    def _on_next_notice(self) -> None:
        self._notice_index = (self._notice_index + 1) % len(self.notices)
        notice = self.notices[self._notice_index]
        if notice.image is not None:
            self.notice.setPixmap(QPixmap(str(notice.image)).scaledToHeight(
                round(80 * self.sizes.scale), Qt.TransformationMode.SmoothTransformation))
        else:
            self.notice.setText(notice.text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Draw the design's sizes in proportion to the window (a demo window is smaller)."""
        super().resizeEvent(event)
        self.sizes.apply(event.size().width(), event.size().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Small: the board scales its type to whatever window it gets."""
        return QSize(BOARD_SIZE[0] // 4, BOARD_SIZE[1] // 4)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        """Stop receiving queue events."""
        self._bridge.close()
        super().closeEvent(event)  # type: ignore[arg-type]
