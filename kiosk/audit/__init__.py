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

====================================  ========================================================
when                                  event
====================================  ========================================================
Welcome touched                       ``SessionStarted(session=new_session_id(), language="ja")``
language switched                     ``LanguageChosen(session, language="vi")``
procedures chosen                     ``ProceduresChosen(session, forms=("juminhyo",), bundle="")``
card read                             ``CardRead(session, ok=True)`` / ``CardRead(session, False,
                                      reason="no_card")`` (the error class in snake case)
PIN entered                           ``PinOutcome(session, outcome="ok"|"wrong"|"locked",
                                      tries_left=2)`` — never the digits
captions shown                        ``CaptionsUsed(session, language="ja", seconds=95.0)``
translation used                      ``TranslationUsed(session, source="vi", target="ja",
                                      utterances=4)``
something printed                     ``PrintDone(kind="form"|"receipt"|"slip", ok=True,
                                      pages=1)`` / ``PrintDone("slip", False, 0, reason="offline")``
visit over                            ``SessionEnded(session, reason="done"|"timeout"|"cancel",
                                      duration_s=312.5)``
clerk opens / corrects an application ``ClerkViewed(staff=3, application=41)`` /
                                      ``ClerkEdited(staff=3, application=41, fields=2)``
an error shown to someone             ``ErrorOccurred(where="print.slip", error="DeviceError")``
====================================  ========================================================

The services record the rest themselves: :class:`~kiosk.services.queue.QueueService` the
tickets issued, called, finished and transferred (with wait and service times) and
:class:`~kiosk.services.applications.SubmissionService` every application submitted (field
counts by provenance: card, typed, corrected, default) and
:class:`~kiosk.services.captions.Conversation` a ``ConversationUsed`` (visitor language, lines
by kind: captions, typed, phrasebook, machine-translated; never their text) when a visit's
conversation is wiped. ``kiosk.app`` records the software
version at start-up.

Auditing
--------
:func:`verify_directory` finds the first modified, deleted, reordered or truncated record of
every device by file and line; :func:`export_csv` writes a date range as CSV;
:func:`build_report` aggregates the effect-verification figures and
:func:`write_report_csvs` writes them with the open-data CSV.
"""

from __future__ import annotations

import uuid

from kiosk.audit.events import (
    CaptionsUsed,
    CardRead,
    ClerkEdited,
    ClerkViewed,
    ConfigChanged,
    ErrorOccurred,
    FormSubmitted,
    LanguageChosen,
    PinOutcome,
    PrintDone,
    ProceduresChosen,
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
from kiosk.audit.export import export_csv
from kiosk.audit.forms_info import FormInfo, form_infos
from kiosk.audit.reader import LogRecord, iter_records
from kiosk.audit.recorder import NULL_USAGE, ListUsage, NullUsage, UsageRecorder
from kiosk.audit.report import UsageReport, build_report
from kiosk.audit.report_csv import write_report_csvs
from kiosk.audit.usage_log import UsageLog
from kiosk.audit.verify import Finding, VerifyResult, verify_directory

__all__ = [
    "NULL_USAGE",
    "CaptionsUsed",
    "CardRead",
    "ClerkEdited",
    "ClerkViewed",
    "ConfigChanged",
    "ErrorOccurred",
    "Finding",
    "FormInfo",
    "FormSubmitted",
    "LanguageChosen",
    "ListUsage",
    "LogRecord",
    "NullUsage",
    "PinOutcome",
    "PrintDone",
    "ProceduresChosen",
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


def new_session_id() -> str:
    """A fresh opaque id for one citizen's visit at a tablet (random, links nothing)."""
    return uuid.uuid4().hex[:16]
