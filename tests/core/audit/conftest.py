"""A full simulated day at the counter: hundreds of visits through the real services.

The harness plays the tablet (language, procedures, the simulated My Number card, the forms,
the ticket, the talk page's conversation with the clerk) and the clerks (call next, serve,
finish, sometimes a no-show, live captions and typed lines), on an embedded SQLite data
directory (one process, as the demo: one conversation serves both sides), with a clock it
moves by hand in Japan time. What the harness itself did is counted in :class:`DayTally`, so
the tests can compare the log and the report with it and with the store's own figures.
"""

from __future__ import annotations

import random
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import Services, build_identity_reader, build_services
from kiosk.audit import (
    CardRead,
    LanguageChosen,
    PinOutcome,
    PrintDone,
    ProceduresChosen,
    SessionEnded,
    SessionStarted,
    error_code,
    new_session_id,
)
from kiosk.config import load_config
from kiosk.domain.application import Provenance as StoredProvenance
from kiosk.domain.application import StoredAnswer, Submission
from kiosk.domain.identity import CardError
from kiosk.domain.ticket import TicketAction, TicketState
from kiosk.errors import DeviceError, UserFacingError
from kiosk.events import EventBus
from kiosk.procedures.sample import sample_value
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError
from kiosk.services.conversation import Conversation

JST = timezone(timedelta(hours=9))
DAY = date(2026, 4, 6)           # a Monday
VISITS = 300
PERSONS_DIR = Path(__file__).resolve().parents[3] / "devices" / "smartcard" / "persons"
# Persons whose card reads; "locked" and "not_mynumber" fail on purpose.
PERSONS = ("plain", "gaiji", "long_address", "sex9", "locked", "not_mynumber")
LANGUAGES = ("ja", "ja", "ja", "ja", "ja@easy", "en", "vi", "zh_Hans", "ne", "id", "tl")
FORMS = ("juminhyo", "juminhyo", "juminhyo", "inkan_shomei", "koseki", "shotoku", "kokuho",
         "idou", "jidou_teate", "inkan_toroku")


class JapanClock:
    """A clock the harness moves; strictly increasing like real time."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        self._now += timedelta(microseconds=1)
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


@dataclass
class DayTally:
    """What the harness did, counted independently of the log."""

    card_ok: int = 0
    card_failed: int = 0
    tickets: Counter[str] = field(default_factory=Counter)
    applications: Counter[str] = field(default_factory=Counter)
    tickets_with_card: set[int] = field(default_factory=set)
    tickets_without_card: set[int] = field(default_factory=set)
    pages: int = 0
    slips_tried: int = 0
    print_failures: int = 0
    captions_seconds: float = 0.0
    captioned_visits: int = 0
    translations: Counter[tuple[str, str]] = field(default_factory=Counter)  # (source, target)

    @property
    def translation_utterances(self) -> int:
        return sum(self.translations.values())


class EchoTranslator:
    """Translates every pair by marking the text: the day needs counts, not a language model."""

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        return (source, target)

    def translate(self, text: str, source: str, target: str) -> str | None:
        return f"[{source}>{target}] {text}"

    def probe(self) -> list[Any]:
        return []


@dataclass
class SimulatedDay:
    services: Services
    log_dir: Path
    tally: DayTally
    day: date


def _card_sources(services: Services, person: str, pin: str, session: str,
                  tally: DayTally) -> dict[str, Any]:
    config = services.config
    reader = build_identity_reader(replace(config, card=replace(config.card, person=person)))
    try:
        identity = reader.read_identity(pin)
    except CardError as exc:
        tally.card_failed += 1
        reason = error_code(exc)                # as the tablet's Visit records it
        services.usage.record(CardRead(session, ok=False, reason=reason))
        if reason == "pin_locked_error":
            services.usage.record(PinOutcome(session, "locked", 0))
        return {}
    tally.card_ok += 1
    services.usage.record(PinOutcome(session, "ok"))
    services.usage.record(CardRead(session, ok=True))
    return {"card.name": identity.name, "card.address": identity.address,
            "card.birth_date": identity.birth_date, "card.sex": identity.sex.value}


def _answers(session: FormSession) -> dict[str, StoredAnswer]:
    definition = session.definition
    for item in definition.fields:
        if item.id in session.answers or item.calculate is not None or not item.type.holds_value:
            continue
        try:
            session.set(item.id, sample_value(definition, item))
        except (InvalidAnswerError, UserFacingError, KeyError, TypeError, ValueError):
            continue
    kinds = {Provenance.CARD: StoredProvenance.CARD, Provenance.CLERK: StoredProvenance.CLERK,
             Provenance.DEFAULT: StoredProvenance.DEFAULT}
    return {field_id: StoredAnswer(str(answer.value),
                                   kinds.get(answer.provenance, StoredProvenance.CITIZEN))
            for field_id, answer in session.answers.items()}


def _person_pin(person: str) -> str:
    path = PERSONS_DIR / f"{person}.toml"
    return str(tomllib.loads(path.read_text(encoding="utf-8")).get("pin", "1234"))


def _talk(conversation: Conversation, clock: JapanClock, session: str, language: str,
          *, translate: bool, captions: bool, tally: DayTally) -> None:
    """The citizen opens the talk page; the clerk speaks with captions on and types."""
    conversation.set_visitor_language(language)
    conversation.set_session(session)          # as the talk page does
    if captions:
        conversation.captions_started()        # as the clerk's listen button does
        clock.advance(120)
        tally.captions_seconds += 120.0
        tally.captioned_visits += 1
        # Every other time the clerk leaves them on: the wipe at the end of the visit records
        # this visit's time, and stopping them right after adds nothing.
        if tally.captioned_visits % 2:
            conversation.captions_stopped()
    if translate:
        conversation.add_clerk_text("住民票の写しですね。")
        conversation.add_clerk_text("番号札をお取りください。")
        conversation.add_citizen_text("OK")
        tally.translations[("ja", language)] += 2
        tally.translations[(language, "ja")] += 1


def _visit(services: Services, conversation: Conversation, rng: random.Random,
           tally: DayTally) -> None:
    usage, clock = services.usage, services.clock
    session = new_session_id()
    language = rng.choice(LANGUAGES)
    usage.record(SessionStarted(session, "ja"))
    if language != "ja":
        usage.record(LanguageChosen(session, language))
    forms = tuple(dict.fromkeys(rng.choice(FORMS) for _ in range(rng.choice((1, 1, 1, 2)))))
    if rng.random() < 0.2:
        # Only a ticket: the citizen fills in the paper form at the counter.
        services.queue.take_ticket(services.forms.form(forms[0]).service)
        tally.tickets[services.forms.form(forms[0]).service] += 1
        usage.record(SessionEnded(session, "done", 20.0))
        return
    usage.record(ProceduresChosen(session, forms))
    sources: dict[str, Any] = {}
    if rng.random() < 0.6:
        person = rng.choice(PERSONS)
        sources = _card_sources(services, person, _person_pin(person), session, tally)
    first = services.forms.form(forms[0])

    def print_slip(_ticket: object, _wait: int) -> None:
        # The queue records the slip's PrintDone itself. Every 25th slip jams (counted, not
        # drawn from rng, so the rest of the day stays the same).
        tally.slips_tried += 1
        if tally.slips_tried % 25 == 0:
            tally.print_failures += 1
            raise DeviceError("The printer jammed.")
        tally.pages += 1

    slip = print_slip if rng.random() < 0.7 else None
    try:
        issued = services.queue.take_ticket(first.service, print_slip=slip)
    except DeviceError:
        # As on the tablet's review screen: the citizen takes the ticket without paper.
        issued = services.queue.take_ticket(first.service)
    tally.tickets[first.service] += 1
    has_card = False
    for form_id in forms:
        definition = services.forms.form(form_id)
        form_session = FormSession(definition, sources, today=clock.now().date())
        answers = _answers(form_session)
        has_card = has_card or any(a.provenance is StoredProvenance.CARD for a in answers.values())
        services.submissions.submit(Submission(definition.id, definition.version, language,
                                               answers, ticket_id=issued.ticket.id))
        tally.applications[form_id] += 1
    (tally.tickets_with_card if has_card else tally.tickets_without_card).add(issued.ticket.id)
    translate = language not in ("ja", "ja@easy") and rng.random() < 0.5
    captions = rng.random() < 0.05
    if translate or captions:
        assert isinstance(clock, JapanClock)
        _talk(conversation, clock, session, language, translate=translate, captions=captions,
              tally=tally)
    usage.record(SessionEnded(session, "done", float(rng.randint(60, 400))))
    conversation.clear()                       # as the tablet does when the visit ends
    if conversation.captions_running:
        conversation.captions_stopped()        # the clerk turns them off after the visit


class _Desk:
    """One counter: calls the next ticket when free, serves it for a while, finishes it."""

    def __init__(self, name: str, codes: tuple[str, ...]) -> None:
        self.name, self.codes = name, codes
        self.ticket: int | None = None
        self.until = datetime.min.replace(tzinfo=JST)

    def step(self, services: Services, rng: random.Random) -> None:
        now = services.clock.now()
        if self.ticket is not None and now >= self.until:
            services.queue.act(self.ticket, TicketAction.FINISH, staff_id=None)
            self.ticket = None
        if self.ticket is None:
            called = services.queue.call_next(self.codes, counter=self.name, staff_id=None)
            if called is not None and rng.random() < 0.03:
                services.queue.act(called.id, TicketAction.NO_SHOW, staff_id=None)
            elif called is not None:
                self.ticket = called.id
                if rng.random() < 0.5:
                    services.queue.act(called.id, TicketAction.SERVE, staff_id=None)
                self.until = now + timedelta(minutes=rng.uniform(2, 12))


def simulate_day(data_dir: Path, visits: int = VISITS, seed: int = 9) -> SimulatedDay:
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(data_dir),
                                        "KIOSK_DEVICE_ID": "tablet-01",
                                        "KIOSK_AUDIT_FSYNC": "false"})
    clock = JapanClock(datetime(DAY.year, DAY.month, DAY.day, 8, 30, tzinfo=JST))
    services = build_services(config, demo=True, clock=clock)
    rng = random.Random(seed)
    tally = DayTally()
    # The day's conversation, with the production recording path (the usage log).
    conversation = Conversation(EventBus(), clock, EchoTranslator(), usage=services.usage)
    desks = [_Desk(name, codes) for name, codes in services.storage.queue.counters().items()]
    for _ in range(visits):
        clock.advance(rng.uniform(60, 150))
        for desk in desks:
            desk.step(services, rng)
        _visit(services, conversation, rng, tally)
    for _ in range(2000):           # the afternoon: clerks empty the queue
        clock.advance(60)
        for desk in desks:
            desk.step(services, rng)
        waiting = services.storage.queue.tickets([], [TicketState.ISSUED, TicketState.CALLED,
                                                      TicketState.SERVING])
        if not waiting and all(desk.ticket is None for desk in desks):
            break
    services.usage.record(PrintDone("form", ok=False, pages=0, reason="offline"))
    return SimulatedDay(services, config.audit_dir, tally, DAY)


@pytest.fixture(scope="module")
def simulated_day(tmp_path_factory: pytest.TempPathFactory):
    day = simulate_day(tmp_path_factory.mktemp("day"))
    day.services.usage.close()       # type: ignore[attr-defined]
    yield day
    day.services.close()


def person_data() -> list[str]:
    """Every personal datum of every test person, in the spellings a leak could take."""
    import unicodedata

    found: list[str] = []
    for path in sorted(PERSONS_DIR.glob("*.toml")):
        person = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in ("name", "address", "my_number"):
            if person.get(key):
                text = str(person[key])
                found += [text, unicodedata.normalize("NFKC", text), *text.split("\u3000")]
        birth = str(person.get("birth_date", ""))
        if len(birth) == 8:
            found += [birth, f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"]
    # Two-character fragments such as a family name are still data; single characters are not.
    return sorted({item for item in found if len(item) >= 2})
