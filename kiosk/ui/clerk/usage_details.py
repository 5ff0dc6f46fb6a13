"""A usage-log record's fields as the auditor reads them: a label and a readable value each.

The log holds codes (``ticket=53 service=A wait_s=312.5 recall=false``); the auditor's view
shows ``整理券ID：53　業務：A　待ち時間：5分12秒　再呼び出し：いいえ``, every label and every
coded value through the staff catalog, and keeps the code (``key=value``, as ``kiosk audit
export`` writes it) for the cell's tooltip. :data:`FIELD_LABELS` names every field of every
kind of record (:mod:`kiosk.audit.events`; a test walks them all); a field whose name means
something else in one kind is named in :data:`KIND_FIELD_LABELS`. Codes of the city's own
data (procedures, life events, core systems) are named from that data
(:class:`~kiosk.audit.code_names.CodeNames`); a code this version does not know (a newer
device's) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kiosk.audit.code_names import CodeNames
from kiosk.domain.payment import PaymentMethod, PaymentStatus
from kiosk.domain.reservation import ReservationState
from kiosk.domain.resident_query import QueryKind
from kiosk.domain.staff import Role
from kiosk.domain.ticket import TicketState
from kiosk.i18n import S_, Translator, language_name
from kiosk.ui.clerk.review_panel import RETURN_NAMES

__all__ = ["ERROR_NAMES", "FIELD_LABELS", "KIND_FIELD_LABELS", "VALUE_NAMES", "UsageDetails",
           "code_text", "error_key", "field_label", "value_names"]


# ------------------------------------------------------------------ what each field is
FIELD_LABELS: dict[str, str] = {
    "action": S_("Action"),
    "amount": S_("Amount"),
    "application": S_("Application ID"),
    "branch": S_("Branch counter"),
    "bundle": S_("Life event"),
    "by": S_("Done by staff ID"),
    "captions_lines": S_("Caption lines"),
    "card_fields": S_("Fields from the card"),
    "change": S_("Change"),
    "corrected_fields": S_("Fields corrected by staff"),
    "counter": S_("Counter"),
    "default_fields": S_("Fields left as given"),
    "delivered": S_("Stored at once"),
    "digest": S_("Settings checksum"),
    "duration_s": S_("Duration"),
    "epoch": S_("Sealing period"),
    "error": S_("Error"),
    "failures": S_("Failures in a row"),
    "fields": S_("Fields"),
    "files": S_("Files deleted"),
    "form": S_("Procedure"),
    "forms": S_("Procedures"),
    "found": S_("Matches"),
    "key": S_("Searched by"),
    "kind": S_("Printed item"),
    "language": S_("Language"),
    "mac": S_("Seal"),
    "members": S_("Household members' resident numbers"),
    "method": S_("Payment method"),
    "minutes": S_("Call length"),
    "next": S_("Next sealing period"),
    "ok": S_("Succeeded"),
    "outcome": S_("Outcome"),
    "pages": S_("Pages"),
    "part": S_("What was viewed"),
    "phrase_lines": S_("Phrase lines"),
    "prev_file": S_("Previous log file"),
    "prev_records": S_("Records in the previous file"),
    "priority": S_("Priority"),
    "reason": S_("Reason"),
    "recall": S_("Called again"),
    "remote_ticket": S_("Remote request ID"),
    "reservation": S_("Reservation ID"),
    "resident": S_("Resident number"),
    "residents": S_("Resident numbers found"),
    "role": S_("Role"),
    "schema_version": S_("Settings format"),
    "seconds": S_("Captions time"),
    "service": S_("Service"),
    "service_s": S_("Service time"),
    "session": S_("Visit ID"),
    "slip": S_("Slip printed"),
    "staff": S_("Staff ID"),
    "system": S_("Core system"),
    "test_signature": S_("Test signature"),
    "through": S_("Deleted through"),
    "ticket": S_("Ticket ID"),
    "timestamped": S_("Time-stamped"),
    "torn_line": S_("Broken line"),
    "translated": S_("Lines machine-translated"),
    "tries_left": S_("PIN tries left"),
    "typed_fields": S_("Fields typed by hand"),
    "typed_lines": S_("Typed lines"),
    "utterances": S_("Lines translated"),
    "version": S_("Version"),
    "wait_s": S_("Waiting time"),
    "where": S_("Where"),
}

# A field whose name means something else in one kind of record (``source`` and ``target``
# are named here only: a language pair, or two services' lines).
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("clerk.edited", "fields"): S_("Fields corrected"),
    ("export.handed_on", "fields"): S_("Fields handed on"),
    ("translation.used", "source"): S_("Translated from"),
    ("translation.used", "target"): S_("Translated into"),
    ("ticket.transferred", "source"): S_("From the service"),
    ("ticket.transferred", "target"): S_("To the service"),
    ("device.started", "role"): S_("Device role"),
    ("device.started", "version"): S_("Software version"),
    ("form.submitted", "version"): S_("Form version"),
    ("staff.changed", "role"): S_("Staff role"),
    ("staff.login_failed", "staff"): S_("Staff ID (when the ID exists)"),
}


# ------------------------------------------------------------------ coded values
# The error codes of the log (an error's class name: ``ErrorOccurred.error``, ``CardRead`` and
# ``PrintDone`` reasons in snake case), without the ``_error`` ending.
ERROR_NAMES: dict[str, str] = {
    # The card and its reader (kiosk.domain.identity).
    "card": S_("Card fault"),
    "no_reader": S_("No card reader"),
    "reader_lost": S_("Card reader disconnected"),
    "no_card": S_("No card on the reader"),
    "card_removed": S_("Card taken away during the read"),
    "card_busy": S_("Card in use elsewhere"),
    "not_my_number_card": S_("Not a My Number card"),
    "pin_format": S_("PIN of the wrong length"),
    "wrong_pin": S_("Wrong PIN"),
    "last_try": S_("Last PIN try not confirmed"),
    "pin_locked": S_("PIN locked"),
    "card_data": S_("Card data unreadable"),
    "tlv": S_("Card data unreadable"),
    "card_integrity": S_("Card data failed its check"),
    "card_protocol": S_("Card communication error"),
    "my_number_not_allowed": S_("Reading the My Number not allowed"),
    # Devices, the database, the services.
    "device": S_("Device fault"),
    "device_lost": S_("Device disconnected"),
    "config": S_("Configuration error"),
    "storage": S_("Database error"),
    "database_unavailable": S_("Database out of reach"),
    "damaged_database": S_("Database file damaged"),
    "schema_mismatch": S_("Database of another version"),
    "application_not_found": S_("Application not found"),
    "status": S_("Application in another state"),
    "ticket_not_found": S_("Ticket not found"),
    "ticket_state": S_("Ticket in another state"),
    "unknown_service": S_("Unknown service"),
    "no_ticket": S_("No ticket to call"),
    "desk_busy": S_("Counter busy with a ticket"),
    "review": S_("Review step refused"),
    "invalid_answer": S_("Answer not accepted"),
    "answer_locked": S_("Answer from the card locked"),
    "form_definition": S_("Form definition error"),
    "signature_too_short": S_("Signature too short"),
    "payment": S_("Payment error"),
    "terminal_timeout": S_("Payment terminal did not answer"),
    "payment_state": S_("Payment in another state"),
    "lookup_not_allowed": S_("Resident lookup not allowed"),
    "register_missing": S_("Resident register not set up"),
    "not_allowed": S_("Not allowed for this account"),
    "weak_password": S_("Password too weak"),
    "login_refused": S_("Sign-in refused"),
    "wrong_login": S_("Wrong staff ID or password"),
    "login_wait": S_("Sign-in tried too soon"),
    "account_locked": S_("Account locked"),
    "staff_exists": S_("Staff ID already in use"),
    "staff_not_found": S_("Staff ID not found"),
    "staff_privilege": S_("Database rights missing"),
    "install": S_("Installation error"),
    "export_busy": S_("Export folder in use"),
    "not_signed_pdf": S_("PDF not signed"),
    "no_voice": S_("No voice for the language"),
    "query": S_("Search not understood"),
    "credentials_missing": S_("Admin sign-in missing"),
    "user_facing": S_("Error shown to the user"),
    "kiosk": S_("Kiosk error"),
}
_OTHER_ERROR = S_("Other error")

_ERROR_FIELDS = frozenset({("device.error", "error"), ("card.read", "reason"),
                           ("print.done", "reason")})

# Coded values by (kind, field); :func:`value_names` gives a field's table.
VALUE_NAMES: dict[tuple[str, str], dict[str, str]] = {
    ("session.ended", "reason"): {
        "finished": S_("Finished"), "done": S_("Finished"), "timeout": S_("Timed out"),
        "cancelled": S_("Cancelled"), "cancel": S_("Cancelled"),
        "card_removed": S_("Card taken away")},
    ("card.pin", "outcome"): {"ok": S_("Right"), "wrong": S_("Wrong"), "locked": S_("Locked")},
    ("print.done", "kind"): {"form": S_("Application form"), "receipt": S_("Receipt"),
                             "slip": S_("Ticket slip"), "report": S_("Report")},
    ("ticket.finished", "outcome"): {
        TicketState.PENDING: S_("Not yet issued"), TicketState.ISSUED: S_("Waiting"),
        TicketState.CALLED: S_("Called"), TicketState.RECALLED: S_("Called again"),
        TicketState.SERVING: S_("Being served"), TicketState.HELD: S_("Set aside"),
        TicketState.DONE: S_("Served"), TicketState.NO_SHOW: S_("Did not come"),
        TicketState.CANCELLED: S_("Cancelled"), TicketState.VOID: S_("Void (slip not printed)")},
    ("reservation.changed", "outcome"): {
        ReservationState.BOOKED: S_("Booked"), ReservationState.CANCELLED: S_("Cancelled"),
        ReservationState.CHECKED_IN: S_("Checked in"), ReservationState.NO_SHOW: S_("Did not come"),
        ReservationState.REFUSED: S_("Refused")},
    ("remote.used", "outcome"): {"ended": S_("Call held"), "cancelled": S_("Cancelled")},
    ("clerk.action", "action"): {"approved": S_("Approved"),
                                 "returned": S_("Returned to the citizen"),
                                 "finished": S_("Finished")},
    ("clerk.action", "reason"): RETURN_NAMES,
    ("payment.done", "method"): {PaymentMethod.CASH: S_("Cash"),
                                 PaymentMethod.CASHLESS: S_("Cashless")},
    ("payment.done", "outcome"): {
        PaymentStatus.PENDING: S_("Not answered yet"), PaymentStatus.PAID: S_("Paid"),
        PaymentStatus.FAILED: S_("Failed"), PaymentStatus.CANCELLED: S_("Cancelled"),
        PaymentStatus.REFUNDED: S_("Refunded"), "unknown": S_("Unknown (no answer in time)")},
    ("register.searched", "key"): {
        QueryKind.RESIDENT_ID: S_("Resident number"), QueryKind.BIRTH_DATE: S_("Birth date"),
        QueryKind.KANA: S_("Reading"), QueryKind.NAME: S_("Name")},
    ("register.viewed", "part"): {"household": S_("Household"),
                                  "honseki": S_("Registered domicile"),
                                  "fill": S_("Filled into an application")},
    ("staff.login_failed", "reason"): {
        "unknown": S_("No such staff ID"), "wrong": S_("Wrong password"),
        "disabled": S_("Account disabled"), "locked": S_("Account locked"),
        "waiting": S_("Tried during the wait")},
    ("staff.changed", "change"): {
        "added": S_("Added"), "disabled": S_("Disabled"), "enabled": S_("Enabled"),
        "password": S_("Password changed"), "lookup_granted": S_("Lookup right given"),
        "lookup_revoked": S_("Lookup right taken away")},
    ("staff.changed", "role"): {Role.CLERK: S_("Clerk"), Role.SUPERVISOR: S_("Supervisor"),
                                Role.AUDITOR: S_("Auditor"), Role.ADMIN: S_("Administrator")},
    ("device.started", "role"): {"tablet": S_("Counter tablet"), "clerk": S_("Clerk PC"),
                                 "board": S_("Waiting-room board"), "demo": S_("Demo"),
                                 "web": S_("Web service")},
    ("device.error", "where"): {
        "card.read": S_("Card read"), "print.slip": S_("Ticket slip printing"),
        "submit": S_("Sending the application"), "check_in": S_("Reservation check-in"),
        "remote": S_("Remote counter request"), "review.open": S_("Opening an application"),
        "review.edit": S_("Correcting an answer"),
        "review.register": S_("Filling from the resident register"),
        "review.approve": S_("Approving"), "review.print": S_("Printing the form"),
        "review.file": S_("Filing as a signed PDF"), "review.finish": S_("Finishing"),
        "review.return": S_("Returning to the citizen"),
        "review.handover": S_("Handing on to the core systems"),
        "export.day": S_("Handing on a day's applications")},
}

# Fields in seconds (``minutes`` in minutes), and fields holding a language code; a code
# longer than _LONG_CODE (a seal's HMAC) is shown in blocks.
_SECONDS = frozenset({"duration_s", "wait_s", "service_s", "seconds"})
_LONG_CODE = 32
_LANGUAGE_FIELDS = frozenset({("translation.used", "source"), ("translation.used", "target")})


def field_label(kind: str, name: str) -> str | None:
    """The msgid naming field ``name`` of records of ``kind``; ``None`` if it has none."""
    return KIND_FIELD_LABELS.get((kind, name)) or FIELD_LABELS.get(name)


def value_names(kind: str, name: str) -> Mapping[str, str]:
    """The msgids of the coded values of field ``name`` of ``kind`` (empty: not coded)."""
    if (kind, name) in _ERROR_FIELDS:
        return ERROR_NAMES
    return VALUE_NAMES.get((kind, name), {})


def error_key(code: str) -> str:
    """An error's class name or snake-case code as :data:`ERROR_NAMES` keys it
    (``CardRemovedError`` and ``card_removed_error`` -> ``card_removed``)."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", code).lower()
    return snake.removesuffix("_error").removesuffix("error").rstrip("_") or snake


class UsageDetails:
    """Writes a record's fields in ``tr``'s language, the city's codes named by ``names``."""

    def __init__(self, tr: Translator, names: CodeNames | None = None) -> None:
        self._tr = tr
        names = names or CodeNames()
        # Fields holding a code of the city's data, named by that data.
        self._city: dict[str, Mapping[str, str]] = {
            "form": names.forms, "forms": names.forms, "bundle": names.bundles,
            "system": names.systems}

    def fields(self, kind: str, data: Mapping[str, Any]) -> list[str]:
        """Every field of a record of ``kind`` as ``label：value``, in the record's order."""
        return [self._tr(S_("{label}: {value}"), label=self.label(kind, name),
                         value=self.value(kind, name, value)) for name, value in data.items()]

    def label(self, kind: str, name: str) -> str:
        """Field ``name`` of ``kind`` named in ``tr``'s language (a field this version does
        not know, as its code)."""
        label = field_label(kind, name)
        return self._tr(label) if label is not None else name

    def value(self, kind: str, name: str, value: Any) -> str:
        """``value`` of field ``name`` of ``kind`` as the auditor reads it."""
        tr = self._tr
        if value is None or value in ("", []):
            return tr(S_("none"))
        if isinstance(value, bool):
            return tr(S_("yes") if value else S_("no"))
        if isinstance(value, list):
            return tr(S_(", ")).join(self.value(kind, name, one) for one in value)
        if isinstance(value, int | float):
            return self._number(name, value)
        return self._code(kind, name, str(value))

    def _number(self, name: str, value: float) -> str:
        if name in _SECONDS:
            return self.duration(float(value))
        if name == "minutes":
            return self.duration(float(value) * 60)
        if name == "amount":
            return self._tr(S_("{amount} yen"), amount=f"{value:,}")
        return f"{value:g}" if isinstance(value, float) else str(value)

    def _code(self, kind: str, name: str, code: str) -> str:
        if name == "language" or (kind, name) in _LANGUAGE_FIELDS:
            return language_name(code, self._tr.code)
        if name in self._city:
            return self._city[name].get(code, code)
        names = value_names(kind, name)
        if names is ERROR_NAMES:
            return self._tr(ERROR_NAMES.get(error_key(code), _OTHER_ERROR))
        named = names.get(code)
        if named is not None:
            return self._tr(named)
        if len(code) > _LONG_CODE:
            # A seal's HMAC is one 64-digit word: in blocks of 16, as key fingerprints are
            # read, it wraps in the column instead of running out of it.
            return " ".join(code[start:start + 16] for start in range(0, len(code), 16))
        return code

    def duration(self, seconds: float) -> str:
        """``seconds`` as hours, minutes and seconds (``5分13秒``; under a minute with its
        tenths: ``0.4秒``)."""
        tr = self._tr
        if seconds < 60:
            return tr(S_("{seconds} s"), seconds=f"{seconds:.1f}".removesuffix(".0"))
        whole = round(seconds)
        hours, rest = divmod(whole, 3600)
        minutes, rest = divmod(rest, 60)
        if hours:
            return tr(S_("{hours} h {minutes} min"), hours=hours, minutes=minutes)
        return tr(S_("{minutes} min {seconds} s"), minutes=minutes, seconds=rest)


def code_text(data: Mapping[str, Any]) -> str:
    """The record's fields as codes, as the file holds them (``ticket=53 service=A``)."""
    return " ".join(f"{key}={value}" for key, value in data.items())
