"""Payments in the shared database: create, move through their states, and sum a day.

A status change is a compare-and-set on the status it leaves, so two clerk PCs (or a retry
after an outage) can never record one charge twice or pay a refunded payment again.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine, insert, select, update

from kiosk.domain.payment import (
    PAYMENT_FLOW,
    DayTakings,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.storage.engine import transaction
from kiosk.storage.schema import payments

__all__ = ["PaymentStateError", "PaymentStore"]

Items = tuple[tuple[str, str, int, int], ...]


class PaymentStateError(StorageError):
    """The payment is no longer in the state the change expected (another desk moved it)."""


class PaymentStore:
    """``payments`` on one engine; ``clock`` dates the business day in local time."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def create(self, application_id: int, reference: str, method: PaymentMethod, amount: int,
               items: Items, staff_id: int | None) -> Payment:
        """A new pending payment."""
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            result = connection.execute(insert(payments).values(
                application_id=application_id, reference=reference, method=method.value,
                status=PaymentStatus.PENDING.value, amount=amount,
                items=json.dumps([list(item) for item in items], ensure_ascii=False),
                staff_id=staff_id, created_at=now, updated_at=now,
                day=now.date()))
            new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return self.get(new_id)

    def get(self, payment_id: int) -> Payment:
        """One payment.

        Raises:
            StorageError: no such payment.
        """
        with transaction(self._engine) as connection:
            row = connection.execute(select(payments).where(payments.c.id == payment_id)).first()
        if row is None:
            raise StorageError(S_("Payment {id} does not exist."), id=payment_id)
        return _payment(row)

    def for_application(self, application_id: int) -> list[Payment]:
        """Every payment of an application, oldest first."""
        with transaction(self._engine) as connection:
            rows = connection.execute(select(payments).where(
                payments.c.application_id == application_id).order_by(payments.c.id)).all()
        return [_payment(row) for row in rows]

    def move(self, payment_id: int, source: PaymentStatus, target: PaymentStatus, *,
             slip: str = "", brand: str = "", reason: str = "") -> Payment:
        """Move ``source -> target`` (and keep the terminal's slip, brand and reason codes).

        Raises:
            PaymentStateError: not allowed, or the payment is no longer ``source``.
        """
        if target not in PAYMENT_FLOW[source]:
            raise PaymentStateError(S_("A payment cannot go from {source} to {target}."),
                                    source=source.value, target=target.value)
        now = self._clock.now()
        values: dict[str, object] = {"status": target.value, "updated_at": now}
        if target is PaymentStatus.REFUNDED:
            values["refunded_day"] = now.date()
        else:
            values.update(slip=slip[:64], brand=brand[:32], reason=reason[:32])
            if target is PaymentStatus.PAID:
                values["day"] = now.date()    # taken the day it was paid, not asked for
        with transaction(self._engine, write=True) as connection:
            changed = connection.execute(update(payments).where(
                payments.c.id == payment_id, payments.c.status == source.value).values(
                **values)).rowcount
        if changed != 1:
            raise PaymentStateError(S_("The payment was changed at another desk. Look at it "
                                       "again."))
        return self.get(payment_id)

    def on_day(self, day: date) -> list[Payment]:
        """Every payment taken or refunded on ``day``, in order."""
        with transaction(self._engine) as connection:
            rows = connection.execute(select(payments).where(
                (payments.c.day == day) | (payments.c.refunded_day == day)).order_by(
                payments.c.id)).all()
        return [_payment(row) for row in rows]

    def between(self, first: date, last: date) -> list[Payment]:
        """Every payment asked for from ``first`` to ``last`` (the yearly report's check)."""
        with transaction(self._engine) as connection:
            rows = connection.execute(select(payments).where(
                payments.c.day >= first, payments.c.day <= last).order_by(payments.c.id)).all()
        return [_payment(row) for row in rows]

    def takings(self, day: date) -> DayTakings:
        """The day's takings per method (paid that day, refunded or not) and its refunds."""
        amounts = dict.fromkeys(PaymentMethod, 0)
        counts = dict.fromkeys(PaymentMethod, 0)
        refunds = 0
        for payment in self.on_day(day):
            if payment.day == day and payment.status in (PaymentStatus.PAID,
                                                         PaymentStatus.REFUNDED):
                amounts[payment.method] += payment.amount
                counts[payment.method] += 1
            if payment.refunded_day == day:
                refunds += payment.amount
        return DayTakings(day, amounts, counts, refunds)


def _payment(row: object) -> Payment:
    data = row._mapping  # type: ignore[attr-defined]
    items = tuple((str(form), str(kind), int(unit), int(quantity))
                  for form, kind, unit, quantity in json.loads(data["items"]))
    return Payment(id=int(data["id"]), application_id=int(data["application_id"]),
                   reference=data["reference"], method=PaymentMethod(data["method"]),
                   status=PaymentStatus(data["status"]), amount=int(data["amount"]),
                   items=items, slip=data["slip"], staff_id=data["staff_id"],
                   created_at=data["created_at"], day=data["day"], brand=data["brand"],
                   refunded_day=data["refunded_day"])
