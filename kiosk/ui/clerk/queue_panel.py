"""The clerk's queue panel: waiting tickets and the call, recall, no-show, transfer buttons.

A ticket whose application went back to the citizen shows why (the fixed return reason, in
Japanese), so whoever calls it again knows what the citizen was asked to bring or fix.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator, language_name
from kiosk.ports import Clock
from kiosk.services.counter_desk import CounterDesk
from kiosk.ui.clerk.error_line import ErrorLine
from kiosk.ui.clerk.once import OnceGuard

__all__ = ["QueuePanel"]


class QueuePanel(QWidget):
    """Bound to a :class:`CounterDesk`; refreshed on queue events by its window.

    Emits :attr:`ticket_called` with the called ticket (the review panel opens its forms).
    """

    ticket_called = Signal(object)
    ticket_closed = Signal()

    def __init__(self, tr: Translator, desk: CounterDesk, clock: Clock,
                 languages_of: Callable[[int], list[str]], parent: QWidget | None = None, *,
                 returned_of: Callable[[int], list[str]] | None = None,
                 citizen_text: Callable[[str], str] | None = None,
                 away_of: Callable[[int], bool] | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.desk = desk
        self._clock = clock
        self._languages_of = languages_of
        # The return reasons (citizen message ids) of a ticket's returned applications.
        self._returned_of = returned_of or (lambda _ticket_id: [])
        self._citizen_text = citizen_text or str
        self._away_of = away_of or (lambda _ticket_id: False)   # said so on the ticket page
        self.current = QLabel(tr(S_("No ticket called.")))
        self.current.setObjectName("clerk-current")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("queue-tickets")
        self.table.setHorizontalHeaderLabels([tr(S_("Ticket")), tr(S_("Waiting")),
                                              tr(S_("Priority")), tr(S_("Language")),
                                              tr(S_("State"))])
        # Number, wait, priority and languages as wide as their texts ("ja@easy" was cut in
        # a fifth of the panel), the state (a return's reason) in the rest, wrapped.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # A return reason in the state column is read whole: rows grow, nothing is elided.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.transfer_to = QComboBox()
        self.transfer_to.setObjectName("queue-transfer_to")
        for code, name in desk.all_services():
            self.transfer_to.addItem(f"{code} {name}", code)
        self.message = ErrorLine(tr)
        self.tickets: list[Ticket] = []
        self.buttons: dict[str, QPushButton] = {}
        # A double click calls, recalls or finishes once (see OnceGuard).
        self._guard = OnceGuard(self._controls, self._enable_buttons, self)
        grid = QGridLayout()
        for index, (key, text, handler) in enumerate((
                ("next", S_("Call next"), self._on_call_next),
                ("call", S_("Call selected"), self._on_call_selected),
                ("recall", S_("Recall"), self._on_recall),
                ("no_show", S_("No-show"), self._on_no_show),
                ("hold", S_("Hold"), self._on_hold),
                ("resume", S_("Return selected to the line"), self._on_resume),
                ("finish", S_("Ticket done"), self._on_finish),
                ("transfer", S_("Transfer to"), self._on_transfer))):
            button = QPushButton(tr(text))
            button.setObjectName(f"queue-{key}")
            button.clicked.connect(lambda _=False, b=button, h=handler: self._guard.run(b, h))
            self.buttons[key] = button
            grid.addWidget(button, index // 2, index % 2)
        grid.addWidget(self.transfer_to, 4, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        """Reload the waiting list; while the database is away the last one stays, with the
        outage message."""
        self.message.reload(self._reload)

    def _reload(self) -> None:
        now = self._clock.now()
        self.tickets = self.desk.waiting()
        self.table.setRowCount(len(self.tickets))
        for row, ticket in enumerate(self.tickets):
            minutes = self.desk.wait_seconds(ticket, now) // 60
            # In the clerk's words (ベトナム語): a code such as "vi" meant nothing to a clerk.
            languages = "、".join(language_name(code) for code in self._languages_of(ticket.id))
            state = self._tr(S_("held")) if ticket.state is TicketState.HELD else ""
            returned = [self._tr(S_("returned: {reason}"), reason=self._citizen_text(reason))
                        for reason in self._returned_of(ticket.id)]
            away = self._tr(S_("stepped out")) if self._away_of(ticket.id) else ""
            state = " / ".join(filter(None, [state, away, *returned]))
            for column, text in enumerate((ticket.label, self._tr(S_("{m} min"), m=minutes),
                                           str(ticket.priority or ""), languages, state)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        current = self.desk.current
        self.current.setText(self._tr(S_("Serving {ticket} at {counter}"), ticket=current.label,
                                      counter=self.desk.counter) if current
                             else self._tr(S_("No ticket called.")))

    def pause_buttons(self) -> None:
        """Keep the buttons (and the transfer's list) dark for the double-click interval: the
        open tickets above were just taken over or returned, their panel closed and moved
        these up under the pointer, and the second click of that double click would finish
        or hold the ticket just taken over (or open the list, which takes the next click)."""
        self._guard.pause()

    def _controls(self) -> list[QWidget]:
        """What acts on the queue: the buttons and the transfer's list (a click on it opens a
        list that takes the next click)."""
        return [*self.buttons.values(), self.transfer_to]

    def _enable_buttons(self) -> None:
        for control in self._controls():
            control.setEnabled(not self._guard.blocked(control))

    def _selected(self) -> Ticket | None:
        rows = self.table.selectionModel().selectedRows()
        return self.tickets[rows[0].row()] if rows else None

    def _run(self, action: Callable[[], object], *, called: bool = False,
             closed: bool = False) -> bool:
        """Run a queue action; whether it did something (``False``: refused, message shown)."""
        try:
            result = action()
        except UserFacingError as exc:
            self.message.show_error(exc)
            return False
        self.message.done()
        self.refresh()
        if called and isinstance(result, Ticket):
            self.ticket_called.emit(result)
        elif called:
            self.message.setText(self._tr(S_("No one is waiting.")))
        if closed:
            self.ticket_closed.emit()
        return True

    def _on_call_next(self) -> bool:
        return self._run(self.desk.call_next, called=True)

    def _on_call_selected(self) -> bool:
        ticket = self._selected()
        return ticket is not None and self._run(lambda: self.desk.call(ticket.id), called=True)

    def _on_recall(self) -> bool:
        return self._run(self.desk.recall)

    def _on_no_show(self) -> bool:
        return self._run(self.desk.no_show, closed=True)

    def _on_hold(self) -> bool:
        return self._run(self.desk.hold, closed=True)

    def _on_resume(self) -> bool:
        ticket = self._selected()
        return ticket is not None and self._run(lambda: self.desk.resume(ticket.id))

    def _on_finish(self) -> bool:
        return self._run(self.desk.finish, closed=True)

    def _on_transfer(self) -> bool:
        code = self.transfer_to.currentData()
        return self._run(lambda: self.desk.transfer(str(code)), closed=True)
