"""Tamper-evident local usage logs, their verification, export and the yearly report.

Every device appends typed usage events (:mod:`kiosk.audit.events`) to its own hash-chained
JSON-lines log, one file per day (:class:`~kiosk.audit.usage_log.UsageLog`). Events hold ids,
codes, counts and durations only: never a name, reading, address, birth date, phone, PIN,
My Number or conversation text, and the event classes refuse text that is not a code.

Recording API (for the tablet, clerk and board screens)
-------------------------------------------------------
``Services.usage`` is a :class:`UsageRecorder`; call ``services.usage.record(event)`` where the
thing happens. ``record`` is thread-safe, never raises for a disk error, and returns once the
record is on disk. Tests pass a :class:`ListUsage` and look at ``.events``.

Who records what (each device records only what happened on it, so the figures of all
devices add up without doubles):

==========================  ===============================================  =================
when                        event                                            recorded by
==========================  ===============================================  =================
Welcome touched             ``SessionStarted(session=new_session_id(),       tablet ``Visit``
                            language="ja")``
language switched           ``LanguageChosen(session, language="vi")``       tablet ``Visit``
procedures chosen           ``ProceduresChosen(session,                      tablet ``Visit``
                            forms=("juminhyo",), bundle="")``
card read                   ``CardRead(session, ok=True)`` / ``CardRead(     tablet ``Visit``
                            session, False, reason="no_card")`` (the error
                            class in snake case)
PIN entered                 ``PinOutcome(session, outcome="ok"|"wrong"|      tablet ``Visit``
                            "locked", tries_left=2)`` — never the digits
visit over                  ``SessionEnded(session, reason="done"|"timeout"  tablet ``Visit``
                            |"cancel", duration_s=312.5)``
application submitted       ``FormSubmitted`` (field counts by provenance:   ``SubmissionService``
                            card, typed, corrected, default)
ticket issued, called,      ``TicketIssued``, ``TicketCalled``,              ``QueueService`` of
finished, transferred       ``TicketFinished``, ``TicketTransferred`` (wait  the device acting
                            and service times)
live captions stopped, or   ``CaptionsUsed(session, language="vi",           clerk PC
the conversation wiped      seconds=95.0)``: the time they ran (the visitor  ``Conversation``,
while they run              language at that moment)                         told by the clerk's
                                                                             conversation tab
conversation wiped (end of  ``TranslationUsed(session, source="vi",          each device's
the visit, or "delete"),    target="ja", utterances=4)``: lines this         ``Conversation``
one per language pair       device's translator translated
conversation wiped          ``ConversationUsed(language="vi",                each device's
                            captions_lines=3, typed_lines=1,                 ``Conversation``
                            phrase_lines=2, translated=4)``: lines said on
                            this device, never their text
clerk opens / corrects an   ``ClerkViewed(staff=3, application=41)`` /       clerk PC
application                 ``ClerkEdited(staff=3, application=41,           ``ReviewService``
                            fields=2)``
clerk approves, returns or  ``ApplicationActed(staff=3, application=41,      clerk PC
finishes an application     action="approved"|"returned"|"finished",         ``ReviewService``
                            reason="document_needed")`` (the fixed reason
                            key of a return)
approved application        ``DataHandedOn(application=41, system="juki",    clerk PC, or
handed on to a core system  form="idou", fields=16)``: once per system       ``kiosk export``
                            (exactly once, with the store's row)             ``HandoverService``
clerk looks a resident up   ``RegisterSearched(staff=3, key="kana",         clerk PC
in the register             found=2, residents=("100000007", ...))`` /       ``ResidentLookup``
                            ``RegisterViewed(staff=3, resident="100000007",
                            part="household"|"honseki"|"fill")``: the
                            宛名番号 only, never what was typed or shown
form printed at the desk    ``PrintDone(kind="form", ok=True, pages=1)`` /   clerk PC
                            ``PrintDone("form", False, 0, reason=...)``      ``ReviewService``
ticket slip printed (or     ``PrintDone(kind="slip", ok=True, pages=1)`` /   tablet
not)                        ``PrintDone("slip", False, 0, reason=            ``QueueService``
                            "device_error")``                                (``take_ticket``)
fee receipt printed         ``PrintDone(kind="receipt", ok=True, pages=1)``  clerk PC
                            / ``PrintDone("receipt", False, 0,``             ``PaymentService``
                            ``reason=...)``
application filed as a      ``DocumentFiled(form="juminhyo", application=41, clerk PC
signed PDF (nothing         pages=1, timestamped=True,                       ``ReviewService``
printed)                    test_signature=False)``                          (``file_signed``)
receipt printed             ``PrintDone(kind="receipt", ...)``: reserved;    nothing yet
                            the kiosk prints no receipt yet (``kiosk forms
                            render --receipt`` only writes a PDF)
an error shown to the       ``ErrorOccurred(where, error="DeviceError")``,   tablet ``Visit``
citizen                     once per error shown: ``card.read`` (no card,
                            reader failure, card pulled during the read,
                            locked card, anything unexpected: "Something
                            went wrong"), ``print.slip``, ``submit`` (the
                            database out of reach, the application left in
                            the outbox: ``DatabaseUnavailableError``)
an error shown to the       ``ErrorOccurred(where="review.print",            clerk PC
clerk at the review         error="DeviceError")``; also ``review.open``,    ``ReviewService``
                            ``.edit``, ``.approve``, ``.finish``,            (``errors_shown``)
                            ``.return``
fee paid (cash or           ``PaymentDone(application=41, form="juminhyo",   clerk PC
cashless), failed,          method="cashless", outcome="paid", amount=900,   ``PaymentService``
cancelled, refunded or      staff=3)``: yen and codes, never a card
left unknown                number
start-up                    ``SoftwareStarted``, ``ConfigChanged``           ``kiosk.app``
==========================  ===============================================  =================

Errors are counted where they are shown, and only failures count: a wrong PIN (``PinOutcome``),
an answer that does not fit, a correction without a reason are the person's input, not
errors. A failed print is both a ``PrintDone(ok=False)`` (paper figures) and one
``ErrorOccurred`` (errors by place); the report counts each in its own section. ``error`` is
the class name as written (``DeviceError``), ``reason`` of ``PrintDone`` and ``CardRead`` the
same in snake case (:func:`error_code`); build them with :func:`error_event` and
:func:`error_code`, never from the message.

The ``session`` of the conversation's events is the tablet's id of the visit: the tablet's
talk page gives it to the :class:`~kiosk.services.conversation.Conversation`, whose relay carries
it to the clerk PC; it is ``""`` when no visit told the device (the citizen never opened the
talk page), and a wipe forgets it.

Auditing
--------
:func:`verify_directory` finds the first modified, deleted, reordered or truncated record of
every device by file and line; :func:`export_csv` writes a date range as CSV;
:func:`build_report` aggregates the effect-verification figures and
:func:`write_report_csvs` writes them with the open-data CSV.
"""

from __future__ import annotations

import importlib
import re
import uuid
from typing import TYPE_CHECKING, Any

from kiosk.audit.events import (
    ApplicationActed,
    CaptionsUsed,
    CardRead,
    ClerkEdited,
    ClerkViewed,
    ConfigChanged,
    DataHandedOn,
    DocumentFiled,
    ErrorOccurred,
    FormSubmitted,
    LanguageChosen,
    PaymentDone,
    PinOutcome,
    PrintDone,
    ProceduresChosen,
    RegisterSearched,
    RegisterViewed,
    SessionEnded,
    SessionStarted,
    SoftwareStarted,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    TicketTransferred,
    TranslationUsed,
    UsageEvent,
)
from kiosk.audit.recorder import NULL_USAGE, ListUsage, NullUsage, UsageRecorder
from kiosk.audit.usage_log import UsageLog

if TYPE_CHECKING:
    from kiosk.audit.export import export_csv
    from kiosk.audit.forms_info import FormInfo, form_infos
    from kiosk.audit.reader import LogRecord, iter_records
    from kiosk.audit.report import UsageReport, build_report
    from kiosk.audit.report_csv import write_report_csvs
    from kiosk.audit.verify import Finding, VerifyResult, verify_directory

# The auditor's side (verify, export, report) is imported when first named: a tablet records
# and never reads, and these modules (multiprocessing among them) slow its start-up.
_AUDITING = {
    "export_csv": "export", "FormInfo": "forms_info", "form_infos": "forms_info",
    "LogRecord": "reader", "iter_records": "reader", "UsageReport": "report",
    "build_report": "report", "write_report_csvs": "report_csv", "Finding": "verify",
    "VerifyResult": "verify", "verify_directory": "verify",
}

__all__ = [
    "NULL_USAGE",
    "ApplicationActed",
    "CaptionsUsed",
    "CardRead",
    "ClerkEdited",
    "ClerkViewed",
    "ConfigChanged",
    "DataHandedOn",
    "DocumentFiled",
    "ErrorOccurred",
    "Finding",
    "FormInfo",
    "FormSubmitted",
    "LanguageChosen",
    "ListUsage",
    "LogRecord",
    "NullUsage",
    "PaymentDone",
    "PinOutcome",
    "PrintDone",
    "ProceduresChosen",
    "RegisterSearched",
    "RegisterViewed",
    "SessionEnded",
    "SessionStarted",
    "SoftwareStarted",
    "TicketCalled",
    "TicketFinished",
    "TicketIssued",
    "TicketTransferred",
    "TranslationUsed",
    "UsageEvent",
    "UsageLog",
    "UsageRecorder",
    "UsageReport",
    "VerifyResult",
    "build_report",
    "error_code",
    "error_event",
    "export_csv",
    "form_infos",
    "iter_records",
    "new_session_id",
    "verify_directory",
    "write_report_csvs",
]


def error_code(error: BaseException) -> str:
    """The usage log's code for an error: its class name in snake case, never its message.

    ``CardRemovedError`` -> ``card_removed_error``. Messages are left out because they may
    carry details a log must not hold.
    """
    name = type(error).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def error_event(where: str, error: BaseException | type[BaseException]) -> ErrorOccurred:
    """The usage event of an error shown to someone: ``where`` (a code such as ``print.slip``)
    and the error's class name (``DeviceError``), never its message.

    A class name that is not a plain code (too long, not ASCII) is cut down to one, so that
    recording an error never fails on the error path.
    """
    kind = error if isinstance(error, type) else type(error)
    return ErrorOccurred(where=where, error=_NOT_CODE.sub("", kind.__name__)[:64])


_NOT_CODE = re.compile(r"[^A-Za-z0-9_]")


def new_session_id() -> str:
    """A fresh opaque id for one citizen's visit at a tablet (random, links nothing)."""
    return uuid.uuid4().hex[:16]


def __getattr__(name: str) -> Any:
    """The auditing names, from their modules on first use (see ``_AUDITING``)."""
    module = _AUDITING.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kiosk.audit.{module}"), name)
    globals()[name] = value
    return value
