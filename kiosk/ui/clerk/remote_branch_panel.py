"""The remote counter (リモート窓口) at a branch office's clerk desk: ask the main office for a
specialist, wait for one to accept, then the call.

The branch clerk picks the service and the visitor's language and asks; the request waits at
the main office's desks (:mod:`kiosk.ui.clerk.remote_panel`). Once a specialist accepts, this
end opens the call (it offers) and shows the specialist; the branch's document camera can be
sent instead of its camera. Withdraw takes back a request no one has accepted yet.

The request names the visitor called at this desk (their queue ticket), so the specialist can
open their application. While the call is on, this desk looks every two seconds whether the
specialist changed it (statuses and correction counts only); when so, it shows each changed
field (old -> new, reason) and the application's status, so the branch clerk can explain
and print. These stay until the next request or the desk is locked.

The visitor can ask at the branch's tablet too (its ticket screen): an idle desk of the same
``[device] counter`` takes that request as its own and the call of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket, RemoteTicketState
from kiosk.domain.staff import StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import LANGUAGES, S_, Translator
from kiosk.ports import CallSound, RemoteCall
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.services.remote_review import RemoteReview, ReviewedApplication
from kiosk.services.review import STATUS_NAMES
from kiosk.ui.clerk.call_captions import CallCaptionArea, CaptionsFactory
from kiosk.ui.clerk.remote_panel import CALL_STATES, show_picture

__all__ = ["BranchRemotePanel"]

_POLL_MS = 1000              # how often a waiting request looks whether it was accepted
_PICTURE_MS = 66
_TABLET_MS = 2000            # how often an idle desk looks for a request from its tablet
_CHANGES_MS = 2000           # how often the call looks whether the specialist changed something


class BranchRemotePanel(QWidget):
    """Ask, wait, talk: the branch's end of the remote counter.

    Args:
        tr: the staff translator.
        desk: the remote tickets.
        open_call: the call of an accepted ticket (this end offers).
        services: (code, name) of the services a specialist can be asked for.
        branch: this counter's name as the main office sees it.
        sound: makes the loudspeaker of one call (the specialist's voice); ``None``: not played.
        visit_ticket: the queue ticket of the visitor called at this desk (``None``: none).
        review: what the specialist changed, read by ``staff`` (this desk's clerk).
        captions: the captions of an opened call, shown in the visitor's language (the main
            office recognises both voices); ``None``: none.
    """

    def __init__(self, tr: Translator, desk: RemoteCounterDesk,
                 open_call: Callable[[RemoteTicket], RemoteCall],
                 services: Sequence[tuple[str, str]], branch: str,
                 sound: Callable[[], CallSound] | None = None,
                 visit_ticket: Callable[[], int | None] | None = None,
                 review: RemoteReview | None = None, staff: StaffMember | None = None,
                 captions: CaptionsFactory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sound = sound
        self.captions = CallCaptionArea(captions, Party.CITIZEN, points=18)
        self._visit_ticket = visit_ticket
        self._remote_review = review if staff is not None else None
        self._staff = staff
        self._marks: tuple[tuple[int, str, int], ...] = ()
        self._tr = tr
        self.desk = desk
        self._open_call = open_call
        self._branch = branch
        self.ticket: RemoteTicket | None = None
        self.call: RemoteCall | None = None
        self._document = False
        self.service = QComboBox()
        for code, name in services:
            self.service.addItem(f"{code} {name}", code)
        self.language = QComboBox()
        for language in LANGUAGES:
            self.language.addItem(language.native_name, language.code)
        self.ask_button = self._button(S_("Ask the main office for a specialist"), "remote-ask", self._on_ask)
        self.withdraw_button = self._button(S_("Withdraw the request"), "remote-withdraw", self._on_withdraw)
        self.document_button = self._button(S_("Send my document camera"), "remote-document",
                                            self._on_document)
        self.end_button = self._button(S_("End call"), "remote-end", self.end_call)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        self.picture.setStyleSheet("background: #202020; color: #e0e0e0;")
        self.state = QLabel("", wordWrap=True)
        self.state.setObjectName("remote-state")
        self.review_status = QLabel("", wordWrap=True)
        self.review_status.setObjectName("remote-review-status")
        self.changes = QTableWidget(0, 4)
        self.changes.setObjectName("remote-changes")
        self.changes.setHorizontalHeaderLabels([self._tr(S_("Field")), self._tr(S_("Before")),
                                                self._tr(S_("After")), self._tr(S_("Reason"))])
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes.verticalHeader().setVisible(False)
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # Values are read whole (an address differs at its end): wrapped, never elided.
        self.changes.setWordWrap(True)
        self.changes.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.changes.setVisible(self._remote_review is not None)
        self._lay_out()
        self._poll = self._timer(_POLL_MS, self._look)
        self._frames = self._timer(_PICTURE_MS, self._show)
        # A request made at this branch's tablet (the visitor's button) becomes this desk's.
        self._tablet = self._timer(_TABLET_MS, self._adopt)
        self._tablet.start()
        self._changes_timer = self._timer(_CHANGES_MS, self._look_for_changes)
        self._controls()

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(self._tr(text))
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self._tr(S_("Service")), self.service)
        form.addRow(self._tr(S_("Language")), self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        asking = QHBoxLayout()
        asking.addWidget(self.ask_button)
        asking.addWidget(self.withdraw_button)
        layout.addLayout(asking)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.captions, 1)
        calling = QHBoxLayout()
        calling.addWidget(self.document_button)
        calling.addWidget(self.end_button)
        layout.addLayout(calling)
        layout.addWidget(self.review_status)
        layout.addWidget(self.changes, 1)

    def _controls(self) -> None:
        waiting, talking = self.ticket is not None and self.call is None, self.call is not None
        self.ask_button.setEnabled(self.ticket is None and self.service.count() > 0)
        self.withdraw_button.setEnabled(waiting)
        self.document_button.setEnabled(talking)
        self.end_button.setEnabled(talking)
        self.document_button.setText(self._tr(S_("Send my camera") if self._document
                                              else S_("Send my document camera")))

    def _on_ask(self) -> None:
        self._clear_changes()
        visit = self._visit_ticket() if self._visit_ticket is not None else None
        try:
            self.ticket = self.desk.request(str(self.service.currentData()), self._branch,
                                            str(self.language.currentData()), visit)
        except UserFacingError as exc:
            self.state.setText(self._tr(exc.message_id, **exc.params))
            return
        self.state.setText(self._tr(S_("Waiting for a specialist at the main office…")))
        self._poll.start()
        self._controls()

    def _adopt(self) -> None:
        if self.ticket is not None:
            return
        ticket = self.desk.asked_at(self._branch)
        if ticket is None:
            return
        self._clear_changes()
        self.ticket = ticket
        self.service.setCurrentIndex(max(0, self.service.findData(ticket.service)))
        self.language.setCurrentIndex(max(0, self.language.findData(ticket.language)))
        self.state.setText(self._tr(S_("The visitor asked for a specialist at the tablet: "
                                       "waiting for the main office…")))
        self._poll.start()
        self._controls()

    def _on_withdraw(self) -> None:
        ticket, self.ticket = self.ticket, None
        self._poll.stop()
        if ticket is not None and self.desk.cancel(ticket.id) is None:
            # Accepted in the meantime: the specialist is calling; take the call.
            self.ticket = ticket
            self._look()
            return
        self.state.setText(self._tr(S_("The request was withdrawn.")))
        self._controls()

    def _look(self) -> None:
        if self.ticket is None or self.call is not None:
            return
        ticket = self.desk.get(self.ticket.id)
        if ticket is None or ticket.state is not RemoteTicketState.ACCEPTED:
            return
        self._poll.stop()
        self.ticket, self._document = ticket, False
        self.call = self._open_call(ticket)
        self.captions.open(ticket, self.call, self._sound() if self._sound is not None else None)
        self.call.start()
        self.captions.start()
        self._frames.start()
        if self._remote_review is not None and ticket.visit_ticket_id is not None:
            self._marks = self._remote_review.marks(ticket)     # as the visitor left it
            self._changes_timer.start()
        self._controls()

    def _show(self) -> None:
        if self.call is None:
            return
        state = self.call.state
        self.state.setText(self._tr(CALL_STATES[state]))
        if state in ("ended", "failed"):                 # the specialist hung up, or no line
            self.end_call()
            self.state.setText(self._tr(CALL_STATES[state]))
            return
        show_picture(self.picture, self.call.remote_picture())

    def _look_for_changes(self) -> None:
        ticket, review, staff = self.ticket, self._remote_review, self._staff
        if ticket is None or review is None or staff is None:
            return
        try:
            marks = review.marks(ticket)
            if marks == self._marks:
                return
            seen = review.changes(ticket, staff)
        except UserFacingError as exc:
            self.review_status.setText(self._tr(exc.message_id, **exc.params))
            return
        self._marks = marks
        self._show_changes(seen)

    def _show_changes(self, seen: list[ReviewedApplication]) -> None:
        rows = [field for application in seen for field in application.changes]
        self.changes.setRowCount(len(rows))
        for row, field in enumerate(rows):
            for column, text in enumerate((field.label, field.original, field.value, field.reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.changes.setItem(row, column, item)
        self.changes.resizeRowsToContents()
        self.review_status.setText("\n".join(
            self._tr(S_("{title}: {status}, {n} fields changed by the specialist"),
                     title=application.title, status=self._tr(STATUS_NAMES[application.status]),
                     n=len(application.changes)) for application in seen))

    def _clear_changes(self) -> None:
        self._changes_timer.stop()
        self._marks = ()
        self.changes.setRowCount(0)
        self.review_status.clear()

    def _on_document(self) -> None:
        if self.call is None:
            return
        self._document = not self._document
        self.call.switch_video("document" if self._document else "camera")
        self._controls()

    def end_call(self) -> None:
        """Hang up (or withdraw a waiting request) and clear the picture."""
        if self.call is not None:
            self._look_for_changes()          # the last word of the specialist, then no more
        self._changes_timer.stop()
        call, ticket = self.call, self.ticket
        self.call = self.ticket = None
        self._poll.stop()
        self._frames.stop()
        self.captions.close_captions()              # wiped here and at the main office
        if call is not None:
            call.hang_up()
            self.state.setText(self._tr(CALL_STATES["ended"]))
        if ticket is not None:
            if call is None:
                self.desk.cancel(ticket.id)
            else:
                self.desk.end(ticket.id)                 # None when the main office ended it
        self.picture.clear()
        self._controls()

    def lock(self) -> None:
        """End any call or request and clear what the specialist changed from the screen
        (the desk locks: the visitor's values leave it). No request of the tablet is taken
        any more: the next login builds the desk again."""
        self._tablet.stop()
        self.end_call()
        self._clear_changes()

    def close_panel(self) -> None:
        """The same as :meth:`lock` (the desk is being rebuilt or closed)."""
        self.lock()
