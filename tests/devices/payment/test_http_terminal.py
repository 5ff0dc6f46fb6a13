"""The HTTP terminal adapter against a local stub of docs/payment-terminal-http.md."""

from __future__ import annotations

import pytest
from payment_stub import StubTerminal

from devices.payment.http_terminal import HttpTerminal
from devices.payment.simulated_terminal import SimulatedTerminal
from kiosk.doctor import Status
from kiosk.domain.payment import ChargeItem, ChargeRequest, TerminalOutcome
from kiosk.errors import DeviceError
from kiosk.ports import TerminalTimeout

REQUEST = ChargeRequest("KPTEST0001", 900, (ChargeItem("住民票の写し", 300, 3),))


def _terminal(stub: StubTerminal, **kwargs: float) -> HttpTerminal:
    return HttpTerminal(stub.url, request_timeout_s=kwargs.get("timeout", 0.3),
                        wait_s=kwargs.get("wait", 5.0), poll_s=0.01, sleep=lambda _s: None)


def test_http_terminal__visitor_pays__paid_with_slip_and_idempotency_key() -> None:
    with StubTerminal() as stub:
        result = _terminal(stub).charge(REQUEST)
    assert (result.outcome, result.slip, stub.state.charged) == (TerminalOutcome.PAID,
                                                                 "STUB00001", 1)
    assert stub.state.requests[0] == ("POST", "/v1/charges", "KPTEST0001")
    assert stub.state.bodies[0]["items"] == [{"label": "住民票の写し", "unit_amount": 300,
                                              "quantity": 3}]


def test_http_terminal__visitor_still_paying__polls_until_paid() -> None:
    with StubTerminal() as stub:
        stub.state.pending_polls = 3
        result = _terminal(stub).charge(REQUEST)
    assert result.outcome is TerminalOutcome.PAID
    assert sum(1 for method, _, _ in stub.state.requests if method == "GET") == 4


def test_http_terminal__answer_lost_after_charging__asks_and_charges_once() -> None:
    with StubTerminal() as stub:
        stub.state.post_delay_s = 1.0      # charged, but the answer comes after the time-out
        result = _terminal(stub, timeout=0.2).charge(REQUEST)
    assert (result.outcome, stub.state.charged) == (TerminalOutcome.PAID, 1)
    assert [m for m, p, _ in stub.state.requests if p == "/v1/charges"] == ["POST"]


def test_http_terminal__charge_lost_before_terminal__sent_again_with_same_reference() -> None:
    with StubTerminal(timeout_s=0.5) as stub:
        stub.state.drop_posts = 1
        result = _terminal(stub, timeout=0.2).charge(REQUEST)
    keys = [key for method, path, key in stub.state.requests if path == "/v1/charges"]
    assert (result.outcome, stub.state.charged, keys) == (TerminalOutcome.PAID, 1,
                                                          ["KPTEST0001", "KPTEST0001"])


def test_http_terminal__visitor_never_finishes__cancelled_on_the_terminal() -> None:
    with StubTerminal() as stub:
        stub.state.pending_polls = 10_000
        result = _terminal(stub, wait=0.05).charge(REQUEST)
    assert (result.outcome, stub.state.charged) == (TerminalOutcome.CANCELLED, 0)


def test_http_terminal__declined__failed_with_reason() -> None:
    with StubTerminal() as stub:
        stub.state.decline = True
        result = _terminal(stub).charge(REQUEST)
    assert (result.outcome, result.reason) == (TerminalOutcome.FAILED, "declined")


def test_http_terminal__terminal_down__timeout_outcome_unknown() -> None:
    with StubTerminal() as stub:
        url = stub.url
    with pytest.raises(TerminalTimeout):
        HttpTerminal(url, request_timeout_s=0.2, sleep=lambda _s: None).charge(REQUEST)


def test_http_terminal__status_and_refund__refunded_once() -> None:
    with StubTerminal() as stub:
        terminal = _terminal(stub)
        terminal.charge(REQUEST)
        assert terminal.status("KPTEST0001").outcome is TerminalOutcome.PAID  # type: ignore[union-attr]
        assert terminal.status("KPUNKNOWN") is None
        assert terminal.refund("KPTEST0001", 900).outcome is TerminalOutcome.REFUNDED
        with pytest.raises(DeviceError):
            terminal.refund("KPUNKNOWN", 900)


@pytest.mark.parametrize(("ready", "status"), [(True, Status.OK), (False, Status.WARN)])
def test_http_terminal__probe__reports_readiness(ready: bool, status: Status) -> None:
    with StubTerminal() as stub:
        stub.state.ready = ready
        checks = _terminal(stub).probe()
    assert checks[0].status is status


@pytest.mark.parametrize(("amount", "outcome"), [(900, TerminalOutcome.PAID),
                                                 (913, TerminalOutcome.FAILED),
                                                 (914, TerminalOutcome.CANCELLED)])
def test_simulated_terminal__amount__outcome_and_charged_once(amount: int,
                                                              outcome: TerminalOutcome) -> None:
    terminal = SimulatedTerminal()
    request = ChargeRequest("KPSIM", amount)
    first, again = terminal.charge(request), terminal.charge(request)
    assert (first.outcome, again, terminal.charged) == (outcome, first,
                                                        int(outcome is TerminalOutcome.PAID))
