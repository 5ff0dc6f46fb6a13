"""Paying fees at the counter: cash, the simulated terminal and the HTTP terminal's stub,
timeouts mid-payment (nothing charged twice, nothing released unpaid), refunds, takings."""

from __future__ import annotations

import dataclasses

import pytest
from payment_stub import StubTerminal

from kiosk.audit import PaymentDone
from kiosk.domain.application import ApplicationStatus
from kiosk.domain.payment import PaymentMethod, PaymentStatus
from kiosk.services.payments import PaymentError
from kiosk.services.review import ReviewError

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_payments__kind_none__fee_bearing_application_finishes_as_before(make_pay_world):
    world = make_pay_world()
    review = world.printed(world.application(copies=2))
    review.finish()
    assert (world.services.payments, review.status) == (None, ApplicationStatus.DONE)


def test_payments__unpaid_fee__not_released_until_paid_cashless(make_pay_world):
    world = make_pay_world(kind="simulated")
    review = world.printed(world.application(copies=3))
    quote = world.services.payments.quote(review.application.id, review.session)
    assert (quote.total, quote.due) == (900, 900)

    with pytest.raises(ReviewError, match="900"):
        review.finish()
    payment = world.services.payments.pay_cashless(review)
    review.finish()

    assert (payment.status, payment.method, payment.slip) == (
        PaymentStatus.PAID, PaymentMethod.CASHLESS, "SIM000001")
    assert payment.items == (("juminhyo", "juminhyo", 300, 3),)
    assert review.status is ApplicationStatus.DONE


def test_payments__cash__paid_and_counted_in_the_days_takings(make_pay_world):
    world = make_pay_world(kind="simulated")
    payments = world.services.payments
    cash = payments.pay_cash(world.printed(world.application(copies=1)))
    card = payments.pay_cashless(world.printed(world.application(copies=2)))

    takings = payments.takings(cash.day)
    assert takings.amounts == {PaymentMethod.CASH: 300, PaymentMethod.CASHLESS: 600}
    assert takings.counts == {PaymentMethod.CASH: 1, PaymentMethod.CASHLESS: 1}
    assert takings.cashless_share == pytest.approx(600 / 900)
    assert card.day == cash.day


def test_payments__declined_then_paid__failed_kept_and_second_payment_taken(make_pay_world):
    world = make_pay_world(kind="simulated")
    review = world.printed(world.application(copies=1))
    terminal = world.services.payments.terminal
    declined = terminal.charge                  # the simulator declines amounts ending in 13
    terminal.charge = lambda request: declined(dataclasses.replace(request, amount=13))
    failed = world.services.payments.pay_cashless(review)
    terminal.charge = declined
    paid = world.services.payments.pay_cashless(review)

    assert [failed.status, paid.status] == [PaymentStatus.FAILED, PaymentStatus.PAID]
    review.finish()


def test_payments__nothing_due__refused(make_pay_world):
    world = make_pay_world(kind="simulated")
    review = world.printed(world.application(copies=1))
    world.services.payments.pay_cash(review)
    with pytest.raises(PaymentError):
        world.services.payments.pay_cash(review)


def test_payments__refund__refunded_and_not_released_again(make_pay_world):
    world = make_pay_world(kind="simulated")
    review = world.printed(world.application(copies=2))
    paid = world.services.payments.pay_cashless(review)
    refunded = world.services.payments.refund(paid.id, "juminhyo")
    takings = world.services.payments.takings(paid.day)

    assert (refunded.status, takings.refunds) == (PaymentStatus.REFUNDED, 600)
    with pytest.raises(ReviewError):
        review.finish()


def test_payments__usage_log__outcomes_in_codes_and_yen_only(make_pay_world):
    world = make_pay_world(kind="simulated")
    application = world.application(copies=1)
    world.services.payments.pay_cash(world.printed(application))
    events = [e for e in world.usage.events if isinstance(e, PaymentDone)]
    assert events == [PaymentDone(application=application, form="juminhyo", method="cash",
                                  outcome="paid", amount=300, staff=world.staff.id)]


# ------------------------------------------------------------------ the HTTP terminal's stub
def _http(make_pay_world, stub: StubTerminal):
    world = make_pay_world(kind="http", url=stub.url, request_timeout_s="0.3", wait_s="0.3")
    world.services.payments.terminal._poll = 0.01      # poll quickly against the stub
    return world


def test_payments_http__answer_lost_mid_payment__asked_not_charged_twice(make_pay_world):
    with StubTerminal() as stub:
        world = _http(make_pay_world, stub)
        review = world.printed(world.application(copies=2))
        stub.state.post_delay_s = 1.0          # charged, then the answer comes too late
        payment = world.services.payments.pay_cashless(review)
        review.finish()
    assert (payment.status, payment.slip, stub.state.charged) == (PaymentStatus.PAID,
                                                                  "STUB00001", 1)


def test_payments_http__terminal_silent_mid_payment__pending_held_then_resolved_once(
        make_pay_world):
    with StubTerminal(timeout_s=0.5) as stub:
        world = _http(make_pay_world, stub)
        payments = world.services.payments
        review = world.printed(world.application(copies=1))
        stub.state.pending_polls = 10_000      # the visitor is paying ...
        stub.state.silent = True               # ... and the LAN goes down
        pending = payments.pay_cashless(review)

        assert pending.status is PaymentStatus.PENDING
        with pytest.raises(ReviewError):
            review.finish()                    # nothing released unpaid
        with pytest.raises(PaymentError):
            payments.pay_cashless(review)      # and no second charge while it is open
        with pytest.raises(PaymentError):
            payments.pay_cash(review)

        stub.state.silent, stub.state.pending_polls = False, 0   # back: the visitor had paid
        settled = payments.resolve(pending.id, "juminhyo")
        review.finish()
    posts = [p for m, p, _ in stub.state.requests if m == "POST" and p == "/v1/charges"]
    assert (settled.status, stub.state.charged, len(posts)) == (PaymentStatus.PAID, 1, 1)
    assert [e.outcome for e in world.usage.events if isinstance(e, PaymentDone)] == [
        "unknown", "paid"]


def test_payments_http__charge_never_arrived__resolved_by_sending_the_same_reference(
        make_pay_world):
    with StubTerminal(timeout_s=0.5) as stub:
        world = _http(make_pay_world, stub)
        payments = world.services.payments
        review = world.printed(world.application(copies=1))
        stub.state.drop_posts, stub.state.silent = 1, True
        pending = payments.pay_cashless(review)
        stub.state.silent = False
        settled = payments.resolve(pending.id)
    keys = [k for m, p, k in stub.state.requests if p == "/v1/charges"]
    assert (pending.status, settled.status, stub.state.charged) == (
        PaymentStatus.PENDING, PaymentStatus.PAID, 1)
    assert keys == [pending.reference, pending.reference]


def test_payments_http__visitor_cancels__cancelled_and_still_due(make_pay_world):
    with StubTerminal() as stub:
        world = _http(make_pay_world, stub)
        review = world.printed(world.application(copies=1))
        stub.state.pending_polls = 10_000      # never finishes: the wait ends, cancelled
        payment = world.services.payments.pay_cashless(review)
        quote = world.services.payments.quote(review.application.id, review.session)
    assert (payment.status, quote.due, stub.state.charged) == (PaymentStatus.CANCELLED, 300, 0)
