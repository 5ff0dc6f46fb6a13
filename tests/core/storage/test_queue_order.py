"""Queue order as the index-backed statements read it: call-next over several services, the
people ahead of a ticket, the board's counts, on both engines."""

from __future__ import annotations

import pytest

from kiosk.domain.ticket import TicketAction
from kiosk.services.queue import QueueService
from kiosk.storage.database import Storage

# (service, priority) issued in this order; the order call-next over A and B must follow.
ISSUES_AND_CALLS = [
    ([("A", 0), ("B", 0), ("A", 0)], [0, 1, 2]),
    ([("A", 0), ("B", 1), ("A", 1)], [1, 2, 0]),
    ([("B", 0), ("A", 0), ("B", 1), ("B", 0)], [2, 0, 1, 3]),
    ([("A", 1), ("A", 0), ("B", 1), ("B", 0)], [0, 2, 1, 3]),
]


@pytest.mark.parametrize(("issues", "expected"), ISSUES_AND_CALLS)
def test_call_next__two_services_mixed_priorities__priority_then_longest_wait(
        storage: Storage, issues, expected):
    tickets = [storage.queue.issue(service, priority=priority) for service, priority in issues]

    called = [storage.queue.call_next(["A", "B"], counter="1") for _ in issues]

    assert [t.id if t else None for t in called] == [tickets[i].id for i in expected]
    assert storage.queue.call_next(["B", "A"], counter="1") is None


def test_call_next__one_service_with_others_waiting__only_that_service(storage: Storage):
    b = storage.queue.issue("B", priority=1)
    a = storage.queue.issue("A")

    assert storage.queue.call_next(["A"], counter="1").id == a.id
    assert storage.queue.call_next(["A"], counter="1") is None
    assert storage.queue.call_next(["B"], counter="2").id == b.id


# priorities issued in this order -> people ahead of each ticket (same moment twice: the id
# breaks the tie, as call-next does).
AHEAD = [
    ([0, 0, 0], [0, 1, 2]),
    ([0, 1, 0], [1, 0, 2]),
    ([1, 1, 0, 1], [0, 1, 3, 2]),
]


@pytest.mark.parametrize(("priorities", "ahead"), AHEAD)
def test_estimated_wait__priorities__counts_those_called_before_it(storage: Storage, clock,
                                                                  priorities, ahead):
    issued = [storage.queue.issue("A", priority=p) for p in priorities]
    service = 300   # no history: the service's default time, one counter

    assert [storage.queue.estimated_wait_seconds("A", t.id) for t in issued] == \
        [n * service for n in ahead]
    assert [storage.queue.ticket_wait_seconds(t) for t in issued] == \
        [n * service for n in ahead]


def test_board__called_recalled_and_done__counts_waiting_lists_called_in_order(storage: Storage):
    queue = QueueService(storage.queue)
    tickets = [queue.take_ticket("A").ticket for _ in range(5)]
    urgent = queue.take_ticket("A", priority=1).ticket
    first = queue.call_next(["A"], counter="1番窓口")            # the urgent one
    second = queue.call_next(["A"], counter="2番窓口")           # tickets[0]
    queue.recall(second.id, counter="2番窓口")
    done = queue.call_next(["A"], counter="3番窓口")             # tickets[1]
    queue.act(done.id, TicketAction.FINISH)

    line = {line.service: line for line in queue.board()}["A"]

    assert (first.id, second.id, done.id) == (urgent.id, tickets[0].id, tickets[1].id)
    assert line.waiting == 3
    assert line.calling == ((urgent.label, "1番窓口"), (tickets[0].label, "2番窓口"))
