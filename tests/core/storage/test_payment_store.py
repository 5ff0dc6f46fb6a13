"""Payments on both engines: states as compare-and-set, the business day, takings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from kiosk.domain.payment import PaymentMethod, PaymentStatus
from kiosk.storage.application_store import SealedSubmission
from kiosk.storage.payment_store import PaymentStateError

JST = timezone(timedelta(hours=9))
ITEMS = (("juminhyo", "juminhyo", 300, 2),)


def _application(storage) -> int:
    new_id, _ = storage.applications.insert(SealedSubmission(
        "k" * 32, "juminhyo", "1.0.0", "vi", None, 0, "key", b"sealed",
        datetime(2026, 4, 1, tzinfo=UTC)))
    return new_id


def test_payment_store__two_desks_settle_one_pending__second_refused(storage):
    application = _application(storage)
    payment = storage.payments.create(application, "KP1", PaymentMethod.CASHLESS, 600, ITEMS,
                                      None)
    paid = storage.payments.move(payment.id, PaymentStatus.PENDING, PaymentStatus.PAID,
                                 slip="S1", brand="visa")

    with pytest.raises(PaymentStateError):
        storage.payments.move(payment.id, PaymentStatus.PENDING, PaymentStatus.FAILED)
    with pytest.raises(PaymentStateError):
        storage.payments.move(payment.id, PaymentStatus.PAID, PaymentStatus.PENDING)
    assert (paid.status, paid.slip, paid.items) == (PaymentStatus.PAID, "S1", ITEMS)
    assert storage.payments.for_application(application) == [paid]


def test_payment_store__same_reference_twice__refused(storage):
    application = _application(storage)
    storage.payments.create(application, "KP1", PaymentMethod.CASH, 300, ITEMS, None)
    with pytest.raises(IntegrityError):
        storage.payments.create(application, "KP1", PaymentMethod.CASH, 300, ITEMS, None)


def test_payment_store__paid_today_refunded_tomorrow__each_day_counts_its_own(storage, clock):
    application = _application(storage)
    store = storage.payments
    cash = store.create(application, "KP1", PaymentMethod.CASH, 300, ITEMS, None)
    store.move(cash.id, PaymentStatus.PENDING, PaymentStatus.PAID)
    card = store.create(application, "KP2", PaymentMethod.CASHLESS, 600, ITEMS, None)
    card = store.move(card.id, PaymentStatus.PENDING, PaymentStatus.PAID)
    failed = store.create(application, "KP3", PaymentMethod.CASHLESS, 900, ITEMS, None)
    store.move(failed.id, PaymentStatus.PENDING, PaymentStatus.FAILED)
    first_day = card.day
    clock.advance(days=1)
    store.move(card.id, PaymentStatus.PAID, PaymentStatus.REFUNDED)

    today, tomorrow = store.takings(first_day), store.takings(first_day + timedelta(days=1))
    assert (today.amounts[PaymentMethod.CASH], today.amounts[PaymentMethod.CASHLESS],
            today.refunds, today.cashless_share) == (300, 600, 0, pytest.approx(600 / 900))
    assert (tomorrow.total, tomorrow.refunds, tomorrow.cashless_share) == (0, 600, None)
    assert [p.reference for p in store.on_day(first_day + timedelta(days=1))] == ["KP2"]
