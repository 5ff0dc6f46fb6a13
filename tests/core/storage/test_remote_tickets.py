"""Remote tickets (リモート窓口) on both engines: a branch asks, one main-office desk accepts,
the call ends; the usage log gets minutes, service, branch and language, nothing else."""

from __future__ import annotations

import threading

import pytest

from kiosk.audit import ListUsage
from kiosk.audit.events import RemoteCallUsed, event_from_data
from kiosk.domain.remote import RemoteTicketState
from kiosk.errors import UserFacingError
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.storage.remote_store import RemoteTicketStore

BRANCH = "豊里総合支所 窓口"


@pytest.fixture
def desk(storage, clock):
    usage = ListUsage()
    return RemoteCounterDesk(RemoteTicketStore(storage.engine, clock), usage), usage


def test_request_accept_end__the_usage_log_has_the_minutes_and_codes_only(desk, clock):
    remote, usage = desk
    asked = remote.request("B", BRANCH, "vi")
    assert asked.state is RemoteTicketState.REQUESTED
    assert [t.id for t in remote.waiting()] == [asked.id]
    assert len(asked.call_id) == 32

    accepted = remote.accept(asked.id, staff_id=None)
    assert accepted is not None
    assert accepted.state is RemoteTicketState.ACCEPTED
    assert remote.waiting() == []
    clock.advance(minutes=12, seconds=30)
    ended = remote.end(asked.id)
    assert ended is not None
    assert ended.state is RemoteTicketState.ENDED
    assert remote.end(asked.id) is None                      # the other side ended it already

    [event] = usage.of(RemoteCallUsed)
    assert event == RemoteCallUsed(remote_ticket=asked.id, service="B", branch="豊里総合支所_窓口",
                                   language="vi", outcome="ended", minutes=12.5)
    assert event_from_data(event.KIND, event.data()) == event
    assert set(event.data()) == {"remote_ticket", "service", "branch", "language", "outcome", "minutes"}


def test_two_desks_accept_at_once__one_gets_the_call(desk, storage, clock):
    remote, _ = desk
    asked = remote.request("A", BRANCH, "ja")
    other = RemoteCounterDesk(RemoteTicketStore(storage.engine, clock))
    results: list[object] = []
    start = threading.Barrier(2)

    def take(which: RemoteCounterDesk) -> None:
        start.wait()
        results.append(which.accept(asked.id, staff_id=None))

    threads = [threading.Thread(target=take, args=(which,)) for which in (remote, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is not None for result in results) == 1


def test_cancel__before_accept_recorded__after_accept_refused(desk):
    remote, usage = desk
    first = remote.request("A", BRANCH, "en")
    second = remote.request("A", BRANCH, "en")
    assert [t.id for t in remote.waiting()] == [first.id, second.id]     # oldest first
    assert remote.cancel(first.id) is not None
    assert remote.accept(first.id, staff_id=None) is None               # withdrawn: no call
    assert remote.accept(second.id, staff_id=None) is not None
    assert remote.cancel(second.id) is None                              # the call is on
    [event] = usage.of(RemoteCallUsed)
    assert (event.outcome, event.minutes) == ("cancelled", 0.0)  # type: ignore[attr-defined]


def test_request__unknown_service__a_message(desk):
    remote, _ = desk
    with pytest.raises(UserFacingError, match="no service Z"):
        remote.request("Z", BRANCH, "ja")
