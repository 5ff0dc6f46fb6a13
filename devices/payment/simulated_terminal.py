"""A payment terminal that exists only in memory: for the demo, training and tests.

It answers like a real terminal: the same reference is charged once (a repeat answers the
first outcome), slip numbers count up per day, and a refund needs a paid charge. Amounts
ending in ``13`` yen are declined and ``14`` are cancelled, so a trainer can show both.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

from kiosk.doctor import Check, Status
from kiosk.domain.payment import ChargeRequest, ChargeResult, TerminalOutcome
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["SimulatedTerminal"]


class SimulatedTerminal:
    """An in-memory terminal; ``charged`` counts the charges it really made."""

    kind = "simulated"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, ChargeResult] = {}
        self._amounts: dict[str, int] = {}
        self._slips = itertools.count(1)
        self.charged = 0

    def __repr__(self) -> str:
        return f"SimulatedTerminal(charges={len(self._done)})"

    def probe(self) -> Sequence[Check]:
        """Always ready; says that nothing is really charged."""
        return [Check("payment.terminal", Status.OK,
                      "simulated payment terminal (demo/training: nothing is charged)")]

    def charge(self, request: ChargeRequest) -> ChargeResult:
        """Decide at once (see the module: ...13 declines, ...14 cancels)."""
        with self._lock:
            if request.reference in self._done:
                return self._done[request.reference]
            if request.amount % 100 == 13:
                result = ChargeResult(request.reference, TerminalOutcome.FAILED, reason="declined")
            elif request.amount % 100 == 14:
                result = ChargeResult(request.reference, TerminalOutcome.CANCELLED)
            else:
                self.charged += 1
                result = ChargeResult(request.reference, TerminalOutcome.PAID,
                                      slip=f"SIM{next(self._slips):06d}", brand="simulated")
            self._done[request.reference] = result
            self._amounts[request.reference] = request.amount
            return result

    def status(self, reference: str) -> ChargeResult | None:
        """The outcome of ``reference``, or ``None`` when it never came here."""
        with self._lock:
            return self._done.get(reference)

    def refund(self, reference: str, amount: int) -> ChargeResult:
        """Refund a paid charge in full."""
        with self._lock:
            done = self._done.get(reference)
            if done is None or done.outcome is not TerminalOutcome.PAID or \
                    amount != self._amounts.get(reference):
                raise DeviceError(S_("The payment terminal refused the refund."))
            result = ChargeResult(reference, TerminalOutcome.REFUNDED, slip=done.slip,
                                  brand=done.brand)
            self._done[reference] = result
            return result
