"""The remote counter (リモート窓口) at a main-office clerk desk: waiting requests and the call.

Branch counters ask for a specialist (:class:`~kiosk.services.remote_counter.RemoteCounterDesk`);
their requests wait here with the service, the visitor's language and the branch. Accept takes
one (another desk that pressed at the same time is told it was taken) and opens the call
(:class:`kiosk.ports.RemoteCall`): the branch's picture, the line's state in words, the
branch's document camera on request, End call. Pictures are shown, never kept.

During the call the specialist opens the visitor's application (the one the branch named) in
the same review as a local counter (:class:`~kiosk.ui.clerk.review_panel.ReviewPanel`),
beside the branch's picture: corrections with reasons, approval. It closes with the call.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
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
from kiosk.domain.remote import RemoteTicket
from kiosk.domain.staff import StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.ports import CallSound, Clock, RemoteCall, RemotePicture
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.services.remote_review import RemoteReview
from kiosk.ui.clerk.call_captions import CallCaptionArea, CaptionsFactory
from kiosk.ui.clerk.review_panel import ReviewPanel, staff_message

__all__ = ["CALL_STATES", "RemotePanel", "show_picture"]

CALL_STATES = _STATES = {
    "idle": S_("Not connected"),
    "connecting": S_("Connecting to the branch…"),
    "connected": S_("Connected"),
    "interrupted": S_("The line to the branch is interrupted; waiting for it to come back…"),
    "ended": S_("The call has ended."),
    "failed": S_("The call could not be connected."),
}
_REFRESH_MS = 3000
_PICTURE_MS = 66            # 15 pictures a second, as the branch sends them


def show_picture(label: QLabel, picture: RemotePicture | None) -> None:
    """Show the other end's latest picture in ``label``, scaled to fit (kept nowhere else)."""
    if picture is None:
        return
    image = QImage(picture.rgb, picture.width, picture.height, picture.width * 3,
                   QImage.Format.Format_RGB888)
    label.setPixmap(QPixmap.fromImage(image).scaled(
        label.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))


class RemotePanel(QWidget):
    """Waiting remote requests and the call of the accepted one.

    Args:
        tr: the staff translator.
        desk: the remote tickets.
        open_call: makes the call end for an accepted ticket (the main office answers).
        clock: for how long each request has waited.
        staff_id: the specialist at this desk.
        sound: makes the loudspeaker of one call (the branch's voice); ``None``: not played.
        review: the visitor's application for ``staff`` (the specialist); ``None``: no review.
        citizen_text: a return reason in Japanese (the review's, for the clerk).
        captions: the captions of an opened call (both voices, translated); ``None``: none.
    """

    def __init__(self, tr: Translator, desk: RemoteCounterDesk,
                 open_call: Callable[[RemoteTicket], RemoteCall], clock: Clock,
                 staff_id: int | None = None, sound: Callable[[], CallSound] | None = None,
                 review: RemoteReview | None = None, staff: StaffMember | None = None,
                 citizen_text: Callable[[str], str] = str,
                 captions: CaptionsFactory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sound = sound
        self.captions = CallCaptionArea(captions, Party.CLERK, points=16)
        self._remote_review = review if staff is not None else None
        self._staff = staff
        self._tr = tr
        self.desk = desk
        self._open_call = open_call
        self._clock = clock
        self._staff_id = staff_id
        self.ticket: RemoteTicket | None = None
        self.call: RemoteCall | None = None
        self._waiting: list[RemoteTicket] = []
        self._document = False

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr(S_("Service")), tr(S_("Language")),
                                              tr(S_("Branch")), tr(S_("Waiting (min)"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.accept_button = QPushButton(tr(S_("Accept")))
        self.accept_button.setObjectName("remote-accept")
        self.accept_button.clicked.connect(self._on_accept)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        self.picture.setStyleSheet("background: #202020; color: #e0e0e0;")
        self.state = QLabel("", wordWrap=True)
        self.state.setObjectName("remote-state")
        self.document_button = QPushButton(tr(S_("Show the branch's document camera")))
        self.document_button.setObjectName("remote-document")
        self.document_button.clicked.connect(self._on_document)
        self.end_button = QPushButton(tr(S_("End call")))
        self.end_button.setObjectName("remote-end")
        self.end_button.clicked.connect(self.end_call)
        self.review_button = QPushButton(tr(S_("Open the visitor's application")))
        self.review_button.setObjectName("remote-review")
        self.review_button.clicked.connect(self._on_review)
        self.message = QLabel("", wordWrap=True)
        self.review = ReviewPanel(tr, citizen_text)
        self.review.hide()

        self._lay_out()
        self._refresh_timer = self._timer(_REFRESH_MS, self.refresh)
        self._picture_timer = self._timer(_PICTURE_MS, self._show_picture)
        self._refresh_timer.start()
        self.refresh()
        self._show_call_controls()

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    def _lay_out(self) -> None:
        row = QHBoxLayout(self)
        layout = QVBoxLayout()
        row.addLayout(layout, 2)
        row.addWidget(self.review, 3)
        layout.addWidget(QLabel(self._tr(S_("Requests from the branch counters")), wordWrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.picture, 3)
        layout.addWidget(self.state)
        layout.addWidget(self.captions, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.document_button)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.end_button)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    # ------------------------------------------------------------------ the requests
    def refresh(self) -> None:
        """Reload the waiting requests."""
        self._waiting = self.desk.waiting()
        now = self._clock.now()
        self.table.setRowCount(len(self._waiting))
        for row, ticket in enumerate(self._waiting):
            waited = max(0, int((now - ticket.requested_at).total_seconds() // 60))
            for column, text in enumerate((ticket.service, ticket.language, ticket.branch, str(waited))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self._waiting and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self.accept_button.setEnabled(bool(self._waiting) and self.call is None)

    def _on_accept(self) -> None:
        row = self.table.currentRow()
        if self.call is not None or not 0 <= row < len(self._waiting):
            return
        ticket = self.desk.accept(self._waiting[row].id, self._staff_id)
        if ticket is None:
            self.message.setText(self._tr(S_("Another desk took this request, or the branch "
                                             "withdrew it.")))
            self.refresh()
            return
        self.message.setText("")
        self.ticket, self._document = ticket, False
        self.call = self._open_call(ticket)
        self.captions.open(ticket, self.call, self._sound() if self._sound is not None else None)
        self.call.start()
        self.captions.start()
        self._picture_timer.start()
        self.refresh()
        self._show_call_controls()

    # ------------------------------------------------------------------ the call
    def _show_call_controls(self) -> None:
        on = self.call is not None
        self.document_button.setEnabled(on)
        self.end_button.setEnabled(on)
        self.review_button.setVisible(self._remote_review is not None)
        self.review_button.setEnabled(on and self.ticket is not None
                                      and self.ticket.visit_ticket_id is not None)
        self.state.setText(self._tr(_STATES[self.call.state]) if self.call is not None else "")
        self.document_button.setText(self._tr(
            S_("Show the branch's camera") if self._document
            else S_("Show the branch's document camera")))

    def _show_picture(self) -> None:
        if self.call is None:
            return
        state = self.call.state
        self.state.setText(self._tr(_STATES[state]))
        if state in ("ended", "failed"):                 # the branch hung up, or no line
            self.end_call()
            self.state.setText(self._tr(_STATES[state]))
            return
        show_picture(self.picture, self.call.remote_picture())

    def _on_document(self) -> None:
        # The document camera is the branch's: the call asks the branch's end to switch.
        if self.call is None:
            return
        self._document = not self._document
        self.call.ask_remote_video("document" if self._document else "camera")
        self._show_call_controls()

    def _on_review(self) -> None:
        # The same review as at a local counter, on the application the branch's visitor made.
        ticket, review, staff = self.ticket, self._remote_review, self._staff
        if ticket is None or review is None or staff is None:
            return
        try:
            session = review.open(ticket, staff)
        except UserFacingError as exc:
            self.message.setText(staff_message(self._tr, exc, self.review.outage))
            return
        if session is None:
            self.message.setText(self._tr(S_("The visitor has no application to review.")))
            return
        self.message.setText("")
        self.review.show_application(session)
        self.review.show()

    def lock(self) -> None:
        """End the call; its review closes with it (the desk locks)."""
        self.end_call()

    def close_panel(self) -> None:
        """End any call and stop looking for requests (the desk is being rebuilt or closed)."""
        self._refresh_timer.stop()
        self.end_call()

    def end_call(self) -> None:
        """Hang up, record the call's minutes and clear the picture."""
        call, ticket = self.call, self.ticket
        self.call = self.ticket = None
        self._picture_timer.stop()
        self.captions.close_captions()              # wiped here and at the branch
        if call is not None:
            call.hang_up()
        if ticket is not None:
            self.desk.end(ticket.id)
        self.review.close_application()              # no visitor's data stays on the screen
        self.review.hide()
        self.picture.clear()
        self._show_call_controls()
        self.state.setText(self._tr(_STATES["ended"]) if call is not None else "")
        if self._refresh_timer.isActive():
            self.refresh()
