"""The ticket queue on both engines: numbering, calling, transitions, slips and the wait."""

from __future__ import annotations

import pytest

from kiosk.domain.staff import Role
from kiosk.domain.ticket import (
    SlipChoice,
    TicketAction,
    TicketState,
    estimate_wait_seconds,
    next_state,
    ticket_label,
)
from kiosk.errors import DeviceError
from kiosk.services.queue import QueueService
from kiosk.storage.database import Storage
from kiosk.storage.figures import figures
from kiosk.storage.queue_store import TicketStateError, UnknownServiceError


@pytest.mark.parametrize(("prefix", "number", "label"), [
    ("A", 1, "A-001"), ("B", 42, "B-042"), ("A", 999, "A-999"), ("C", 1000, "C-1000"),
])
def test_ticket_label__number__zero_padded_with_prefix(prefix, number, label):
    assert ticket_label(prefix, number) == label


@pytest.mark.parametrize(("action", "state", "expected"), [
    (TicketAction.ISSUE, TicketState.PENDING, TicketState.ISSUED),
    (TicketAction.VOID, TicketState.PENDING, TicketState.VOID),
    (TicketAction.CALL, TicketState.PENDING, None),
    (TicketAction.CALL, TicketState.ISSUED, TicketState.CALLED),
    (TicketAction.CALL, TicketState.CALLED, None),
    (TicketAction.RECALL, TicketState.CALLED, TicketState.RECALLED),
    (TicketAction.FINISH, TicketState.ISSUED, None),
    (TicketAction.FINISH, TicketState.SERVING, TicketState.DONE),
    (TicketAction.RESUME, TicketState.HELD, TicketState.ISSUED),
    (TicketAction.CANCEL, TicketState.DONE, None),
    (TicketAction.NO_SHOW, TicketState.SERVING, None),
])
def test_next_state__action_in_state__allowed_or_refused(action, state, expected):
    assert next_state(action, state) is expected


@pytest.mark.parametrize(("ahead", "recent", "counters", "expected"), [
    (0, [100.0], 1, 0),
    (3, [], 1, 900),                  # no history: the service's default (300 s)
    (3, [60.0, 120.0, 6000.0], 1, 360),  # median, not mean: one long case does not count
    (4, [60.0, 120.0], 2, 180),       # even count: mean of the middle two, two counters
    (2, [100.0], 0, 200),             # no counter seen yet counts as one
])
def test_estimate_wait__history__median_times_ahead_over_counters(ahead, recent, counters,
                                                                   expected):
    assert estimate_wait_seconds(ahead, recent, counters, 300) == expected


def test_issue__per_service_per_day__numbers_restart_each_day(storage: Storage, clock):
    labels = [storage.queue.issue(code).label for code in ("A", "A", "B", "A")]
    clock.advance(days=1)
    labels.append(storage.queue.issue("A").label)

    assert labels == ["A-001", "A-002", "B-001", "A-003", "A-001"]


def test_issue__unknown_service__refused(storage: Storage):
    with pytest.raises(UnknownServiceError):
        storage.queue.issue("Z")


def test_call_next__priority_and_waiting__priority_first_then_longest_wait(storage: Storage):
    first = storage.queue.issue("A")
    second = storage.queue.issue("B")
    urgent = storage.queue.issue("A", priority=1)

    order = [storage.queue.call_next(["A", "B"], counter="1番窓口") for _ in range(3)]

    assert [t.id for t in order if t] == [urgent.id, first.id, second.id]
    assert storage.queue.call_next(["A", "B"], counter="1番窓口") is None


def test_call__specific_ticket__called_out_of_order(storage: Storage):
    first = storage.queue.issue("A")
    second = storage.queue.issue("A")

    called = storage.queue.call(second.id, counter="2番窓口", staff_id=None)

    assert called.state is TicketState.CALLED
    assert called.counter == "2番窓口"
    assert storage.queue.call_next(["A"], counter="2番窓口").id == first.id


def test_transfer__to_other_service__keeps_its_place_by_original_wait(storage: Storage, clock):
    early = storage.queue.issue("A")
    clock.advance(minutes=10)
    late_b = storage.queue.issue("B")
    called = storage.queue.call_next(["A"], counter="1")
    assert called.id == early.id

    moved = storage.queue.transfer(early.id, "B")

    assert moved.service == "B"
    assert moved.label == "A-001"                 # the citizen keeps the number on the slip
    assert moved.queued_at == early.queued_at
    assert storage.queue.call_next(["B"], counter="3").id == early.id
    assert storage.queue.call_next(["B"], counter="3").id == late_b.id


def test_hold_and_resume__held_ticket__returns_to_its_place(storage: Storage):
    first = storage.queue.issue("A")
    second = storage.queue.issue("A")
    storage.queue.act(first.id, TicketAction.HOLD)
    assert storage.queue.call_next(["A"], counter="1").id == second.id

    storage.queue.act(first.id, TicketAction.RESUME)

    assert storage.queue.call_next(["A"], counter="1").id == first.id


def test_history__every_transition__timestamped_with_staff(storage: Storage):
    member = storage.staff.add("sato", "佐藤", Role.CLERK, "scrypt$not-used-here")
    ticket = storage.queue.issue("A")
    storage.queue.call_next(["A"], counter="1", staff_id=member.id)
    storage.queue.act(ticket.id, TicketAction.RECALL, counter="1", staff_id=member.id)
    storage.queue.act(ticket.id, TicketAction.NO_SHOW, staff_id=member.id)

    history = storage.queue.history(ticket.id)

    assert [(h[0], h[1], h[2]) for h in history] == [
        ("issue", "pending", "issued"), ("call", "issued", "called"),
        ("recall", "called", "recalled"), ("no_show", "recalled", "no_show")]
    assert [h[3] for h in history] == [None, member.id, member.id, member.id]
    times = [h[4] for h in history]
    assert times == sorted(times)
    assert all(t.tzinfo is not None for t in times)


@pytest.mark.parametrize("action", [TicketAction.FINISH, TicketAction.RESUME, TicketAction.VOID])
def test_act__not_allowed_in_state__refused_and_unchanged(storage: Storage, action):
    ticket = storage.queue.issue("A")

    with pytest.raises(TicketStateError):
        storage.queue.act(ticket.id, action)

    assert storage.queue.get(ticket.id).state is TicketState.ISSUED


def _failing_printer(ticket, wait):
    raise DeviceError("The printer is out of paper.")


def test_take_ticket__slip_fails__voided_never_called_nor_counted(storage: Storage, clock):
    queue = QueueService(storage.queue)

    with pytest.raises(DeviceError):
        queue.take_ticket("A", print_slip=_failing_printer)
    printed: list[tuple[str, int]] = []
    issued = queue.take_ticket("A", print_slip=lambda t, w: printed.append((t.label, w)))

    assert printed == [("A-002", 0)]
    assert issued.ticket.state is TicketState.ISSUED
    assert [t.label for t in storage.queue.tickets(["A"], [TicketState.VOID])] == ["A-001"]
    assert queue.call_next(["A"], counter="1").label == "A-002"
    assert queue.call_next(["A"], counter="1") is None
    day = clock.now().date()
    assert figures(storage.engine, day, day).tickets_issued == {"A": 1}


def test_take_ticket__no_slip_chosen__issued_at_once(storage: Storage):
    issued = QueueService(storage.queue).take_ticket("B")

    assert issued.ticket.state is TicketState.ISSUED
    assert storage.queue.reserve("B").state is TicketState.PENDING
    assert storage.queue.confirm(issued.ticket.id + 1, SlipChoice.PRINTED).state is \
        TicketState.ISSUED


def test_estimated_wait__recent_service_times__used_for_people_ahead(storage: Storage, clock):
    for minutes in (2, 4, 6):   # three citizens served in 2, 4 and 6 minutes at counter 1
        ticket = storage.queue.issue("A")
        storage.queue.call_next(["A"], counter="1")
        clock.advance(minutes=minutes)
        storage.queue.act(ticket.id, TicketAction.FINISH)
    waiting = [storage.queue.issue("A") for _ in range(3)]

    assert storage.queue.estimated_wait_seconds("A", waiting[0].id) == 0
    assert storage.queue.estimated_wait_seconds("A", waiting[2].id) == 2 * 240
    assert storage.queue.estimated_wait_seconds("A") == 3 * 240
    assert storage.queue.estimated_wait_seconds("B") == 0


def test_board__waiting_and_calling__per_service(storage: Storage):
    queue = QueueService(storage.queue)
    for _ in range(3):
        queue.take_ticket("A")
    queue.call_next(["A"], counter="2番窓口")

    lines = {line.service: line for line in queue.board()}

    assert lines["A"].waiting == 2
    assert lines["A"].calling == (("A-001", "2番窓口"),)
    assert lines["A"].estimated_wait_seconds == 600
    assert lines["B"].waiting == 0


def test_counters__configured__call_their_services_in_order(storage: Storage):
    storage.queue.add_counter("1番窓口", ["B", "A"])
    storage.queue.add_counter("2番窓口", ["A"])
    storage.queue.add_counter("1番窓口", ["A", "B"])       # reconfigured

    assert storage.queue.counters() == {"1番窓口": ("A", "B"), "2番窓口": ("A",)}
    with pytest.raises(UnknownServiceError):
        storage.queue.add_counter("3番窓口", ["Z"])
