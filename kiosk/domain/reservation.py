"""Reservations (予約): time slots per service, their states, and the slot arithmetic.

Pure data and functions. A slot is a local day and a start minute (``2026-12-07T09:30``);
the supervisor sets how many reservations each service takes per slot. A reservation knows
no person: the visitor holds an unguessable link (its token), and the inner side keeps only
the token's hash.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "Reservation",
    "ReservationState",
    "SlotPlan",
    "parse_slot",
    "slot_key",
]

_SLOT = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})")


class ReservationState(enum.StrEnum):
    """Where a reservation is in its life."""

    BOOKED = "booked"            # holds a place in its slot
    CANCELLED = "cancelled"      # cancelled by the visitor's link
    CHECKED_IN = "checked_in"    # the tablet read its QR: a ticket was issued
    NO_SHOW = "no_show"          # not checked in by the end of the grace period
    REFUSED = "refused"          # never stored: the slot was full or closed (told to the phone)


@dataclass(frozen=True, slots=True)
class Reservation:
    """One reservation as the inner side stores it (no person, only the token's hash)."""

    id: int
    token_hash: str
    service: str
    day: date
    start_minute: int
    state: ReservationState
    ticket_id: int | None = None

    @property
    def slot(self) -> str:
        """The slot's key (``2026-12-07T09:30``)."""
        return slot_key(self.day, self.start_minute)


@dataclass(frozen=True)
class SlotPlan:
    """When reservations can be made (``[web] reserve_*``).

    Args:
        slot_minutes: the length of a slot.
        open_minute: the first slot's start, minutes after midnight (local time).
        close_minute: no slot starts at or after this minute.
        days_ahead: how many days ahead (today included) a slot can be booked.
        grace_minutes: a reservation not checked in this long after its start is a no-show.
        early_minutes: how long before its start a reservation can be checked in.
        weekdays: the days with slots (0 = Monday).
        priority: the checked-in ticket's priority (walk-ins have 0: higher goes first).
    """

    slot_minutes: int = 30
    open_minute: int = 9 * 60
    close_minute: int = 16 * 60
    days_ahead: int = 7
    grace_minutes: int = 15
    early_minutes: int = 30
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    priority: int = 1

    def starts(self) -> range:
        """The start minutes of a day's slots."""
        return range(self.open_minute, self.close_minute, max(self.slot_minutes, 1))

    def bookable(self, now: datetime) -> list[tuple[date, int]]:
        """Every slot that can still be booked: open days from today on, not yet started."""
        today, minute = now.date(), now.hour * 60 + now.minute
        found = []
        for offset in range(self.days_ahead):
            day = today + timedelta(days=offset)
            if day.weekday() not in self.weekdays:
                continue
            found += [(day, start) for start in self.starts() if offset or start > minute]
        return found

    def is_slot(self, day: date, start: int) -> bool:
        """Whether ``day`` at ``start`` is one of the plan's slots (any date)."""
        return day.weekday() in self.weekdays and start in self.starts()

    def check_in_window(self, day: date, start: int) -> tuple[datetime, datetime]:
        """The naive local times between which the reservation can be checked in."""
        begins = datetime(day.year, day.month, day.day) + timedelta(minutes=start)
        return (begins - timedelta(minutes=self.early_minutes),
                begins + timedelta(minutes=self.grace_minutes))


def slot_key(day: date, start_minute: int) -> str:
    """The slot's key as pages and the feed carry it (``2026-12-07T09:30``)."""
    return f"{day.isoformat()}T{start_minute // 60:02d}:{start_minute % 60:02d}"


def parse_slot(text: str) -> tuple[date, int] | None:
    """The day and start minute of a slot key, or ``None`` if it is not one."""
    found = _SLOT.fullmatch(text)
    if found is None:
        return None
    try:
        day = date.fromisoformat(found.group(1))
    except ValueError:
        return None
    hour, minute = int(found.group(2)), int(found.group(3))
    if hour > 23 or minute > 59:
        return None
    return day, hour * 60 + minute
