"""Fees at the counter: the itemised amount, cash or cashless payment, refunds, the day's takings.

When ``[payment] kind`` is not ``none`` an application with a fee is not finished (the
certificate is not released) until its fee is paid: :meth:`PaymentService.require_paid` is the
review's release gate. A cashless payment is written as *pending* before the terminal is
asked, under a fresh reference the terminal charges at most once; when the terminal does not
answer in time the payment stays pending, a second payment of the same application is
refused, and :meth:`PaymentService.resolve` asks the terminal what happened before it sends
the same reference again. So a time-out mid-payment charges nothing twice and releases
nothing unpaid.

Usage log: one :class:`~kiosk.audit.events.PaymentDone` per outcome (yen, method, codes).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.audit import NULL_USAGE, PaymentDone, PrintDone, UsageRecorder, error_code
from kiosk.domain.payment import (
    ChargeItem,
    ChargeRequest,
    ChargeResult,
    DayTakings,
    Payment,
    PaymentMethod,
    PaymentStatus,
    TerminalOutcome,
    new_reference,
)
from kiosk.errors import DeviceError, UserFacingError
from kiosk.i18n import S_
from kiosk.ports import PaymentTerminal, Printer, Renderer, TerminalTimeout
from kiosk.procedures.fee_items import FeeItem, fee_items, items_total
from kiosk.procedures.model import FormDefinition
from kiosk.procedures.payment_receipt import build_payment_receipt, receipt_qr
from kiosk.procedures.receipt import Receipt
from kiosk.procedures.session import FormSession
from kiosk.services.daily_close import build_daily_close, write_daily_close
from kiosk.services.review import ReviewError, ReviewSession
from kiosk.storage.payment_store import PaymentStore

__all__ = ["FeeQuote", "PaymentError", "PaymentService"]

_log = logging.getLogger(__name__)

_OUTCOME_STATUS = {TerminalOutcome.PAID: PaymentStatus.PAID,
                   TerminalOutcome.FAILED: PaymentStatus.FAILED,
                   TerminalOutcome.CANCELLED: PaymentStatus.CANCELLED}


class PaymentError(UserFacingError):
    """A payment cannot be taken or changed now (the message says why, for the clerk)."""


@dataclass(frozen=True)
class FeeQuote:
    """What an application costs, item by item, and what of it is paid."""

    application_id: int
    form_id: str
    items: tuple[FeeItem, ...]
    paid: int
    pending: Payment | None = None     # a cashless payment whose outcome is not known yet

    @property
    def total(self) -> int:
        """Every item together, in yen."""
        return items_total(list(self.items))

    @property
    def due(self) -> int:
        """What is still to pay, in yen."""
        return max(0, self.total - self.paid)


class PaymentService:
    """Payments of one database, with the counter's terminal (``None``: cash only)."""

    def __init__(self, store: PaymentStore, terminal: PaymentTerminal | None, *,
                 cash: bool = True, usage: UsageRecorder = NULL_USAGE,
                 forms: Mapping[str, FormDefinition] | None = None, issuer: str = "登米市",
                 printer: Printer | None = None,
                 renderer: Renderer | None = None) -> None:
        self.store = store
        self.terminal = terminal
        self.cash = cash
        self.usage = usage
        self.forms: Mapping[str, FormDefinition] = forms or {}
        self.issuer = issuer
        self.printer = printer
        self.renderer = renderer    # draws the receipt the printer is given

    # ------------------------------------------------------------ what is due
    def quote(self, application_id: int, session: FormSession) -> FeeQuote:
        """The itemised fees of an application and what is already paid."""
        payments = self.store.for_application(application_id)
        paid = sum(p.amount for p in payments if p.status is PaymentStatus.PAID)
        pending = next((p for p in payments if p.status is PaymentStatus.PENDING), None)
        return FeeQuote(application_id, session.definition.id, tuple(fee_items(session)), paid,
                        pending)

    def require_paid(self, review: ReviewSession) -> None:
        """The release gate: refuse to finish an application whose fee is not paid.

        Raises:
            ReviewError: a fee is still due (the amount is given), or its payment is pending.
        """
        quote = self.quote(review.application.id, review.session)
        if quote.pending is not None:
            raise ReviewError(S_("The payment on the terminal has no result yet. Ask the "
                                 "terminal again before finishing."))
        if quote.due:
            raise ReviewError(S_("The fee of {amount} yen is not paid yet. Take the payment "
                                 "before finishing."), amount=f"{quote.due:,}")

    # ------------------------------------------------------------ taking it
    def pay_cash(self, review: ReviewSession) -> Payment:
        """The clerk took the amount due in cash.

        Raises:
            PaymentError: cash is not taken here, nothing is due, or a payment is pending.
        """
        if not self.cash:
            raise PaymentError(S_("This counter does not take cash."))
        quote = self._payable(review)
        payment = self.store.create(review.application.id, new_reference(),
                                    PaymentMethod.CASH, quote.due, _stored(quote.items),
                                    review.staff.id)
        payment = self.store.move(payment.id, PaymentStatus.PENDING, PaymentStatus.PAID)
        self._record(payment, review.session.definition.id, "paid")
        return payment

    def pay_cashless(self, review: ReviewSession) -> Payment:
        """Charge the amount due on the terminal and wait for the visitor.

        Returns the payment as the terminal left it: paid, failed, cancelled, or still
        pending when the terminal did not answer in time (see :meth:`resolve`).

        Raises:
            PaymentError: no terminal, nothing due, or a payment is pending already.
        """
        if self.terminal is None:
            raise PaymentError(S_("No payment terminal is configured at this counter."))
        quote = self._payable(review)
        payment = self.store.create(review.application.id, new_reference(),
                                    PaymentMethod.CASHLESS, quote.due, _stored(quote.items),
                                    review.staff.id)
        return self._charge(payment, quote.items, review.session.definition.id)

    def resolve(self, payment_id: int, form_id: str = "") -> Payment:
        """Settle a pending cashless payment: ask the terminal first; only when it never
        took the charge, send the same reference again (it cannot be charged twice).

        Raises:
            kiosk.errors.DeviceError: the terminal does not answer (the payment stays pending).
        """
        payment = self.store.get(payment_id)
        if payment.status is not PaymentStatus.PENDING:
            return payment
        assert self.terminal is not None, "a pending payment needs the terminal that took it"
        result = self.terminal.status(payment.reference)
        if result is not None:
            return self._settle(payment, result, form_id)
        return self._charge(payment, (), form_id)

    def refund(self, payment_id: int, form_id: str = "") -> Payment:
        """Give a paid fee back: on the terminal for cashless, in cash at the desk otherwise.

        Raises:
            PaymentError: the payment is not paid.
            kiosk.errors.DeviceError: the terminal refused the refund (nothing changes).
        """
        payment = self.store.get(payment_id)
        if payment.status is not PaymentStatus.PAID:
            raise PaymentError(S_("Only a paid fee can be refunded."))
        if payment.method is PaymentMethod.CASHLESS:
            assert self.terminal is not None, "a cashless payment needs its terminal"
            self.terminal.refund(payment.reference, payment.amount)
        payment = self.store.move(payment.id, PaymentStatus.PAID, PaymentStatus.REFUNDED)
        self._record(payment, form_id, "refunded")
        return payment

    # ------------------------------------------------------------ the receipt (領収書)
    def receipt(self, payment_id: int, language: str) -> Receipt:
        """The receipt of a paid payment, in Japanese and ``language``.

        Raises:
            PaymentError: the payment is not paid.
        """
        payment = self.store.get(payment_id)
        if payment.status is not PaymentStatus.PAID:
            raise PaymentError(S_("A receipt is given only for a paid fee."))
        return build_payment_receipt(payment, self.forms, language=language, issuer=self.issuer)

    def receipt_qr(self, payment_id: int) -> str:
        """The receipt's text for a QR code on the screen (no paper)."""
        return receipt_qr(self.store.get(payment_id), self.issuer)

    def print_receipt(self, payment_id: int, language: str) -> str:
        """Print the receipt; the PDF exists only until the printer took it.

        Raises:
            PaymentError: the payment is not paid, or this desk has no printer.
            kiosk.errors.DeviceError: the printer refused the job.
        """
        receipt = self.receipt(payment_id, language)
        if self.printer is None or self.renderer is None:
            raise PaymentError(S_("This desk cannot print receipts."))
        with tempfile.TemporaryDirectory(prefix="kiosk-receipt-") as folder:
            pdf = Path(folder) / f"receipt-{payment_id}.pdf"
            self.renderer.receipt(receipt, pdf)
            try:
                job = self.printer.print_pdf(pdf, title=f"receipt {payment_id}")
            except DeviceError as exc:
                self.usage.record(PrintDone(kind="receipt", ok=False, pages=0,
                                            reason=error_code(exc)))
                raise
        self.usage.record(PrintDone(kind="receipt", ok=True, pages=1))
        return job

    # ------------------------------------------------------------ the day
    def takings(self, day: date) -> DayTakings:
        """The day's takings per method and the cashless share."""
        return self.store.takings(day)

    def payments_on(self, day: date) -> list[Payment]:
        """Every payment taken or refunded on ``day`` (the daily close's lines)."""
        return self.store.on_day(day)

    def close_day(self, day: date, folder: Path) -> tuple[Path, Path]:
        """Write the day's close (日計) as XLSX and CSV in ``folder``; returns both paths."""
        close = build_daily_close(day, self.store.on_day(day), self.store.takings(day),
                                  self.forms)
        return write_daily_close(close, folder)

    def payments(self, application_id: int) -> list[Payment]:
        """Every payment of an application, oldest first."""
        return self.store.for_application(application_id)

    # ------------------------------------------------------------ inside
    def _payable(self, review: ReviewSession) -> FeeQuote:
        quote = self.quote(review.application.id, review.session)
        if quote.pending is not None:
            raise PaymentError(S_("A payment on the terminal has no result yet. Ask the "
                                  "terminal again first."))
        if not quote.due:
            raise PaymentError(S_("Nothing is due for this application."))
        return quote

    def _charge(self, payment: Payment, items: tuple[FeeItem, ...], form_id: str) -> Payment:
        assert self.terminal is not None
        request = ChargeRequest(payment.reference, payment.amount, tuple(
            ChargeItem(item.label.get("ja"), item.unit_amount, item.quantity) for item in items))
        try:
            result = self.terminal.charge(request)
        except TerminalTimeout:
            _log.warning("payment %d: the terminal gave no result in time", payment.id)
            self._record(payment, form_id, "unknown")
            return payment                       # stays pending: resolve() asks again
        except DeviceError:
            # Unreachable before it could take anything: asked again by resolve() too.
            self._record(payment, form_id, "unknown")
            raise
        return self._settle(payment, result, form_id)

    def _settle(self, payment: Payment, result: ChargeResult, form_id: str) -> Payment:
        status = _OUTCOME_STATUS.get(result.outcome)
        if status is None:     # "refunded" for a pending charge: the terminal's own mistake
            raise PaymentError(S_("The payment terminal answered something unexpected. "
                                  "Check the terminal."))
        payment = self.store.move(payment.id, PaymentStatus.PENDING, status, slip=result.slip,
                                  brand=result.brand, reason=result.reason)
        self._record(payment, form_id, status.value)
        return payment

    def _record(self, payment: Payment, form_id: str, outcome: str) -> None:
        form = form_id or (payment.items[0][0] if payment.items else "")
        self.usage.record(PaymentDone(application=payment.application_id, form=form,
                                      method=payment.method.value, outcome=outcome,
                                      amount=payment.amount, staff=payment.staff_id))


def _stored(items: tuple[FeeItem, ...]) -> tuple[tuple[str, str, int, int], ...]:
    return tuple((item.form_id, item.kind, item.unit_amount, item.quantity) for item in items)
