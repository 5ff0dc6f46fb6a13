"""The receipt of a paid fee (領収書): in Japanese, and again in the visitor's language.

The Japanese lines are the accounting record the city issues; the visitor's lines say the same
for the reader. Pure text for :func:`devices.printer.pdf_render.render_receipt`, and the QR
text (:func:`receipt_qr`) for a receipt shown on the screen instead of paper. Amounts, fee
names, the ordinance, the method and the terminal's slip number: never a name or a card number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kiosk.domain.payment import Payment, PaymentMethod, PaymentStatus
from kiosk.i18n import N_, translator
from kiosk.procedures.eras import format_date
from kiosk.procedures.model import FormDefinition
from kiosk.procedures.receipt import Receipt, ReceiptLine

__all__ = ["build_payment_receipt", "receipt_qr"]

_METHODS = {PaymentMethod.CASH: N_("Paid in cash"),
            PaymentMethod.CASHLESS: N_("Paid cashless")}


def build_payment_receipt(payment: Payment, forms: Mapping[str, FormDefinition], *,
                          language: str, issuer: str) -> Receipt:
    """The 領収書 of a paid ``payment`` (Japanese first, then ``language`` when it differs).

    Raises:
        ValueError: the payment is not paid (a receipt is only for money received).
    """
    if payment.status is not PaymentStatus.PAID:
        raise ValueError("a receipt is only for a paid payment")
    japanese, local, english = translator("ja"), translator(language), translator("en")
    both = not language.startswith("ja")
    lines: list[ReceiptLine] = []

    def add(message_id: str, style: str = "body", **params: object) -> None:
        lines.append(ReceiptLine(japanese(message_id, **params), english(message_id, **params),
                                 style))
        if both:
            lines.append(ReceiptLine(local(message_id, **params), english(message_id, **params),
                                     "note" if style == "body" else style))

    lines.append(ReceiptLine("領収書", "RECEIPT", "title"))
    if both:
        lines.append(ReceiptLine(local(N_("Receipt for fees paid")),
                                 english(N_("Receipt for fees paid")), "heading"))
    add(N_("Receipt number: {number}"), number=payment.reference)
    day: date = payment.day
    lines.append(ReceiptLine(f"{format_date(day)} ({day.isoformat()})", day.isoformat()))
    add(N_("Amount received: {amount} yen"), "total", amount=f"{payment.amount:,}")
    for form_id, kind, unit, quantity in payment.items:
        form = forms.get(form_id)
        fee = next((f for f in form.fees if f.kind == kind), None) if form else None
        label_ja = fee.label.get("ja") if fee else kind
        label_local = fee.label.get(language) if fee else kind
        amount = f"{unit:,} × {quantity} = {unit * quantity:,}"
        lines.append(ReceiptLine(f"・{label_ja}　{amount}円", f"- {kind} {amount} yen"))
        if both:
            lines.append(ReceiptLine(f"  {label_local}", f"  {fee.label.get('en') if fee else kind}",
                                     "note"))
        if fee and fee.basis:
            lines.append(ReceiptLine(f"  （{fee.basis}）", "  (fee ordinance)", "note"))
    add(_METHODS[payment.method])
    if payment.slip:
        add(N_("Terminal slip number: {slip}"), slip=payment.slip)
    add(N_("We have received the amount above as fees."))
    lines.append(ReceiptLine(issuer, issuer, "heading"))
    return Receipt(language, payment.reference, tuple(lines), qr=receipt_qr(payment, issuer))


def receipt_qr(payment: Payment, issuer: str) -> str:
    """The receipt as a short text for a QR code (read by any phone camera)."""
    method = "現金" if payment.method is PaymentMethod.CASH else "キャッシュレス"
    slip = f" 伝票{payment.slip}" if payment.slip else ""
    return (f"領収書 {issuer} No.{payment.reference} {payment.day.isoformat()} "
            f"¥{payment.amount:,} {method}{slip}")
