"""The clerk desktop: login, then the queue and the review side by side; locks when idle.

The lock forgets the open application (its values leave the screen) and asks for the
password again; the ticket being served stays with the counter. Supervisors also see the
day's figures; auditors see only the usage log (admins see everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.deploy.provenance import about_info
from kiosk.doctor import Check
from kiosk.domain.staff import Role, StaffMember
from kiosk.domain.ticket import QueueChanged, Ticket
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator, staff_translator, translator
from kiosk.services.remote_review import RemoteReview
from kiosk.services.return_notice import forward_returns
from kiosk.services.staff import DEMO_LOGIN, DEMO_PASSWORD
from kiosk.services.stepped_out import VisitorAwayChanged
from kiosk.ui.clerk.audit_view import AuditView
from kiosk.ui.clerk.conversation_tab import ConversationTab
from kiosk.ui.clerk.fee_panel import FeePanel
from kiosk.ui.clerk.locked_accounts import LockedAccountsPanel
from kiosk.ui.clerk.login_screen import LoginScreen
from kiosk.ui.clerk.open_tickets import OpenTicketsPanel
from kiosk.ui.clerk.queue_panel import QueuePanel
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel
from kiosk.ui.clerk.reservation_panel import ReservationPanel
from kiosk.ui.clerk.resident_lookup import ResidentLookupTab
from kiosk.ui.clerk.review_panel import ReviewPanel, staff_message
from kiosk.ui.clerk.status_window import StatusPanel
from kiosk.ui.clerk.supervisor_panel import SupervisorPanel
from kiosk.ui.clerk.takings_panel import TakingsPanel
from kiosk.ui.common.about_panel import AboutPanel
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.call_sound import QtCallSound

if TYPE_CHECKING:
    from kiosk.app import Services

__all__ = ["ClerkWindow"]

_ACTIVITY = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress})
_COUNTER_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.ADMIN})
_FIGURES_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
_AUDIT_ROLES = frozenset({Role.AUDITOR, Role.ADMIN})


class ClerkWindow(QStackedWidget):
    """Login page, then the desk (queue + review, and the figures for supervisors)."""

    def __init__(self, services: Services, *, tr: Translator | None = None,
                 checks: Sequence[Check] = (), idle_lock_s: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._tr = tr or staff_translator("ja")
        self._citizen_ja = translator("ja")
        self._staff = services.staff_service()
        self.login = LoginScreen(self._tr, self._staff)
        if services.demo and not services.shared_database:
            self.login.show_hint(self._tr(S_("Demo: staff ID {login}, password {password}"),
                                          login=DEMO_LOGIN, password=DEMO_PASSWORD))
        self.login.logged_in.connect(self._on_logged_in)
        # The device checks show under the login, so IT sees a broken printer before anyone
        # logs in.
        self.status_panel = StatusPanel(self._tr, checks)
        self.status_panel.setVisible(bool(checks))
        self.login.add_below(self.status_panel)
        # Version and configuration checksum: IT reads them here before anyone logs in, and in
        # behind the desk's "This device" button.
        self.about = AboutPanel(self._tr, lambda: about_info(services.config.source))
        self.login.add_below(self.about)
        self.addWidget(self.login)
        self.desk_page: QWidget | None = None
        self.queue: QueuePanel | None = None
        self.review = ReviewPanel(self._tr, self._citizen_ja)
        self.fee: FeePanel | None = None          # with [payment] kind != none
        self.takings: TakingsPanel | None = None
        self.review.changed.connect(self._on_review_changed)
        self.supervisor: SupervisorPanel | None = None
        self.open_tickets: OpenTicketsPanel | None = None
        self.locked_accounts: LockedAccountsPanel | None = None
        self.reservations: ReservationPanel | None = None
        self.audit: AuditView | None = None
        self.conversation: ConversationTab | None = None
        self.remote: RemotePanel | BranchRemotePanel | None = None
        self.resident_lookup: ResidentLookupTab | None = None
        self.member: StaffMember | None = None
        self._desk_of: int | None = None    # the staff id the desk page was built for
        self._bridge = EventBridge(services.events, QueueChanged, self)
        self._bridge.received.connect(self._on_queue_changed)
        # "I have stepped out" / "I am back" from the ticket page: the queue list says who.
        self._away_bridge = EventBridge(services.events, VisitorAwayChanged, self)
        self._away_bridge.received.connect(self._on_queue_changed)
        # A return's reason also reaches the citizen's tablet at this counter.
        self._returns = (forward_returns(services.events, services.conversation)
                         if services.conversation is not None else None)
        seconds = idle_lock_s if idle_lock_s is not None else services.config.ui.idle_timeout_s * 5
        self._idle = QTimer(self, singleShot=True, interval=seconds * 1000)
        self._idle.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Any click or key press restarts the idle timer."""
        if event.type() in _ACTIVITY and self.member is not None:
            self._idle.start()
        return False

    def lock(self) -> None:
        """Hide everything and ask for the login again."""
        self.review.close_application()
        if self.conversation is not None:
            self.conversation.stop()
        if self.remote is not None:
            self.remote.lock()                  # a locked desk shows and sends no picture
        if self.resident_lookup is not None:
            self.resident_lookup.clear()        # the register's values leave the screen too
        self.member = None
        self.setCurrentWidget(self.login)
        self.login.reset()                      # shown first: the name field takes the focus

    def _on_logged_in(self, member: StaffMember) -> None:
        self.member = member
        if self.desk_page is None or self._desk_of != member.id:
            self._build_desk(member)
        assert self.desk_page is not None
        self.setCurrentWidget(self.desk_page)
        self._idle.start()

    def _build_desk(self, member: StaffMember) -> None:
        config, services = self._services.config, self._services
        if self.desk_page is not None:
            self.removeWidget(self.desk_page)
        page = QWidget()
        head = QHBoxLayout()
        head.addWidget(QLabel(self._tr(S_("{name} at {counter}"), name=member.display_name,
                                       counter=config.device.counter)), 1)
        lock = QPushButton(self._tr(S_("Lock")))
        lock.setObjectName("desk-lock")
        lock.clicked.connect(self.lock)
        head.addWidget(lock)
        self.tabs = tabs = QTabWidget()
        self.queue = None
        self.open_tickets = None
        self.conversation = None
        self._close_remote()
        if member.role in _COUNTER_ROLES:
            tabs.addTab(self._counter_tab(member), self._tr(S_("Counter")))
            if services.conversation is not None:
                self.conversation = ConversationTab(
                    services.conversation, services.events, services.captioner, self._tr,
                    visitor_microphone=services.visitor_speech is not None)
                tabs.addTab(self.conversation, self._tr(S_("Conversation")))
            self._lookup_tab(member)
            self._remote_tab(member)
        self.supervisor = None
        self.takings = None
        self.locked_accounts = None
        self.reservations = None
        if member.role in _FIGURES_ROLES:
            self.supervisor = SupervisorPanel(
                self._tr, services.day_figures,
                lambda: {str(m.id): m.display_name for m in self._staff.list()})
            tabs.addTab(self.supervisor, self._tr(S_("Today's figures")))
            if services.payments is not None:
                payments = services.payments
                self.takings = TakingsPanel(self._tr, lambda: payments.takings(
                    services.clock.now().date()))
                tabs.addTab(self.takings, self._tr(S_("Today's takings")))
            self.locked_accounts = LockedAccountsPanel(self._tr, self._staff, member)
            tabs.addTab(self.locked_accounts, self._tr(S_("Locked accounts")))
            web = services.config.web
            if services.reservations is not None and (web.public_url or web.feed_url):
                # Only where phones can book (the city runs the web page).
                self.reservations = ReservationPanel(self._tr, services.reservations)
                tabs.addTab(self.reservations, self._tr(S_("Reservations")))
        self.audit = None
        if member.role in _AUDIT_ROLES:
            # The usage logs hold no personal data; still, reading them is the auditor's job.
            self.audit = AuditView(self._tr, config.audit_dir,
                                   today=services.clock.now().astimezone().date(),
                                   names=services.usage_code_names())
            tabs.addTab(self.audit, self._tr(S_("Usage log")))
        layout = QVBoxLayout(page)
        layout.addLayout(head)
        layout.addWidget(self._desk_about(head))
        layout.addWidget(tabs, 1)
        self.desk_page = page
        self._desk_of = member.id
        self.addWidget(page)

    def _close_remote(self) -> None:
        # The previous desk's remote call and its polling end with it.
        if self.remote is not None:
            self.remote.close_panel()
        self.remote = None

    def _remote_tab(self, member: StaffMember) -> None:
        # The remote counter ([remote]): branch requests wait here; Accept opens the call.
        services = self._services
        if services.remote is None or services.open_remote_call is None:
            return
        if services.config.remote.side == "branch":
            self.remote = BranchRemotePanel(
                self._tr, services.remote, services.open_remote_call,
                services.service_names(),
                services.config.device.counter, sound=QtCallSound,
                visit_ticket=self._called_ticket, review=RemoteReview(services.review),
                staff=member, captions=services.remote_captions)
        else:
            self.remote = RemotePanel(self._tr, services.remote, services.open_remote_call,
                                      services.clock, staff_id=member.id, sound=QtCallSound,
                                      review=RemoteReview(services.review), staff=member,
                                      citizen_text=self._citizen_ja,
                                      captions=services.remote_captions)
        self.tabs.addTab(self.remote, self._tr(S_("Remote counter")))

    def _called_ticket(self) -> int | None:
        # The visitor served at this desk: a branch's remote request names their ticket.
        current = self.queue.desk.current if self.queue is not None else None
        return current.id if current is not None else None

    def _lookup_tab(self, member: StaffMember) -> None:
        """住民照会, only for a member with a valid lookup right on a PC with a register."""
        lookup = self._services.resident_lookup
        self.resident_lookup = None
        if lookup is None or not lookup.may_look_up(member):
            return
        self.resident_lookup = ResidentLookupTab(
            self._tr, lookup, member, lambda: self.review.review,
            self.review.show_application)
        self.tabs.addTab(self.resident_lookup, self._tr(S_("Resident lookup")))

    def _desk_about(self, head: QHBoxLayout) -> AboutPanel:
        """Version and configuration checksum, folded away behind a button in the head row."""
        source = self._services.config.source
        self.desk_about = AboutPanel(self._tr, lambda: about_info(source))
        self.desk_about.hide()
        self.about_button = QPushButton(self._tr(S_("This device")))
        self.about_button.setObjectName("about-toggle")

        def toggle() -> None:
            if not self.desk_about.isVisible():
                self.desk_about.refresh()
            self.desk_about.setVisible(not self.desk_about.isVisible())

        self.about_button.clicked.connect(toggle)
        head.insertWidget(head.count() - 1, self.about_button)     # before "Lock"
        return self.desk_about

    def _counter_tab(self, member: StaffMember) -> QWidget:
        services = self._services
        desk = services.counter_desk(member)
        self.queue = QueuePanel(self._tr, desk, services.clock, services.ticket_languages,
                                returned_of=services.review.returned_reasons,
                                citizen_text=self._citizen_ja,
                                away_of=services.stepped_out.is_away)
        self.queue.ticket_called.connect(self._on_ticket_called)
        self.queue.ticket_closed.connect(self.review.close_application)
        # Calls left open (a restart mid-call, another clerk's at this counter): shown above
        # the queue until the clerk takes them over or returns them to the line.
        self.open_tickets = open_tickets = OpenTicketsPanel(self._tr, desk)
        open_tickets.taken.connect(self._on_ticket_taken)
        open_tickets.changed.connect(self.queue.refresh)
        # Its hiding moves the queue's buttons up under the pointer (see pause_buttons).
        open_tickets.changed.connect(self.queue.pause_buttons)
        self.queue.ticket_called.connect(lambda _ticket: open_tickets.refresh())
        self.queue.ticket_closed.connect(open_tickets.refresh)
        work = QWidget()
        row = QHBoxLayout(work)
        left = QVBoxLayout()
        left.addWidget(open_tickets)
        left.addWidget(self.queue, 1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self.review, 1)     # the values need the room (shown whole)
        self.fee = None
        if services.payments is not None:
            self.fee = FeePanel(self._tr, services.payments)
            self.fee.paid.connect(self._on_fee_paid)
            right.addWidget(self.fee)
        row.addLayout(right, 2)
        # On a small screen (the demo's third of a 1920 x 1080 screen) the counter scrolls
        # instead of growing the window past the screen and over the board.
        scroller = QScrollArea()
        scroller.setWidget(work)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        return scroller

    def _on_review_changed(self) -> None:
        if self.fee is not None:
            self.fee.show_review(self.review.review)

    def _on_fee_paid(self) -> None:
        if self.takings is not None:
            self.takings.refresh()

    def _on_ticket_called(self, ticket: Ticket) -> None:
        """Open the called ticket's first application (the citizen is on the way)."""
        self.review.close_application()
        if self.member is None:
            return
        try:
            languages = self._services.ticket_languages(ticket.id)
            if self.conversation is not None and languages:
                self.conversation.follow_visitor(languages[0])
            if self.conversation is not None:
                # The captions expect the words of what the visitor came for.
                self.conversation.follow_procedures(
                    self._services.ticket_procedures(ticket.id))
            ids = self._services.review.applications_for_ticket(ticket.id)
            if not ids:
                return
            session = self._services.review.open(ids[0], self.member)
        except UserFacingError as exc:
            self.review.message.setText(staff_message(self._tr, exc, self.review.outage))
            return
        self.review.show_application(session)

    def _on_ticket_taken(self, ticket: Ticket) -> None:
        """An open ticket is served here again: show it as current and open its application."""
        if self.queue is not None:
            self.queue.refresh()
        self._on_ticket_called(ticket)

    def _on_queue_changed(self, _event: object) -> None:
        if self.queue is not None:
            self.queue.refresh()
        if self.open_tickets is not None:
            self.open_tickets.refresh()
        if self.supervisor is not None:
            self.supervisor.refresh()
        if self.takings is not None:
            self.takings.refresh()

    def close_bridge(self) -> None:
        """Stop receiving queue events (the window is going away)."""
        self._close_remote()
        self._bridge.close()
        self._away_bridge.close()
        if self._returns is not None:
            self._returns.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
