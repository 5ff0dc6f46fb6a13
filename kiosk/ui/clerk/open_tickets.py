"""Tickets still the clerk's: called and not finished, for example before the desk restarted.

Without this a restart stranded them: the store said ``called``, the desk said "no ticket
called" and the queue did not list them. Shown above the queue while there are any.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.services.counter_desk import CounterDesk
from kiosk.ui.clerk.error_line import ErrorLine

__all__ = ["OpenTicketsPanel"]

_STATE_TEXT = {TicketState.CALLED: S_("called"), TicketState.RECALLED: S_("called again"),
               TicketState.SERVING: S_("being served")}


class OpenTicketsPanel(QGroupBox):
    """Bound to a :class:`CounterDesk`; emits :attr:`taken` with the ticket the clerk serves
    now (the window opens its application) and :attr:`changed` after any action."""

    taken = Signal(object)
    changed = Signal()

    def __init__(self, tr: Translator, desk: CounterDesk, parent: QWidget | None = None) -> None:
        super().__init__(tr(S_("Tickets still yours (called, not finished)")), parent)
        self._tr = tr
        self.desk = desk
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr(S_("Ticket")), tr(S_("State")),
                                              tr(S_("Called at")), tr(S_("Counter"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # Room for three rows: the queue below needs the height more.
        self.table.setMaximumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + 3 * self.table.verticalHeader().defaultSectionSize()
                                    + 2 * self.table.frameWidth())
        self.message = ErrorLine(tr)
        self.tickets: list[Ticket] = []
        # After an action the buttons stay dark for the double-click interval (a second click
        # of the same intention is dropped); the panel hides at once when no ticket is left,
        # and the window keeps the queue's buttons it moved under the pointer dark as long
        # (QueuePanel.pause_buttons). It used to stay on screen for that interval instead,
        # and its hiding then moved the whole desk under a click aimed at the review.
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, handler in (
                ("take_over", S_("Continue serving"), self._on_take_over),
                ("recall", S_("Call again"), self._on_recall),
                ("return", S_("Return to the line"), self._on_return)):
            button = QPushButton(tr(text))
            button.setObjectName(f"open-{key}")
            button.clicked.connect(handler)
            self.buttons[key] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        """Reload the open tickets; the panel hides while there are none. While the database
        is away the last list stays, with the outage message."""
        self.message.reload(self._reload)

    def _reload(self) -> None:
        self.tickets = self.desk.open_tickets()
        self.table.setRowCount(len(self.tickets))
        for row, ticket in enumerate(self.tickets):
            called = (ticket.called_at.astimezone().strftime("%H:%M")
                      if ticket.called_at else "")
            for column, text in enumerate((ticket.label, self._tr(_STATE_TEXT[ticket.state]),
                                           called, ticket.counter)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if len(self.tickets) == 1:
            self.table.selectRow(0)
        self.setVisible(bool(self.tickets))

    def _selected(self) -> Ticket | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self._tr(S_("Select a ticket first.")))
            return None
        return self.tickets[rows[0].row()]

    def _run(self, action: Callable[[Ticket], Ticket], *, taken: bool) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        try:
            result = action(ticket)
        except UserFacingError as exc:
            self.message.show_error(exc)
            self.refresh()
            return
        self.message.done()
        for button in self.buttons.values():
            button.setEnabled(False)
        QTimer.singleShot(QApplication.doubleClickInterval(), self, self._settled)
        self.refresh()
        self.changed.emit()
        if taken:
            self.taken.emit(result)

    def _settled(self) -> None:
        """The double-click interval after an action passed: the buttons are free again."""
        for button in self.buttons.values():
            button.setEnabled(True)

    def _on_take_over(self) -> None:
        self._run(lambda ticket: self.desk.take_over(ticket.id), taken=True)

    def _on_recall(self) -> None:
        def recall(ticket: Ticket) -> Ticket:
            self.desk.take_over(ticket.id)
            return self.desk.recall()

        self._run(recall, taken=True)

    def _on_return(self) -> None:
        self._run(lambda ticket: self.desk.return_to_line(ticket.id), taken=False)
