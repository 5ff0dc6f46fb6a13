"""32 concurrent clients issuing and calling on one database: no number twice, none lost."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest

from kiosk.domain.ticket import TicketState
from kiosk.storage.database import Storage, open_storage

CLIENTS = 32
TICKETS_PER_ISSUER = 12


@dataclass
class Run:
    """What the clients did, shared between their threads."""

    start: threading.Barrier
    issuing_done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    issued: list[tuple[int, str]] = field(default_factory=list)
    called: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def _issuer(run: Run, storage: Storage, index: int) -> None:
    run.start.wait()
    for n in range(TICKETS_PER_ISSUER):
        ticket = storage.queue.issue("AB"[(index + n) % 2], priority=1 if n % 3 == 0 else 0)
        with run.lock:
            run.issued.append((ticket.id, ticket.label))


def _caller(run: Run, storage: Storage, index: int) -> None:
    run.start.wait()
    while True:
        # Read the flag first: a None after the last issue committed means the line is empty.
        finished = run.issuing_done.is_set()
        ticket = storage.queue.call_next(["A", "B"], counter=f"{index}番窓口")
        if ticket is not None:
            with run.lock:
                run.called.append(ticket.id)
        elif finished:
            return


def _guarded(run: Run, target, storage: Storage, index: int) -> None:
    try:
        target(run, storage, index)
    except BaseException as exc:
        run.errors.append(exc)
        run.start.abort()


def _numbers_by_prefix(issued: list[tuple[int, str]]) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = {}
    for _, label in issued:
        numbers.setdefault(label[0], []).append(int(label[2:]))
    return {prefix: sorted(values) for prefix, values in numbers.items()}


@pytest.mark.slow
def test_queue__32_clients_issue_and_call__unique_numbers_each_called_once(database_url, clock):
    setup = open_storage(database_url, clock, auto_upgrade=True)
    setup.queue.add_service("A", "A", "住民票")
    setup.queue.add_service("B", "B", "税証明")
    setup.close()
    # Every client has its own engine, as every tablet and clerk PC has its own process.
    stores = [open_storage(database_url, clock, pool_size=1) for _ in range(CLIENTS)]
    run = Run(threading.Barrier(CLIENTS))
    half = CLIENTS // 2
    issuers = [threading.Thread(target=_guarded, args=(run, _issuer, s, i))
               for i, s in enumerate(stores[:half])]
    callers = [threading.Thread(target=_guarded, args=(run, _caller, s, i))
               for i, s in enumerate(stores[half:])]
    for thread in issuers + callers:
        thread.start()
    for thread in issuers:
        thread.join(timeout=120)
    run.issuing_done.set()
    for thread in callers:
        thread.join(timeout=120)
    remaining = stores[0].queue.tickets(states=[TicketState.ISSUED])
    states = Counter(t.state for t in stores[0].queue.tickets())
    for storage in stores:
        storage.close()

    assert run.errors == []
    total = half * TICKETS_PER_ISSUER
    assert len(run.issued) == total
    assert len({label for _, label in run.issued}) == total        # no number issued twice
    for numbers in _numbers_by_prefix(run.issued).values():        # 1..n per service, no gap
        assert numbers == list(range(1, len(numbers) + 1))
    assert len(run.called) == len(set(run.called))                 # no ticket called twice
    assert set(run.called) == {i for i, _ in run.issued}           # none lost
    assert remaining == []
    assert states == {TicketState.CALLED: total}
