"""Typed usage events: what a device did, in ids, codes, counts and durations only.

No event has a field that can hold a name, a reading, an address, a birth date, a phone
number, a PIN, a My Number or conversation text. Text fields are *codes* (form ids, service
codes, language codes, reason codes): :meth:`UsageEvent.__post_init__` refuses anything that
does not look like a code, so a mistake at a call site fails loudly instead of logging a person.
The only exceptions are ``counter``, the configured name of a counter (``1番窓口``), and
``branch``, a branch office's counter (リモート窓口): configuration, not personal data, each
limited to a short label without spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import msgspec

__all__ = [
    "EVENT_TYPES",
    "ApplicationActed",
    "CaptionsUsed",
    "CardRead",
    "ClerkEdited",
    "ClerkViewed",
    "ConfigChanged",
    "ConversationUsed",
    "DataHandedOn",
    "DayAnchor",
    "ErrorOccurred",
    "FormSubmitted",
    "LanguageChosen",
    "LogPurged",
    "LogRecovered",
    "LogSealed",
    "PaymentDone",
    "PinOutcome",
    "PrintDone",
    "ProceduresChosen",
    "RegisterSearched",
    "RegisterViewed",
    "RemoteCallUsed",
    "ReservationChanged",
    "SessionEnded",
    "SessionStarted",
    "SoftwareStarted",
    "StaffChanged",
    "StaffLocked",
    "StaffLoggedIn",
    "StaffLoginFailed",
    "StaffUnlocked",
    "TicketCalled",
    "TicketFinished",
    "TicketIssued",
    "TicketTransferred",
    "TranslationUsed",
    "UsageEvent",
    "counter_label",
    "event_fields",
    "event_from_data",
]

_CODE = re.compile(r"[A-Za-z0-9_.:@+\-]{0,64}")
# A counter label from the configuration: short, no whitespace (a name has a U+3000 in it).
_LABEL = re.compile(r"[^\s\x00-\x1f]{0,24}")
_LABEL_FIELDS = frozenset({"counter", "branch"})


class UsageEvent(msgspec.Struct, frozen=True):
    """Base of every usage event; ``KIND`` names it in the log (``ticket.issued``).

    Frozen structs rather than dataclasses: msgspec makes each class in C, where a frozen
    dataclass compiles six methods from source; the tablet imports the 38 kinds as it starts,
    and they took some 40 ms of it (issue 18). Fields, equality, hashing, ``repr`` and
    ``__post_init__`` behave as a frozen dataclass's.
    """

    KIND: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            _check_value(name, getattr(self, name))

    def data(self) -> dict[str, Any]:
        """The event's fields as JSON-ready values (tuples become lists)."""
        return {name: _plain(getattr(self, name)) for name in self.__struct_fields__}


def event_fields(kind: type[UsageEvent]) -> tuple[str, ...]:
    """The names of ``kind``'s fields, in their order."""
    return kind.__struct_fields__


def _check_value(name: str, value: Any) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, tuple):
        for one in value:
            _check_value(name, one)
        return
    if not isinstance(value, str):
        raise TypeError(f"usage event field {name}: {type(value).__name__} is not allowed")
    pattern = _LABEL if name in _LABEL_FIELDS else _CODE
    if not pattern.fullmatch(value):
        # The value is not shown: it may be exactly the personal datum we must not log.
        raise ValueError(f"usage event field {name}: not a code ({len(value)} chars)")


def counter_label(name: str) -> str:
    """A configured counter name made fit for the ``counter`` field (no spaces, 24 chars)."""
    return "_".join(name.split())[:24]


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ---------------------------------------------------------------- the tablet's visit
class SessionStarted(UsageEvent, frozen=True):
    """A citizen touched the Welcome screen; ``session`` is an opaque random id."""

    KIND: ClassVar[str] = "session.started"
    session: str
    language: str


class SessionEnded(UsageEvent, frozen=True):
    """The visit ended: ``reason`` is ``done``, ``timeout`` or ``cancel``."""

    KIND: ClassVar[str] = "session.ended"
    session: str
    reason: str
    duration_s: float


class LanguageChosen(UsageEvent, frozen=True):
    """The citizen switched to ``language`` (a catalog code such as ``vi``)."""

    KIND: ClassVar[str] = "session.language"
    session: str
    language: str


class ProceduresChosen(UsageEvent, frozen=True):
    """The procedures (form ids) the citizen chose, perhaps through a life-event bundle."""

    KIND: ClassVar[str] = "session.procedures"
    session: str
    forms: tuple[str, ...]
    bundle: str = ""


class CardRead(UsageEvent, frozen=True):
    """A My Number card read: ``ok`` or not, with a reason code (``no_card``), never data."""

    KIND: ClassVar[str] = "card.read"
    session: str
    ok: bool
    reason: str = ""


class PinOutcome(UsageEvent, frozen=True):
    """The result of one PIN entry: ``ok``, ``wrong`` or ``locked``; never the digits.

    ``tries_left`` is the card's count after a wrong PIN (0 when locked); ``None`` after the
    right one, which the card answers without a count (it is back to its full tries).
    """

    KIND: ClassVar[str] = "card.pin"
    session: str
    outcome: str
    tries_left: int | None = None


class FormSubmitted(UsageEvent, frozen=True):
    """An application submitted: field counts by provenance, never a value."""

    KIND: ClassVar[str] = "form.submitted"
    form: str
    version: str
    language: str
    ticket: int | None
    application: int | None
    card_fields: int
    typed_fields: int
    corrected_fields: int
    default_fields: int
    delivered: bool


class CaptionsUsed(UsageEvent, frozen=True):
    """Live captions ran for ``seconds`` (recorded by the clerk PC, whose microphone it is).

    One record per stretch of captions within one visit: when the clerk stops them, or when
    the conversation is wiped while they run (the rest counts for the next visit).
    ``language`` is the visitor's at that moment; ``session`` the tablet's id of the visit,
    ``""`` when no visit had told the clerk PC.
    """

    KIND: ClassVar[str] = "captions.used"
    session: str
    language: str
    seconds: float


class TranslationUsed(UsageEvent, frozen=True):
    """``utterances`` lines were machine-translated from ``source`` to ``target`` on the
    device that records it, during one conversation (recorded when it is wiped).

    Each device counts only what its own translator did, so nothing is counted twice; phrases
    come translated from the catalogs and are not counted. ``session`` as for
    :class:`CaptionsUsed`.
    """

    KIND: ClassVar[str] = "translation.used"
    session: str
    source: str
    target: str
    utterances: int


class ConversationUsed(UsageEvent, frozen=True):
    """A visit's conversation ended (was wiped): how many lines were said on this device.

    Counted per device (the clerk PC counts the clerk's lines, the tablet the citizen's), so
    the devices' figures add up. ``language`` is the visitor's; ``translated`` counts the lines
    machine-translated on this device (its own, and the other device's when that one had no
    model), the sum of the :class:`TranslationUsed` of the same wipe; phrases come translated
    from the catalogs and are not counted.
    """

    KIND: ClassVar[str] = "conversation.used"
    language: str
    captions_lines: int
    typed_lines: int
    phrase_lines: int
    translated: int


class PrintDone(UsageEvent, frozen=True):
    """A print job: ``kind`` is ``form``, ``receipt``, ``slip`` or ``report``."""

    KIND: ClassVar[str] = "print.done"
    kind: str
    ok: bool
    pages: int
    reason: str = ""


class DocumentFiled(UsageEvent, frozen=True):
    """An approved application was filed as a city-signed PDF: ``pages`` not printed."""

    KIND: ClassVar[str] = "document.filed"
    form: str
    application: int
    pages: int
    timestamped: bool
    test_signature: bool


# ---------------------------------------------------------------- the queue
class TicketIssued(UsageEvent, frozen=True):
    """A ticket entered the queue (its slip printed, or the citizen chose none)."""

    KIND: ClassVar[str] = "ticket.issued"
    ticket: int
    service: str
    priority: int
    slip: bool


class TicketCalled(UsageEvent, frozen=True):
    """A ticket was called to a counter after waiting ``wait_s`` seconds."""

    KIND: ClassVar[str] = "ticket.called"
    ticket: int
    service: str
    counter: str
    staff: int | None
    wait_s: float
    recall: bool = False


class TicketFinished(UsageEvent, frozen=True):
    """A ticket left the queue: ``outcome`` is ``done``, ``no_show`` or ``cancelled``."""

    KIND: ClassVar[str] = "ticket.finished"
    ticket: int
    service: str
    outcome: str
    staff: int | None
    service_s: float | None


class TicketTransferred(UsageEvent, frozen=True):
    """A ticket moved to another service's line."""

    KIND: ClassVar[str] = "ticket.transferred"
    ticket: int
    source: str
    target: str


class ReservationChanged(UsageEvent, frozen=True):
    """A reservation (予約) was booked, cancelled, checked in or released as a no-show.

    ``outcome`` is a :class:`~kiosk.domain.reservation.ReservationState` value; ``ticket`` is
    the ticket issued at check-in.
    """

    KIND: ClassVar[str] = "reservation.changed"
    reservation: int
    service: str
    outcome: str
    ticket: int | None = None


class RemoteCallUsed(UsageEvent, frozen=True):
    """A remote counter request (リモート窓口) ended: ``outcome`` is ``ended`` (a call took
    place, ``minutes`` long) or ``cancelled`` (the branch withdrew it before anyone accepted).

    ``branch`` is the branch counter's configured name (a label, as ``counter``); never audio,
    video or what was said.
    """

    KIND: ClassVar[str] = "remote.used"
    remote_ticket: int
    service: str
    branch: str
    language: str
    outcome: str
    minutes: float


# ---------------------------------------------------------------- clerk, device, errors
class ClerkViewed(UsageEvent, frozen=True):
    """A clerk opened an application."""

    KIND: ClassVar[str] = "clerk.viewed"
    staff: int
    application: int


class ClerkEdited(UsageEvent, frozen=True):
    """A clerk corrected ``fields`` answers of an application."""

    KIND: ClassVar[str] = "clerk.edited"
    staff: int
    application: int
    fields: int


# ---------------------------------------------------------------- the resident register
# Who looked which resident up when: the 宛名番号 only (the register's own id), never what was
# typed or shown (a name, a birth date, an address, a 本籍).
class RegisterSearched(UsageEvent, frozen=True):
    """A clerk searched the register by ``key`` (``id``, ``birth``, ``kana``, ``name``);
    ``residents`` are the 宛名番号 of the matches shown. ``staff`` None: IT's ``kiosk register
    find`` on the command line."""

    KIND: ClassVar[str] = "register.searched"
    staff: int | None
    key: str
    found: int
    residents: tuple[str, ...] = ()


class RegisterViewed(UsageEvent, frozen=True):
    """A clerk saw one resident's ``part`` (``household`` with its members' ids, ``honseki``)
    or filled an application from it (``fill``, with ``application``)."""

    KIND: ClassVar[str] = "register.viewed"
    staff: int
    resident: str
    part: str
    members: tuple[str, ...] = ()
    application: int | None = None


# ---------------------------------------------------------------- staff accounts
# Never the login or password typed: a failed login names the account (its internal id) only
# when the typed login exists, so a password typed into the login field never reaches the log.
class StaffLoggedIn(UsageEvent, frozen=True):
    """A staff member logged in (clerk desktop, or an admin command of ``kiosk staff``)."""

    KIND: ClassVar[str] = "staff.login"
    staff: int


class StaffLoginFailed(UsageEvent, frozen=True):
    """A login was refused: ``reason`` is ``unknown`` (no such login; ``staff`` is None),
    ``wrong`` (password), ``disabled``, ``locked`` or ``waiting`` (tried during the delay);
    ``failures`` is the account's count of failures in a row."""

    KIND: ClassVar[str] = "staff.login_failed"
    staff: int | None
    reason: str
    failures: int


class StaffLocked(UsageEvent, frozen=True):
    """Too many failed logins in a row locked the account."""

    KIND: ClassVar[str] = "staff.locked"
    staff: int
    failures: int


class StaffUnlocked(UsageEvent, frozen=True):
    """A supervisor (``by``, a staff id) unlocked the account."""

    KIND: ClassVar[str] = "staff.unlocked"
    staff: int
    by: int


class StaffChanged(UsageEvent, frozen=True):
    """A staff account changed: ``change`` is ``added``, ``disabled``, ``enabled`` or
    ``password``; ``by`` is the admin's staff id (None: the first admin, or set-up code)."""

    KIND: ClassVar[str] = "staff.changed"
    staff: int
    change: str
    role: str
    by: int | None


class DataHandedOn(UsageEvent, frozen=True):
    """An approved application went to core system ``system`` as data: ``fields`` values
    nobody re-keys there. Ids, codes and the count only, never a value."""

    KIND: ClassVar[str] = "export.handed_on"
    application: int
    system: str
    form: str
    fields: int


class ApplicationActed(UsageEvent, frozen=True):
    """A clerk moved an application on: ``action`` is ``approved``, ``returned`` (with the
    fixed ``reason`` key the citizen reads) or ``finished``; ids and codes only."""

    KIND: ClassVar[str] = "clerk.action"
    staff: int
    application: int
    action: str
    reason: str = ""


class PaymentDone(UsageEvent, frozen=True):
    """A fee payment reached a state: ``method`` ``cash`` or ``cashless``, ``outcome``
    ``paid``, ``failed``, ``cancelled``, ``refunded`` or ``unknown`` (the terminal did not
    answer in time), ``amount`` in yen; the application's id and its form, never a person or
    a card number."""

    KIND: ClassVar[str] = "payment.done"

    application: int
    form: str
    method: str
    outcome: str
    amount: int
    staff: int | None = None


class SoftwareStarted(UsageEvent, frozen=True):
    """The kiosk started with this software version."""

    KIND: ClassVar[str] = "device.started"
    version: str
    role: str


class ConfigChanged(UsageEvent, frozen=True):
    """The configuration differs from the last start: ``digest`` is its SHA-256 prefix."""

    KIND: ClassVar[str] = "device.config"
    schema_version: int
    digest: str


class ErrorOccurred(UsageEvent, frozen=True):
    """An error: where (a code such as ``print.slip``) and the exception class name."""

    KIND: ClassVar[str] = "device.error"
    where: str
    error: str


# ---------------------------------------------------------------- the log's own records
class DayAnchor(UsageEvent, frozen=True):
    """First record of every daily file: links it to the previous file of the device."""

    KIND: ClassVar[str] = "log.anchor"
    prev_file: str           # date of the previous file, "" for the first file ever
    prev_records: int


class LogRecovered(UsageEvent, frozen=True):
    """The writer found line ``torn_line`` cut short (a crash) and continued after it."""

    KIND: ClassVar[str] = "log.recovered"
    torn_line: int


class LogPurged(UsageEvent, frozen=True):
    """Retention deleted this device's files up to and including ``through`` (a date)."""

    KIND: ClassVar[str] = "log.purged"
    through: str
    files: int


class LogSealed(UsageEvent, frozen=True):
    """The end of sealing epoch ``epoch`` (:mod:`kiosk.audit.sealing`): ``mac`` is the HMAC,
    under that epoch's key, of the previous record's hash; the log goes on in epoch ``next``."""

    KIND: ClassVar[str] = "log.seal"
    epoch: int
    next: int
    mac: str


EVENT_TYPES: dict[str, type[UsageEvent]] = {
    cls.KIND: cls for cls in (
        SessionStarted, SessionEnded, LanguageChosen, ProceduresChosen, CardRead, PinOutcome,
        FormSubmitted, CaptionsUsed, TranslationUsed, ConversationUsed, PrintDone, TicketIssued,
        TicketCalled, TicketFinished, TicketTransferred, ReservationChanged, ClerkViewed, ClerkEdited,
        ApplicationActed,
        PaymentDone,
        DataHandedOn,
        RegisterSearched, RegisterViewed,
        StaffLoggedIn, StaffLoginFailed, StaffLocked, StaffUnlocked, StaffChanged,
        SoftwareStarted, ConfigChanged, ErrorOccurred, DayAnchor, LogRecovered, LogPurged,
        LogSealed, DocumentFiled, RemoteCallUsed)
}


def event_from_data(kind: str, data: Mapping[str, Any]) -> UsageEvent:
    """Rebuild the typed event of a log record.

    Raises:
        KeyError: unknown kind.
        TypeError, ValueError: the data does not fit the event.
    """
    cls = EVENT_TYPES[kind]
    values = {key: tuple(value) if isinstance(value, list) else value
              for key, value in data.items()}
    return cls(**values)
