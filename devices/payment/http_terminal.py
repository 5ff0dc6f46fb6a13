"""Reference adapter for a payment terminal that speaks the local HTTP/JSON interface of
``docs/payment-terminal-http.md`` (a vendor's bridge on the clerk PC or on the counter LAN).

The rule that keeps money right: one ``reference`` is one charge. The kiosk sends it as the
body's ``reference`` and as the ``Idempotency-Key`` header; the terminal charges a reference
once and answers a repeat with the same charge. So after a time-out the adapter first asks
``GET /v1/charges/{reference}`` and only sends the charge again when the terminal says it
never took it (404). While the visitor has not finished on the terminal it polls; when the
wait is over it asks the terminal to cancel, and the terminal's answer (perhaps "paid": the
visitor tapped at the last moment) is the outcome. When nothing final can be learnt it raises
:class:`kiosk.ports.TerminalTimeout` and the payment stays pending: nothing is released
unpaid and nothing is charged twice.

Standard library only; only amounts, item labels and the reference are sent.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from kiosk.doctor import Check, Status
from kiosk.domain.payment import ChargeRequest, ChargeResult, TerminalOutcome
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.ports import TerminalTimeout

__all__ = ["HttpTerminal"]

_FINAL = {outcome.value: outcome for outcome in TerminalOutcome}


class _NotFound(Exception):
    """The terminal does not know the reference (404)."""


class _NoAnswer(Exception):
    """No answer in time, or no connection: the terminal's state is unknown."""


class HttpTerminal:
    """A terminal at ``url`` (``http://127.0.0.1:18080``).

    Args:
        url: the terminal's (or its bridge's) base URL; local, never the internet.
        request_timeout_s: the longest wait for one HTTP answer.
        wait_s: how long the visitor has to finish on the terminal before it is cancelled.
        poll_s: the pause between two status questions while the visitor pays.
        sleep: the pause function (tests pass one that does not sleep).
    """

    kind = "http"

    def __init__(self, url: str, *, request_timeout_s: float = 5.0, wait_s: float = 120.0,
                 poll_s: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self._url = url.rstrip("/")
        self._timeout, self._wait, self._poll, self._sleep = (request_timeout_s, wait_s,
                                                              poll_s, sleep)

    def __repr__(self) -> str:
        return f"HttpTerminal({self._url!r})"

    # ------------------------------------------------------------ the port
    def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge, wait for the visitor, cancel when the wait is over (see the module)."""
        body = {"reference": request.reference, "amount": request.amount, "currency": "JPY",
                "items": [{"label": item.label, "unit_amount": item.unit_amount,
                           "quantity": item.quantity} for item in request.items]}
        try:
            answer = self._call("POST", "/v1/charges", body, request.reference)
        except _NoAnswer:
            answer = self._after_lost_post(request, body)
        result = _result(request.reference, answer)
        return result if result is not None else self._wait_for(request.reference)

    def status(self, reference: str) -> ChargeResult | None:
        """The final outcome of ``reference``; ``None`` when unknown to it or still waiting."""
        try:
            return _result(reference, self._call("GET", _path(reference)))
        except _NotFound:
            return None
        except _NoAnswer as exc:
            raise DeviceError(S_("The payment terminal does not answer.")) from exc

    def refund(self, reference: str, amount: int) -> ChargeResult:
        """Refund ``amount`` yen of a paid charge."""
        try:
            answer = self._call("POST", _path(reference) + "/refund", {"amount": amount},
                                reference + "-refund")
        except (_NotFound, _NoAnswer) as exc:
            raise DeviceError(S_("The payment terminal refused the refund.")) from exc
        result = _result(reference, answer)
        if result is None or result.outcome is not TerminalOutcome.REFUNDED:
            raise DeviceError(S_("The payment terminal refused the refund."))
        return result

    def probe(self) -> Sequence[Check]:
        """``GET /v1/health``: reachable and ready."""
        try:
            answer = self._call("GET", "/v1/health")
        except (_NoAnswer, _NotFound, DeviceError) as exc:
            return [Check("payment.terminal", Status.FAIL,
                          f"payment terminal at {self._url} does not answer ({type(exc).__name__})",
                          "Switch the terminal on and check [payment] url and its cable/LAN.")]
        ready = bool(answer.get("ready"))
        return [Check("payment.terminal", Status.OK if ready else Status.WARN,
                      f"payment terminal at {self._url}: {answer.get('model', '?')}, "
                      f"{'ready' if ready else 'not ready'}",
                      "" if ready else "Finish the terminal's own start-up (daily check-in).")]

    # ------------------------------------------------------------ waiting and recovering
    def _after_lost_post(self, request: ChargeRequest, body: dict[str, Any]) -> dict[str, Any]:
        """The charge's answer was lost: ask first; send again only if it never arrived."""
        try:
            return self._call("GET", _path(request.reference))
        except _NotFound:
            pass
        except _NoAnswer as exc:
            raise TerminalTimeout(S_("The payment terminal did not answer. Check the terminal "
                                     "before trying again.")) from exc
        try:   # never arrived: the same reference again, so it can only be charged once
            return self._call("POST", "/v1/charges", body, request.reference)
        except _NoAnswer as exc:
            raise TerminalTimeout(S_("The payment terminal did not answer. Check the terminal "
                                     "before trying again.")) from exc

    def _wait_for(self, reference: str) -> ChargeResult:
        deadline = time.monotonic() + self._wait
        polls = max(1, int(self._wait / self._poll)) if self._poll > 0 else 1
        for _ in range(polls):
            if time.monotonic() > deadline:
                break
            self._sleep(self._poll)
            try:
                result = _result(reference, self._call("GET", _path(reference)))
            except (_NoAnswer, _NotFound):
                continue       # a short loss of the LAN: ask again
            if result is not None:
                return result
        try:    # the visitor did not finish: cancel, and take what the terminal says it did
            result = _result(reference, self._call("POST", _path(reference) + "/cancel", {},
                                                   reference + "-cancel"))
        except (_NoAnswer, _NotFound):
            result = None
        if result is None:
            raise TerminalTimeout(S_("The payment terminal did not answer. Check the terminal "
                                     "before trying again."))
        return result

    # ------------------------------------------------------------ HTTP
    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              key: str = "") -> dict[str, Any]:
        if not self._url.startswith(("http://", "https://")):
            raise DeviceError(S_("[payment] url must start with http:// or https://."))
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(self._url + path, data=data, method=method,  # noqa: S310
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                return _json(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise _NotFound from exc
            raise DeviceError(S_("The payment terminal refused the request (HTTP {status})."),
                              status=exc.code) from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            raise _NoAnswer from exc


def _path(reference: str) -> str:
    return "/v1/charges/" + urllib.parse.quote(reference, safe="")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise DeviceError(S_("The payment terminal sent an answer the kiosk cannot read.")) \
            from exc
    if not isinstance(answer, dict):
        raise DeviceError(S_("The payment terminal sent an answer the kiosk cannot read."))
    return answer


def _result(reference: str, answer: dict[str, Any]) -> ChargeResult | None:
    """The final result in ``answer``, ``None`` while ``pending``."""
    status = str(answer.get("status", ""))
    if status == "pending":
        return None
    outcome = _FINAL.get(status)
    if outcome is None or answer.get("reference", reference) != reference:
        raise DeviceError(S_("The payment terminal sent an answer the kiosk cannot read."))
    return ChargeResult(reference, outcome, slip=str(answer.get("slip", ""))[:64],
                        brand=str(answer.get("brand", ""))[:32],
                        reason=str(answer.get("reason", ""))[:32])
