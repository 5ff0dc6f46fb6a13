"""A citizen's visit at the tablet: language, procedures, identity, answers, ticket.

The visit is the model the citizen screens bind to (they keep no state of their own). It lives
only in memory: :meth:`Visit.end` drops the identity, the answers and the ticket, so nothing
personal outlives the visit. Every change publishes :class:`VisitChanged` on the event bus;
the PIN is never stored, logged or spoken.

The visit keeps the stages, the chosen procedures and the submission; small helpers it owns,
which the screens use directly, do the rest: ``visit.life_event``
(:mod:`kiosk.services.life_event`), ``visit.card`` (:mod:`kiosk.services.card_step`),
``visit.flow`` (the questions and the proposed readings, :mod:`kiosk.services.question_flow`),
``visit.summary`` (the check screen, :mod:`kiosk.services.visit_summary`), ``visit.voice``
(:mod:`kiosk.services.voice_guidance`) and ``visit.specialist``
(:mod:`kiosk.services.specialist_request`). Each tells the visit when the stage may change.

The visit is where the tablet turns failures into messages for the citizen, so it is also where
the usage log learns of them: every error it hands a screen to show (a card that cannot be
read, a slip that did not print, a database out of reach) is recorded once as
``ErrorOccurred(where, error class)``. What the citizen typed wrong (a wrong PIN, an answer
that does not fit) is no error: the PIN's outcome has its own event.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kiosk.audit import (
    NULL_USAGE,
    LanguageChosen,
    ProceduresChosen,
    SessionEnded,
    SessionStarted,
    UsageRecorder,
    error_event,
    new_session_id,
)
from kiosk.domain.application import Submission
from kiosk.domain.identity import Identity
from kiosk.domain.signature import SIGNATURE_KEY
from kiosk.domain.ticket import TicketState
from kiosk.errors import DeviceError, UserFacingError
from kiosk.events import Event, EventBus
from kiosk.i18n import Translator, language, translator
from kiosk.ports import Clock, IdentityReader, ReadingProposer, Speaker
from kiosk.procedures.bundles import Applicable
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.kana import plain_text
from kiosk.procedures.model import FormDefinition, LocalText
from kiosk.procedures.session import FormSession
from kiosk.procedures.stored import to_stored
from kiosk.services.applications import SubmissionService
from kiosk.services.card_step import (
    SOMETHING_WENT_WRONG,
    CardOutcome,
    CardResult,
    CardStep,
    card_sources,
)
from kiosk.services.life_event import LifeEventStep
from kiosk.services.question_flow import Question, QuestionFlow
from kiosk.services.queue import IssuedTicket, QueueService, SlipPrinter
from kiosk.services.signature_capture import SignatureCapture
from kiosk.services.specialist_request import SpecialistRequest
from kiosk.services.visit_summary import ReviewLine, VisitSummary
from kiosk.services.voice_guidance import VoiceGuidance
from kiosk.storage.engine import DatabaseUnavailableError

__all__ = [
    "SOMETHING_WENT_WRONG",
    "CardOutcome",
    "CardResult",
    "LanguageChanged",
    "Question",
    "ReviewLine",
    "Stage",
    "TicketInfo",
    "Visit",
    "VisitChanged",
    "VisitEnded",
]

# The procedure a citizen whose card's PIN is locked applies for (forms/card_pin.yaml): the
# locked card screen offers it instead of only sending them to a counter.
PIN_RESET_FORM = "card_pin"

class Stage(enum.Enum):
    """The screens of the flow, in order."""

    WELCOME = "welcome"
    CHOOSE = "choose"
    LIFE_EVENT = "life_event"
    IDENTIFY = "identify"
    FORMS = "forms"
    REVIEW = "review"
    TICKET = "ticket"


@dataclass(frozen=True, slots=True)
class LanguageChanged(Event):
    """The citizen picked another language (a catalog code such as ``"vi"``)."""

    code: str


@dataclass(frozen=True, slots=True)
class VisitChanged(Event):
    """The visit moved to ``stage`` or its answers changed; screens refresh."""

    stage: str


@dataclass(frozen=True, slots=True)
class VisitEnded(Event):
    """The visit ended and was wiped (``reason``: finished, timeout, card_removed, cancelled)."""

    reason: str


@dataclass(frozen=True)
class TicketInfo:
    """What the ticket screen shows: no personal data."""

    label: str
    service: str
    counter: str
    department: str
    people_ahead: int
    wait_minutes: int
    application_ids: tuple[str, ...]
    message_id: str = ""        # e.g. OFFLINE_MESSAGE when the application waits in the outbox
    qr_payload: str = ""        # the ticket page's URL (or the bare number) for the QR code
    ticket_id: int | None = None   # the queue ticket's id (a remote request names it)


class Visit:
    """One citizen's session at a tablet, from Welcome to the ticket.

    Args:
        events: the bus the screens listen to.
        default_language: the language a new visit starts in.
        forms: the procedures and life events offered.
        clock: today's date for age checks and fees.
        identity_reader: the My Number card reader.
        queue: issues the ticket.
        submissions: stores the applications.
        speaker: voice guidance, when configured.
        headset: personal data may be spoken (only through a headset).
        usage: the usage log (events without personal data: stages, outcomes, durations).
        reading: proposes the reading of a name for the citizen to confirm (never silently).
        check_in: reservations (予約): the desk's check-in by a scanned QR code, if any.
        ask_specialist: asks the main office for a specialist (the remote counter, リモート窓口):
            ``(service, language, queue ticket id)``; ``None`` where there is none.
    """

    def __init__(self, events: EventBus, default_language: str, *,
                 forms: FormCatalog | None = None, clock: Clock | None = None,
                 identity_reader: IdentityReader | None = None,
                 queue: QueueService | None = None,
                 submissions: SubmissionService | None = None,
                 speaker: Speaker | None = None, headset: bool = False,
                 usage: UsageRecorder = NULL_USAGE,
                 reading: ReadingProposer | None = None,
                 check_in: Callable[[str], IssuedTicket] | None = None,
                 ask_specialist: Callable[[str, str, int | None], object] | None = None) -> None:
        self._events = events
        self._check_in = check_in
        self._usage = usage
        self._default_language = default_language
        self.forms = forms or FormCatalog()
        self._clock = clock
        self._queue = queue
        self._submissions = submissions
        self.language = default_language
        self.tr: Translator = translator(default_language)
        self.life_event = LifeEventStep(self.forms, self._today,
                                        lambda: self._go(Stage.LIFE_EVENT), self._accept)
        self.card = CardStep(identity_reader, usage, lambda: self.session_id, self.error_shown,
                             self._identified, lambda: self.end("card_removed"))
        self.flow = QuestionFlow(self._go_to_current, reading)
        self.summary = VisitSummary(self.flow, lambda: (self.language, self.tr))
        self.voice = VoiceGuidance(speaker, headset, lambda: self.language)
        self.specialist = SpecialistRequest(
            ask_specialist, lambda: None if self.ticket is None else
            (self.ticket.service, self.ticket.ticket_id),
            lambda: self.language, self.error_shown, lambda: self._go(self.stage))
        self._reset()

    def _reset(self) -> None:
        self.session_id = ""           # the usage log's id of this visit; no personal data
        self._started = 0.0
        self.stage = Stage.WELCOME
        self.chosen: list[str] = []
        self.reasons: dict[str, LocalText] = {}
        self.life_event.reset()
        self.card.forget()
        self.flow.reset()              # the chosen forms' sessions, answers, proposed readings
        self.ticket: TicketInfo | None = None
        self.signature = SignatureCapture()             # the pad's strokes, this visit only
        self.specialist.asked = False

    def __repr__(self) -> str:
        return (f"Visit(stage={self.stage.value}, forms={len(self.flow.sessions)}, "
                f"lang={self.language})")

    # ------------------------------------------------------------ language and stages
    def set_language(self, code: str) -> None:
        """Switch language; everything already answered is kept."""
        language(code)  # raises KeyError for a language the kiosk does not know
        if code == self.language:
            return
        self.language = code
        self.tr = translator(code)
        if self.session_id:
            self._usage.record(LanguageChosen(self.session_id, language=code))
        self._events.publish(LanguageChanged(code))

    def _go(self, stage: Stage) -> None:
        self.stage = stage
        self._events.publish(VisitChanged(stage.value))

    def _go_to_current(self) -> None:
        # The question flow moved: its question, or the review past the last one.
        self._go(Stage.FORMS if self.flow.current() is not None else Stage.REVIEW)

    def start(self) -> None:
        """Leave Welcome for the choice of procedures."""
        self.session_id = new_session_id()
        self._started = time.monotonic()
        self._usage.record(SessionStarted(self.session_id, language=self.language))
        self._go(Stage.CHOOSE)

    def back(self) -> None:
        """One screen back (within the forms: one question back)."""
        if self.stage is Stage.FORMS and self.flow.index > 0:
            self.flow.index -= 1
            self._go(Stage.FORMS)
            return
        previous = {Stage.CHOOSE: Stage.WELCOME, Stage.LIFE_EVENT: Stage.CHOOSE,
                    Stage.IDENTIFY: Stage.CHOOSE, Stage.FORMS: Stage.IDENTIFY,
                    Stage.REVIEW: Stage.FORMS}
        target = previous.get(self.stage, self.stage)
        if target is Stage.IDENTIFY:
            self.card.forget()
            self.flow.load([])
        self._go(target)

    def end(self, reason: str = "finished") -> None:
        """Forget everything about this citizen and return to Welcome in the default language."""
        if self.session_id:
            self._usage.record(SessionEnded(self.session_id, reason=reason,
                                            duration_s=round(time.monotonic() - self._started, 1)))
        self._reset()
        self.set_language(self._default_language)
        self._events.publish(VisitEnded(reason))
        self._events.publish(VisitChanged(Stage.WELCOME.value))

    def error_shown(self, where: str, error: BaseException | type[BaseException]) -> None:
        """Usage log: an error shown to the citizen, ``where`` (a code such as ``card.read``)
        and its class name; call it once per error shown."""
        self._usage.record(error_event(where, error))

    # ------------------------------------------------------------ the chosen procedures
    def offered_forms(self) -> list[FormDefinition]:
        """Procedures a citizen can apply for here, those that loaded without error."""
        # A definition with errors is left out: FormCatalog.form refuses it.
        broken = {issue.location.file for issue in self.forms.errors()}
        return [form for form in self.forms.forms.values() if form.file not in broken]

    def categories(self) -> list[tuple[str, list[FormDefinition]]]:
        """The offered procedures grouped by department, labels in the visit's language."""
        groups: dict[str, list[FormDefinition]] = {}
        for form in self.offered_forms():
            groups.setdefault(plain_text(form.department.get(self.language)), []).append(form)
        return list(groups.items())

    def toggle(self, form_id: str) -> None:
        """Add ``form_id`` to the chosen procedures, or take it out."""
        if form_id in self.chosen:
            self.chosen.remove(form_id)
            self.reasons.pop(form_id, None)
        else:
            self.forms.form(form_id)
            self.chosen.append(form_id)
        self._go(self.stage)

    def _accept(self, applicable: list[Applicable]) -> None:
        # The life event was accepted: its procedures join the chosen ones, with the reason.
        for item in applicable:
            if item.procedure not in self.chosen:
                self.chosen.append(item.procedure)
            self.reasons[item.procedure] = item.reason
        self._go(Stage.CHOOSE)

    def confirm_procedures(self) -> None:
        """Go on to identification with at least one procedure chosen."""
        if self.chosen:
            if self.session_id:
                bundle = self.life_event.bundle
                self._usage.record(ProceduresChosen(
                    self.session_id, forms=tuple(self.chosen),
                    bundle=bundle.id if bundle is not None else ""))
            self._go(Stage.IDENTIFY)

    def offers_pin_reset(self) -> bool:
        """Whether the PIN-reset procedure can be applied for here (a locked card goes there)."""
        return any(form.id == PIN_RESET_FORM for form in self.offered_forms())

    def apply_for_pin_reset(self) -> None:
        """A locked card: add the PIN-reset procedure to the chosen ones (its ticket goes to the
        counter that resets PINs) and continue without the card."""
        if PIN_RESET_FORM not in self.chosen:
            self.chosen.append(PIN_RESET_FORM)
        self.card.continue_without()

    # ------------------------------------------------------------ identification
    def card_withdrawn(self) -> None:
        """The card left the reader: a visit that uses the card ends and is wiped."""
        if self.card.with_card or self.stage is Stage.IDENTIFY:
            self.end("card_removed")

    def _identified(self, identity: Identity | None) -> None:
        # The card was read (or the visitor goes on without it): the chosen forms, pre-filled.
        sources: Mapping[str, Any] = {}
        if identity is not None:
            # Looked up here, on the card-reading thread, so the reading question shows at once.
            self.flow.propose(identity.name)
            sources = card_sources(identity)
        today = self._today()
        self.flow.load([FormSession(self.forms.form(form_id), sources, today=today)
                        for form_id in self.chosen])
        self._go_to_current()

    def _today(self) -> date:
        return self._clock.now().date() if self._clock is not None else date.today()

    # ------------------------------------------------------------ the ticket
    def submit(self, print_slip: SlipPrinter | None = None) -> TicketInfo:
        """Take a ticket (the slip printed first) and submit every form under it.

        The visitor confirmed the check screen: every visible declaration is given first.
        An error raised here is for the screen to show and is already in the usage log
        (``print.slip`` or ``submit``), as is a submission left waiting in the outbox.

        Raises:
            kiosk.errors.DeviceError: the slip did not print; no ticket was issued.
            kiosk.errors.StorageError: the queue's database could not be reached.
            RuntimeError: the visit has no queue or no forms (a wiring error).
            SignatureTooShortError: the pad holds a tap, not a signature.
        """
        if self._queue is None or self._submissions is None or not self.flow.sessions:
            raise RuntimeError("visit is not ready to submit")
        self.signature.check()
        first = self.flow.sessions[0].definition
        self.flow.declare()
        try:
            # The applications are stored before the ticket enters the line: a clerk
            # calling it at once found none, finished it, and the application was stranded.
            forms: list[tuple[list[str], bool, str]] = []
            issued = self._queue.take_ticket(
                first.service, print_slip=print_slip,
                before_issue=lambda ticket: forms.append(self._submit_forms(ticket.id)))
            ids, delivered, message = forms[0]
            ahead = self._people_ahead(issued)
        except UserFacingError as exc:
            # take_ticket raises DeviceError only for the slip; the database raises StorageError.
            self.error_shown("print.slip" if isinstance(exc, DeviceError) else "submit", exc)
            raise
        if not delivered:
            # The ticket screen tells the citizen to go to the counter: the shared database
            # could not be reached and the applications wait in the outbox.
            self.error_shown("submit", DatabaseUnavailableError)
        self.ticket = replace(_ticket_info(issued, first, self.language, ahead, tuple(ids),
                                           message),
                              qr_payload=self._queue.qr_payload(issued.ticket, self.language))
        self._go(Stage.TICKET)
        return self.ticket

    @property
    def takes_reservations(self) -> bool:
        """Whether this tablet checks reservations in (a reader types their QR codes)."""
        return self._check_in is not None and self._queue is not None

    def check_in(self, scanned: str) -> TicketInfo:
        """Check a reservation in by what its QR code holds: its ticket, ahead of walk-ins.

        Raises:
            kiosk.errors.UserFacingError: not a reservation, already used, too early or late
                (the message is for the screen).
            RuntimeError: the tablet takes no reservations (a wiring error).
        """
        if self._check_in is None or self._queue is None:
            raise RuntimeError("visit takes no reservations")
        try:
            issued = self._check_in(scanned)
        except UserFacingError as exc:
            self.error_shown("check_in", exc)
            raise
        ticket = issued.ticket
        # Ahead of walk-ins: only the waiting tickets before it in call order count.
        ahead = 0
        for other in self._queue.day_tickets():
            if other.id == ticket.id:
                break
            ahead += other.service == ticket.service and other.state is TicketState.ISSUED
        waiting = self._people_ahead(issued) + 1
        # The counter and department as the procedures of that service name them.
        form = next((f for f in self.offered_forms() if f.service == ticket.service), None)
        self.ticket = TicketInfo(
            ticket.label, ticket.service, form.counter if form is not None else "",
            plain_text(form.department.get(self.language)) if form is not None
            else self._queue.service_names().get(ticket.service, ticket.service), ahead,
            -(-issued.estimated_wait_seconds * ahead // waiting // 60), (),
            qr_payload=self._queue.qr_payload(ticket, self.language), ticket_id=ticket.id)
        self._go(Stage.TICKET)
        return self.ticket

    def _submit_forms(self, ticket_id: int) -> tuple[list[str], bool, str]:
        """Submit every form under ticket ``ticket_id``: their ids, whether all were
        delivered, and the first message for the citizen."""
        assert self._submissions is not None
        ids, delivered, message = [], True, ""
        signed = self.signature.answer()
        for session in self.flow.sessions:
            answers = to_stored(session, card=self.card.provenance())
            if signed is not None and session.definition.print.signature:
                answers[SIGNATURE_KEY] = signed
            result = self._submissions.submit(Submission(
                session.definition.id, session.definition.version, self.language,
                answers, ticket_id=ticket_id))
            ids.append(str(result.application_id or result.idempotency_key[:8]))
            delivered = delivered and result.delivered
            message = message or result.message_id
        return ids, delivered, message

    def _people_ahead(self, issued: IssuedTicket) -> int:
        if self._queue is None:
            return 0
        lines = self._queue.board([issued.ticket.service])
        return max(0, lines[0].waiting - 1) if lines else 0


def _ticket_info(issued: IssuedTicket, form: FormDefinition, language_code: str, ahead: int,
                 ids: tuple[str, ...], message: str) -> TicketInfo:
    return TicketInfo(issued.ticket.label, issued.ticket.service, form.counter,
                      plain_text(form.department.get(language_code)), ahead,
                      -(-issued.estimated_wait_seconds // 60), ids, message,
                      ticket_id=issued.ticket.id)
