"""Payments of fees at the counter: cash or cashless, and the terminal's answers.

A payment belongs to one application and carries its itemised fees. It moves
``pending -> paid | failed | cancelled`` and ``paid -> refunded``; a pending cashless payment
whose terminal did not answer stays pending until the terminal is asked again (never charged
a second time: the same ``reference`` is the terminal's idempotency key). No field holds
personal data: amounts, codes, ids and the terminal's slip number only.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "PAYMENT_FLOW",
    "ChargeItem",
    "ChargeRequest",
    "ChargeResult",
    "DayTakings",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "TerminalOutcome",
    "new_reference",
]


class PaymentMethod(enum.StrEnum):
    """How the fee is paid."""

    CASH = "cash"
    CASHLESS = "cashless"     # card, e-money, QR code: whatever the city's terminal takes


class PaymentStatus(enum.StrEnum):
    """Where a payment is."""

    PENDING = "pending"       # asked for; the terminal has not (yet) given a final answer
    PAID = "paid"
    FAILED = "failed"         # declined or an error the terminal reported
    CANCELLED = "cancelled"   # the visitor or the clerk cancelled on the terminal
    REFUNDED = "refunded"


PAYMENT_FLOW: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset({PaymentStatus.PAID, PaymentStatus.FAILED,
                                      PaymentStatus.CANCELLED}),
    PaymentStatus.PAID: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.FAILED: frozenset(),
    PaymentStatus.CANCELLED: frozenset(),
    PaymentStatus.REFUNDED: frozenset(),
}


class TerminalOutcome(enum.StrEnum):
    """A payment terminal's final answer to a charge (or a refund)."""

    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


def new_reference() -> str:
    """A fresh payment reference: names one charge at the terminal across every retry."""
    return "KP" + secrets.token_hex(10).upper()


@dataclass(frozen=True, slots=True)
class ChargeItem:
    """One line the terminal may print on its own slip (a fee, not a person)."""

    label: str
    unit_amount: int
    quantity: int

    @property
    def amount(self) -> int:
        """The line's amount in yen."""
        return self.unit_amount * self.quantity


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    """What the kiosk asks a terminal to charge: yen, the items, and its reference."""

    reference: str
    amount: int
    items: tuple[ChargeItem, ...] = ()


@dataclass(frozen=True, slots=True)
class ChargeResult:
    """The terminal's final answer: the outcome and its own slip number (伝票番号)."""

    reference: str
    outcome: TerminalOutcome
    slip: str = ""
    brand: str = ""           # "visa", "suica", "paypay"...: a code, never the card number
    reason: str = ""          # the terminal's reason code when failed


@dataclass(frozen=True)
class Payment:
    """A stored payment (ids, amounts, codes: nothing personal)."""

    id: int
    application_id: int
    reference: str
    method: PaymentMethod
    status: PaymentStatus
    amount: int
    items: tuple[tuple[str, str, int, int], ...]   # (form id, fee kind, unit yen, quantity)
    slip: str
    staff_id: int | None
    created_at: datetime
    day: date                  # the local business day it was taken (日計)
    brand: str = ""
    refunded_day: date | None = None


@dataclass(frozen=True)
class DayTakings:
    """One day's takings: yen and count per method, refunds taken back."""

    day: date
    amounts: dict[PaymentMethod, int]
    counts: dict[PaymentMethod, int]
    refunds: int = 0

    @property
    def total(self) -> int:
        """Every method together, in yen."""
        return sum(self.amounts.values())

    @property
    def cashless_share(self) -> float | None:
        """Share of the yen taken cashless (``None`` on a day without takings)."""
        return self.amounts.get(PaymentMethod.CASHLESS, 0) / self.total if self.total else None
