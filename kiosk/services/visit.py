"""A citizen's visit at the tablet: language, procedures, identity, answers, ticket.

The visit is the model the citizen screens bind to (they keep no state of their own). It lives
only in memory: :meth:`Visit.end` drops the identity, the answers and the ticket, so nothing
personal outlives the visit. Every change publishes :class:`VisitChanged` on the event bus;
the PIN is never stored, logged or spoken.

The visit keeps the stages; small helpers it owns do the rest: the card step
(:mod:`kiosk.services.card_step`), the question flow (:mod:`kiosk.services.question_flow`) and
the check screen's summary (:mod:`kiosk.services.visit_summary`).

The visit is where the tablet turns failures into messages for the citizen, so it is also where
the usage log learns of them: every error it hands a screen to show (a card that cannot be
read, a slip that did not print, a database out of reach) is recorded once as
``ErrorOccurred(where, error class)``. What the citizen typed wrong (a wrong PIN, an answer
that does not fit) is no error: the PIN's outcome has its own event.
"""

from __future__ import annotations

import enum
import logging
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
from kiosk.procedures.bundles import Applicable, applicable_procedures
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.kana import plain_text
from kiosk.procedures.model import Bundle, FieldDef, FieldType, FormDefinition, LocalText
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.stored import to_stored
from kiosk.procedures.values import coerce
from kiosk.services.applications import SubmissionService
from kiosk.services.card_step import (
    SOMETHING_WENT_WRONG,
    CardOutcome,
    CardResult,
    CardStep,
    card_sources,
)
from kiosk.services.question_flow import Question, QuestionFlow
from kiosk.services.queue import IssuedTicket, QueueService, SlipPrinter
from kiosk.services.signature_capture import SignatureCapture
from kiosk.services.visit_summary import (
    ReviewLine,
    blocking_issues,
    declaration,
    display_value,
    review_lines,
    to_bring,
)
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

_log = logging.getLogger(__name__)

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
        self._ask_specialist = ask_specialist
        self._check_in = check_in       # reservations (予約): the desk's check-in, if any
        self._reading = reading
        self._usage = usage
        self._default_language = default_language
        self.forms = forms or FormCatalog()
        self._clock = clock
        self._card = CardStep(identity_reader, usage, lambda: self.session_id, self.error_shown)
        self._queue = queue
        self._submissions = submissions
        self.speaker = speaker
        self.headset = headset
        self.voice_guidance = speaker is not None
        self.language = default_language
        self.tr: Translator = translator(default_language)
        self._reset()

    def _reset(self) -> None:
        self.session_id = ""           # the usage log's id of this visit; no personal data
        self._started = 0.0
        self.stage = Stage.WELCOME
        self.chosen: list[str] = []
        self.reasons: dict[str, LocalText] = {}
        self.bundle: Bundle | None = None
        self.bundle_answers: dict[str, Any] = {}
        self.identity: Identity | None = None
        self.with_card = False
        self._flow = QuestionFlow()          # the chosen forms' sessions and their questions
        self.ticket: TicketInfo | None = None
        self._proposals: dict[str, str | None] = {}   # name -> proposed reading, this visit only
        self.signature = SignatureCapture()             # the pad's strokes, this visit only
        self.specialist_asked = False    # the main office was asked for a specialist

    @property
    def sessions(self) -> list[FormSession]:
        """The chosen forms' sessions (empty before identification)."""
        return self._flow.sessions

    @sessions.setter
    def sessions(self, sessions: list[FormSession]) -> None:
        self._flow = QuestionFlow(sessions)

    @property
    def question_index(self) -> int:
        """The index of the question on screen in :meth:`questions`."""
        return self._flow.index

    @question_index.setter
    def question_index(self, index: int) -> None:
        self._flow.index = index

    def __repr__(self) -> str:
        return f"Visit(stage={self.stage.value}, forms={len(self.sessions)}, lang={self.language})"

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

    def start(self) -> None:
        """Leave Welcome for the choice of procedures."""
        self.session_id = new_session_id()
        self._started = time.monotonic()
        self._usage.record(SessionStarted(self.session_id, language=self.language))
        self._go(Stage.CHOOSE)

    def back(self) -> None:
        """One screen back (within the forms: one question back)."""
        if self.stage is Stage.FORMS and self.question_index > 0:
            self.question_index -= 1
            self._go(Stage.FORMS)
            return
        previous = {Stage.CHOOSE: Stage.WELCOME, Stage.LIFE_EVENT: Stage.CHOOSE,
                    Stage.IDENTIFY: Stage.CHOOSE, Stage.FORMS: Stage.IDENTIFY,
                    Stage.REVIEW: Stage.FORMS}
        target = previous.get(self.stage, self.stage)
        if target is Stage.IDENTIFY:
            self.identity, self.sessions, self.with_card = None, [], False
        self._go(target)

    @property
    def can_ask_specialist(self) -> bool:
        """Whether the ticket screen offers a specialist at the main office (a branch's
        tablet with the remote counter, a ticket issued, not asked yet)."""
        return self._ask_specialist is not None and self.ticket is not None \
            and not self.specialist_asked

    def ask_specialist(self) -> None:
        """Ask the main office for a specialist of the ticket's service, in the visitor's
        language; the request names the ticket (the specialist reviews its applications).

        Raises:
            UserFacingError: the request could not be made (shown, then re-raised).
        """
        ticket = self.ticket
        if self._ask_specialist is None or ticket is None or self.specialist_asked:
            return
        try:
            self._ask_specialist(ticket.service, self.language, ticket.ticket_id)
        except UserFacingError as exc:
            self.error_shown("remote", exc)
            raise
        self.specialist_asked = True
        self._events.publish(VisitChanged(self.stage.value))

    def end(self, reason: str = "finished") -> None:
        """Forget everything about this citizen and return to Welcome in the default language."""
        if self.session_id:
            self._usage.record(SessionEnded(self.session_id, reason=reason,
                                            duration_s=round(time.monotonic() - self._started, 1)))
        self._reset()
        self.set_language(self._default_language)
        self._events.publish(VisitEnded(reason))
        self._events.publish(VisitChanged(Stage.WELCOME.value))

    # ------------------------------------------------------------ what the citizen needs
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

    def choose_life_event(self, bundle_id: str) -> None:
        """Start the few questions of a life event."""
        self.bundle = self.forms.bundles[bundle_id]
        self.bundle_answers = {}
        self._go(Stage.LIFE_EVENT)

    def answer_life_event(self, question_id: str, value: Any) -> None:
        """Answer one question of the life event.

        Raises:
            InvalidAnswerError: the value does not fit the question.
        """
        if self.bundle is None:
            return
        question = next(q for q in self.bundle.questions if q.id == question_id)
        self.bundle_answers[question_id] = coerce(question, value, _bundle_form(self.bundle))
        self._go(self.stage)

    def life_event_procedures(self) -> list[Applicable]:
        """The procedures the life event's answers make apply, with the reason."""
        if self.bundle is None:
            return []
        return [a for a in applicable_procedures(self.bundle, self.bundle_answers,
                                                 today=self._today())
                if a.procedure in self.forms.forms]

    def accept_life_event(self) -> None:
        """Choose the life event's procedures (keeping any chosen before) and go on."""
        for item in self.life_event_procedures():
            if item.procedure not in self.chosen:
                self.chosen.append(item.procedure)
            self.reasons[item.procedure] = item.reason
        self._go(Stage.CHOOSE)

    def confirm_procedures(self) -> None:
        """Go on to identification with at least one procedure chosen."""
        if self.chosen:
            if self.session_id:
                self._usage.record(ProceduresChosen(
                    self.session_id, forms=tuple(self.chosen),
                    bundle=self.bundle.id if self.bundle is not None else ""))
            self._go(Stage.IDENTIFY)

    # ------------------------------------------------------------ identification
    def card_tries_left(self) -> int:
        """PIN tries left on the inserted card, before the PIN pad is shown.

        Raises:
            kiosk.domain.identity.CardError: no card, not a My Number card, reader gone.
        """
        return self._card.tries_left()

    def read_card(self, pin: str, *, use_last_try: bool = False) -> CardResult:
        """Try ``pin`` once and, if the card accepts it, read the identity and pre-fill.

        With one try left nothing is sent unless ``use_last_try`` (the citizen confirmed it
        on its own screen); the result is then ``LAST_TRY``. A card that left the reader
        ends the visit.

        The PIN is only passed through to the card: it is not kept, logged or spoken.
        """
        identity, result = self._card.read(pin, use_last_try=use_last_try)
        if result.outcome is CardOutcome.REMOVED:
            self.end("card_removed")
        if identity is None:
            return result
        self.identity = identity
        self.with_card = True
        # Looked up here, on the card-reading thread, so the reading question shows at once.
        self._propose(identity.name)
        self._build_sessions(card_sources(identity))
        return result

    def _card_provenance(self) -> Provenance:
        verified = self.identity is not None and self.identity.issuer_verified
        return Provenance.CARD if verified else Provenance.CARD_UNVERIFIED

    def error_shown(self, where: str, error: BaseException | type[BaseException]) -> None:
        """Usage log: an error shown to the citizen, ``where`` (a code such as ``card.read``)
        and its class name; call it once per error shown."""
        self._usage.record(error_event(where, error))

    def without_card(self) -> None:
        """Continue without the card: the same forms, answered by touch."""
        self.identity = None
        self.with_card = False
        self._build_sessions({})

    def offers_pin_reset(self) -> bool:
        """Whether the PIN-reset procedure can be applied for here (a locked card goes there)."""
        return any(form.id == PIN_RESET_FORM for form in self.offered_forms())

    def apply_for_pin_reset(self) -> None:
        """A locked card: add the PIN-reset procedure to the chosen ones (its ticket goes to the
        counter that resets PINs) and continue without the card."""
        if PIN_RESET_FORM not in self.chosen:
            self.chosen.append(PIN_RESET_FORM)
        self.without_card()

    def card_withdrawn(self) -> None:
        """The card left the reader: a visit that uses the card ends and is wiped."""
        if self.with_card or self.stage is Stage.IDENTIFY:
            self.end("card_removed")

    def _build_sessions(self, sources: Mapping[str, Any]) -> None:
        today = self._today()
        self.sessions = [FormSession(self.forms.form(form_id), sources, today=today)
                         for form_id in self.chosen]
        self._go(Stage.FORMS if self.questions() else Stage.REVIEW)

    def _today(self) -> date:
        return self._clock.now().date() if self._clock is not None else date.today()

    # ------------------------------------------------------------ questions
    def questions(self) -> list[Question]:
        """The questions still to show, once per field id across the chosen forms."""
        return self._flow.questions()

    def current(self) -> Question | None:
        """The question on screen (``None`` past the last one)."""
        return self._flow.current()

    def session_of(self, question: Question) -> FormSession:
        """The form session that holds ``question``."""
        return self._flow.session_of(question)

    def answer(self, value: Any) -> None:
        """Answer the current question in every chosen form that asks the same field.

        Raises:
            InvalidAnswerError: the value does not fit; nothing was changed.
            kiosk.procedures.session.AnswerLockedError: the value came from the card.
        """
        if self._flow.answer(value):
            self._go(Stage.FORMS)

    def next_question(self) -> None:
        """Go to the next question, or to the review after the last one.

        Raises:
            InvalidAnswerError: the current question is required and unanswered.
        """
        self._flow.next()
        self._go_to_current()

    def settled_run(self, start: int | None = None) -> list[Question]:
        """The settled questions one after another from ``start`` (the current one): answered
        by the form's default or optional and blank (:mod:`kiosk.services.settled`)."""
        return self._flow.settled_run(start)

    def accept_settled(self) -> None:
        """The visitor checked the settled questions from the current one: go past them all
        (to the review after the last question)."""
        self._flow.accept_settled()
        self._go_to_current()

    def go_to_question(self, index: int) -> None:
        """Jump back to question ``index`` (to change an answer from the review)."""
        self._flow.go_to(index)
        self._go(Stage.FORMS)

    def _go_to_current(self) -> None:
        self._go(Stage.FORMS if self.current() is not None else Stage.REVIEW)

    def proposed_reading(self, question: Question) -> str | None:
        """A reading to offer for an unanswered reading question, from the name before it.

        The proposal is only shown: it becomes an answer (of the citizen, not of the card)
        when the citizen confirms it or types over it.
        """
        item, session = question.field, self.session_of(question)
        if item.type is not FieldType.READING or session.value(item.id) not in (None, ""):
            return None
        name = None
        for other in session.definition.fields:
            if other.id == item.id:
                break
            if other.type is FieldType.NAME:
                name = session.value(other.id)   # the nearest name asked before the reading
        return self._propose(name) if isinstance(name, str) and name.strip() else None

    def _propose(self, name: str) -> str | None:
        if self._reading is None:
            return None
        if name not in self._proposals:
            self._proposals[name] = self._reading.propose(name)
        return self._proposals[name]

    def confirm_reading(self, reading: str) -> None:
        """The citizen confirmed the proposed ``reading`` with one tap: answer it and go on.

        Raises:
            InvalidAnswerError: the reading does not fit the field.
        """
        self.answer(reading)
        self.next_question()

    def skip_question(self) -> None:
        """Leave the current optional question unanswered (a phone number the citizen would
        rather not give) and go on; a required question cannot be skipped.

        Raises:
            InvalidAnswerError: the question is required.
        """
        self._flow.clear_if_optional()
        self.next_question()

    def is_optional(self, question: Question) -> bool:
        """Whether ``question`` may be left unanswered."""
        return self._flow.is_optional(question)

    def is_from_card(self, question: Question) -> bool:
        """Whether the answer of ``question`` was read from the card (and is locked)."""
        return self._flow.is_from_card(question)

    def display(self, session: FormSession, item: FieldDef) -> str:
        """The answer of ``item`` in words of the visit's language ('' when unanswered)."""
        return display_value(session, item, self.language, self.tr)

    # ------------------------------------------------------------ review and submit
    def review(self) -> list[tuple[str, list[ReviewLine]]]:
        """Per chosen form: its title and every asked answer."""
        return review_lines(self.sessions, [q.field.id for q in self.questions()],
                            self.language, self.tr)

    def declaration(self) -> str:
        """The declaration the check screen's confirm button carries, in the visit's language:
        the first chosen form's CONSENT label ('' when no chosen form asks for one)."""
        return declaration(self.sessions, self.language)

    def _declare(self) -> None:
        """The visitor confirmed the check screen: every visible declaration is given."""
        for session in self.sessions:
            for item in session.definition.fields:
                if item.type is FieldType.CONSENT and session.is_visible(item.id) and \
                        not session.is_readonly(item.id):
                    session.set(item.id, True)

    def total_fee(self) -> int:
        """Every chosen form's fees, in yen."""
        return sum(session.total_fee() for session in self.sessions)

    def to_bring(self) -> list[str]:
        """What to bring to the counter, once each, in the visit's language."""
        return to_bring(self.sessions, self.language)

    def blocking_issues(self) -> list[tuple[str, str]]:
        """``(field label, message)`` for each asked answer that stops submission."""
        return blocking_issues(self.sessions, {q.field.id for q in self.questions()},
                               self.language, self.tr)

    def needs_signature(self) -> bool:
        """Whether a chosen form is signed by the applicant (its paper form has a 署名 box)."""
        return any(session.definition.print.signature for session in self.sessions)

    def submit(self, print_slip: SlipPrinter | None = None) -> TicketInfo:
        """Take a ticket (the slip printed first) and submit every form under it.

        An error raised here is for the screen to show and is already in the usage log
        (``print.slip`` or ``submit``), as is a submission left waiting in the outbox.

        Raises:
            kiosk.errors.DeviceError: the slip did not print; no ticket was issued.
            kiosk.errors.StorageError: the queue's database could not be reached.
            RuntimeError: the visit has no queue or no forms (a wiring error).
            SignatureTooShortError: the pad holds a tap, not a signature.
        """
        if self._queue is None or self._submissions is None or not self.sessions:
            raise RuntimeError("visit is not ready to submit")
        self.signature.check()
        first = self.sessions[0].definition
        self._declare()
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
        for session in self.sessions:
            answers = to_stored(session, card=self._card_provenance())
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

    # ------------------------------------------------------------ speech
    def say(self, text: str, *, personal: bool = False, language_code: str | None = None) -> bool:
        """Speak ``text`` when voice guidance is on; personal data only through a headset.

        Returns whether it was handed to the speaker.
        """
        if not self.voice_guidance or self.speaker is None or not text.strip():
            return False
        if personal and not self.headset:
            return False
        bcp47 = language(language_code or self.language).bcp47
        try:
            self.speaker.say(text, bcp47)
        except UserFacingError:
            _log.warning("voice guidance failed")
            return False
        return True


def _bundle_form(bundle: Bundle) -> FormDefinition:
    """A throwaway definition so life-event answers use the same coercions as forms."""
    return FormDefinition(bundle.id, bundle.version, bundle.title, LocalText(), "", "",
                          bundle.file, choices=bundle.choices, fields=bundle.questions)


def _ticket_info(issued: IssuedTicket, form: FormDefinition, language_code: str, ahead: int,
                 ids: tuple[str, ...], message: str) -> TicketInfo:
    return TicketInfo(issued.ticket.label, issued.ticket.service, form.counter,
                      plain_text(form.department.get(language_code)), ahead,
                      -(-issued.estimated_wait_seconds // 60), ids, message,
                      ticket_id=issued.ticket.id)
