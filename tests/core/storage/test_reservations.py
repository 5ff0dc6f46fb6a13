"""Reservations (予約) on both engines: places per slot, check-in ahead of walk-ins, no-shows,
and the yearly report's figures against the store's own rows."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import UTC, date, datetime

import pytest

from devices.printer.report_render import render_usage_report
from kiosk.audit.reader import iter_records
from kiosk.audit.report import build_report
from kiosk.audit.report_csv import reservation_rows
from kiosk.audit.usage_log import UsageLog
from kiosk.domain.reservation import ReservationState, SlotPlan, parse_slot, slot_key
from kiosk.domain.ticket import TicketAction
from kiosk.errors import ConfigError, UserFacingError
from kiosk.services.queue import QueueService
from kiosk.services.reservations import ReservationDesk, plan_from_config, reservation_token
from kiosk.storage.reservation_store import ReservationStore

DAY = date(2026, 4, 1)         # a Wednesday
PLAN = SlotPlan(slot_minutes=30, open_minute=9 * 60, close_minute=12 * 60, days_ahead=3,
                grace_minutes=15, early_minutes=30, priority=1)


def _link(n: int) -> tuple[str, str]:
    token = f"{n:027d}"
    return token, hashlib.sha256(token.encode()).hexdigest()


@pytest.fixture
def desk(storage, clock, tmp_path):
    clock.advance(hours=7, minutes=30)            # 08:00 on DAY (the fake clock's zone: UTC)
    usage = UsageLog(tmp_path / "log", "tablet-01", clock, fsync=False)
    queue = QueueService(storage.queue, usage)
    made = ReservationDesk(ReservationStore(storage.engine, clock), queue, PLAN, clock, usage)
    made.set_capacity("A", 1)
    yield made, queue, usage, tmp_path / "log"
    usage.close()


def test_slot_key__round_trip__same_day_and_minute():
    assert slot_key(DAY, 9 * 60 + 30) == "2026-04-01T09:30"
    assert parse_slot("2026-04-01T09:30") == (DAY, 570)
    assert parse_slot("2026-04-01T25:30") is None
    assert parse_slot("2026-02-30T09:30") is None


def test_plan__weekend_and_started_slots__not_bookable():
    slots = PLAN.bookable(datetime(2026, 4, 3, 10, 5, tzinfo=UTC))     # Friday 10:05

    assert (date(2026, 4, 3), 10 * 60) not in slots                     # started
    assert (date(2026, 4, 3), 10 * 60 + 30) in slots
    assert all(day.weekday() < 5 for day, _ in slots)                   # no Saturday, Sunday


def test_plan_from_config__bad_hours__config_error():
    with pytest.raises(ConfigError):
        plan_from_config("9-16", 30, 7, 15, 1)
    assert plan_from_config("08:30-12:00", 20, 7, 15, 2).starts()[0] == 8 * 60 + 30


def test_book__slot_full__refused_until_a_cancellation(desk):
    made, _, _, _ = desk
    first, second, third = _link(1)[1], _link(2)[1], _link(3)[1]

    assert made.book(first, "A", "2026-04-01T09:30")
    assert not made.book(second, "A", "2026-04-01T09:30")               # one place per slot
    assert [s.free for s in made.open_slots() if s.slot == "2026-04-01T09:30"] == [0]
    assert made.cancel(first)
    assert not made.cancel(first)                                        # only once
    assert made.book(third, "A", "2026-04-01T09:30")


@pytest.mark.parametrize(("service", "slot"), [
    ("B", "2026-04-01T09:30"),          # B takes no reservations
    ("A", "2026-04-01T07:30"),          # before the first slot
    ("A", "2026-04-01T09:10"),          # not a slot's start
    ("A", "2026-04-04T09:30"),          # Saturday
    ("A", "2026-04-20T09:30"),          # beyond days_ahead
    ("A", "not a slot"),
])
def test_book__outside_the_plan__refused(desk, service, slot):
    made, _, _, _ = desk

    assert not made.book(_link(1)[1], service, slot)
    assert made.public_states() == {}


def test_check_in__reservation_qr__ticket_ahead_of_walk_ins(desk, clock):
    made, queue, _, _ = desk
    token, link = _link(7)
    assert made.book(link, "A", "2026-04-01T09:30")
    walk_in = queue.take_ticket("A").ticket
    clock.advance(hours=1, minutes=10)                                   # 09:10

    issued = made.check_in(f"http://wait.example/r/{token}?lang=ja")
    called = queue.call_next(["A"], counter="1")

    assert called is not None
    assert called.id == issued.ticket.id
    assert called.id != walk_in.id
    assert made.public_states()[link] == ("A", "2026-04-01T09:30", "checked_in", called.id)
    with pytest.raises(UserFacingError, match="cannot be used"):
        made.check_in(token)                                             # used once


def test_check_in__too_early_or_unknown__clear_message(desk):
    made, _, _, _ = desk
    token, link = _link(8)
    assert made.book(link, "A", "2026-04-01T11:30")

    with pytest.raises(UserFacingError) as early:
        made.check_in(token)
    with pytest.raises(UserFacingError, match="not a reservation"):
        made.check_in("TOME-KIOSK-TICKET:A-001")

    assert early.value.params == {"time": "11:30", "opens": "11:00"}
    assert reservation_token(f"  {token}\n") == token


def test_release_no_shows__after_the_grace_period__released(desk, clock):
    made, _, _, _ = desk
    late, kept = _link(9), _link(10)
    assert made.book(late[1], "A", "2026-04-01T09:00")
    assert made.book(kept[1], "A", "2026-04-01T10:00")
    clock.advance(hours=1, minutes=14)                                   # 09:14: in grace
    assert made.release_no_shows() == 0
    clock.advance(minutes=2)                                             # 09:16

    assert made.release_no_shows() == 1
    assert made.public_states()[late[1]][2] == ReservationState.NO_SHOW.value
    assert made.public_states()[kept[1]][2] == ReservationState.BOOKED.value
    with pytest.raises(UserFacingError):
        made.check_in(late[0])


def test_report__reservations__equal_to_the_store(desk, clock, storage, tmp_path):
    made, queue, usage, log_dir = desk
    made.set_capacity("A", 3)
    made.set_capacity("B", 3)
    links = [_link(n) for n in range(20, 27)]
    for index, (_, link) in enumerate(links):
        assert made.book(link, "AB"[index % 2], "2026-04-01T09:30" if index < 4
                         else "2026-04-01T10:00")
    assert made.cancel(links[1][1])
    clock.advance(hours=1, minutes=10)                                   # 09:10
    served = made.check_in(links[0][0]).ticket
    away = made.check_in(links[3][0]).ticket
    queue.call(served.id, counter="1")
    queue.act(served.id, TicketAction.SERVE)
    queue.act(served.id, TicketAction.FINISH)
    queue.call(away.id, counter="2")
    queue.act(away.id, TicketAction.NO_SHOW)
    clock.advance(hours=1)                                               # 10:10: 09:30 over
    made.release_no_shows()
    usage.close()

    report = build_report(iter_records(log_dir), DAY, DAY, {})
    store = ReservationStore(storage.engine, clock).outcomes(DAY, DAY)

    assert +report.reservations == +store
    assert store[("A", "served")] == 1
    assert store[("B", "checked_in")] == 1
    assert store[("A", "no_show")] == 1
    assert store[("B", "cancelled")] == 1
    assert reservation_rows(report) == [["A", 2, 0, 1, 1, 1], ["B", 1, 1, 1, 0, 0]]
    render_usage_report(report, tmp_path / "report.pdf")
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "report.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert "13. 予約" in text
    assert re.search(r"\bA\s+2\s+0\s+1\s+1\s+1\b", text)
    assert re.search(r"\bB\s+1\s+1\s+1\s+0\s+0\b", text)
