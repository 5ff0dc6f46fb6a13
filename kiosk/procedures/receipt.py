"""The citizen's receipt, in the citizen's language: what was applied for, the fees, what to
bring and where to go next; and the ticket slip beside it (number, wait, the ticket page's QR
code). Pure text; ``devices/printer`` draws both.

Each line carries its English text too, so that a printer without a font for the citizen's
script (Devanagari on a bare machine) can still print a readable line instead of boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.ticket import Ticket
from kiosk.i18n import N_, translator
from kiosk.procedures.eras import format_date
from kiosk.procedures.kana import RUBY
from kiosk.procedures.session import FormSession

__all__ = ["Receipt", "ReceiptLine", "TicketSlip", "build_receipt", "build_slip"]


@dataclass(frozen=True)
class ReceiptLine:
    """One line of the receipt: its text, the English text, and its style."""

    text: str
    english: str
    style: str = "body"        # "title", "heading", "body", "total", "note"


@dataclass(frozen=True)
class Receipt:
    """A receipt ready to draw; holds no personal data beyond the application id."""

    language: str
    application_id: str
    lines: tuple[ReceiptLine, ...]
    qr: str = ""        # the QR code's text; "" = the application number


def build_receipt(sessions: list[FormSession], *, language: str, application_id: str,
                  counter: str = "") -> Receipt:
    """The receipt for the forms of one visit, in ``language`` (a catalog code)."""
    local, english = translator(language), translator("en")
    lines: list[ReceiptLine] = []

    def add(message_id: str, style: str = "body", **params: object) -> None:
        lines.append(ReceiptLine(local(message_id, **params), english(message_id, **params), style))

    def add_text(texts: tuple[str, str], style: str = "body") -> None:
        # Paper has no ruby line here: furigana go in brackets after the word, 住民票（じゅうみんひょう）.
        lines.append(ReceiptLine(RUBY.sub(r"\1（\2）", texts[0]), texts[1], style))

    add(N_("Receipt"), "title")
    add(N_("Application number: {number}"), number=application_id)
    if sessions:
        today = sessions[0].today()
        add(N_("Date: {date}"), date=f"{format_date(today)} ({today.isoformat()})")
    add(N_("What you applied for"), "heading")
    total = 0
    certificate = False
    for session in sessions:
        form = session.definition
        certificate = certificate or form.certificate
        add_text((form.title.get(language), form.title.get("en")))
        fee = session.total_fee()
        total += fee
        if fee:
            add(N_("Fee: {amount} yen"), amount=f"{fee:,}")
    add(N_("Total: {amount} yen"), "total", amount=f"{total:,}")
    bring = [item for session in sessions for item in session.bring()]
    if bring:
        add(N_("Please have ready"), "heading")
        for item in {b.id: b for b in bring}.values():
            add_text((f"・{item.label.get(language)}", f"- {item.label.get('en')}"))
    add(N_("Where to go next"), "heading")
    department = sessions[0].definition.department if sessions else None
    add(N_("Please wait until your number is called, then go to counter {counter} ({department})."),
        counter=counter or (sessions[0].definition.counter if sessions else ""),
        department=department.get(language) if department else "")
    if certificate:
        add(N_("Next time, you can get this certificate at a convenience store with your "
               "My Number card."), "note")
    return Receipt(language, application_id, tuple(lines))


@dataclass(frozen=True)
class TicketSlip:
    """The printed ticket slip, ready to draw: no personal data, so its PDF may stay in the
    print folder."""

    label: str
    lines: tuple[ReceiptLine, ...]      # styles "small", "heading", "number", "body"
    qr: str                             # the QR code's text (the ticket page's URL)


def build_slip(ticket: Ticket, wait_seconds: int, language: str, qr: str = "", *,
               office: str = "") -> TicketSlip:
    """The slip of ``ticket`` in Japanese and ``language``, under ``office`` (the city hall's
    name) and the ticket's day; without ``qr`` its code holds the bare ticket number."""
    english = translator("en")
    minutes = -(-wait_seconds // 60)
    # One line on top for every language: the office and the day, its Western date readable
    # in any language (the slip has no room for the day twice above its QR code).
    day = f"{format_date(ticket.day)} ({ticket.day.isoformat()})"
    head = f"{office}　{day}" if office else day
    lines: list[ReceiptLine] = [ReceiptLine(head, ticket.day.isoformat(), "small")]
    for code in dict.fromkeys(("ja", language)):
        tr = translator(code)
        lines += [ReceiptLine(tr(N_("Your number")), english(N_("Your number")), "heading"),
                  ReceiptLine(ticket.label, ticket.label, "number"),
                  ReceiptLine(tr(N_("Estimated wait: about {minutes} minutes."), minutes=minutes),
                              english(N_("Estimated wait: about {minutes} minutes."),
                                      minutes=minutes))]
    return TicketSlip(ticket.label, tuple(lines), qr or f"TOME-KIOSK-TICKET:{ticket.label}")
