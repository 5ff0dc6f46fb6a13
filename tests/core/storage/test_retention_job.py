"""The periodic job behind automatic retention and outbox delivery."""

from __future__ import annotations

import threading

from kiosk.services.retention import PeriodicJob
from kiosk.storage.engine import DatabaseUnavailableError


def test_periodic_job__outage_then_success__keeps_running():
    calls: list[int] = []
    third = threading.Event()

    def job() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise DatabaseUnavailableError("The database is not reachable ({reason}).",
                                           reason="test")
        if len(calls) >= 3:
            third.set()

    periodic = PeriodicJob("retention", job, interval_s=0.01)
    periodic.start()
    ran = third.wait(timeout=5)
    periodic.stop()
    count = len(calls)
    threading.Event().wait(0.05)

    assert ran
    assert len(calls) == count       # stopped means stopped
