"""Reservations (予約): booking from the web page, check-in on the tablet, no-shows.

The web host only queues what a phone asked ("book this slot", "cancel"); the feed publisher
pulls those messages and hands them here, where they are checked again against the plan and
the places left (:meth:`ReservationDesk.book`). At the counter, the tablet reads the
reservation's QR code and :meth:`ReservationDesk.check_in` issues a ticket with the plan's
priority, so the visitor goes ahead of walk-ins. A reservation not checked in by the end of
its grace period is released as a no-show (:meth:`ReservationDesk.release_no_shows`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.audit.events import ReservationChanged
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.domain.reservation import ReservationState, SlotPlan, parse_slot, slot_key
from kiosk.errors import ConfigError, UserFacingError
from kiosk.i18n import N_, S_
from kiosk.ports import Clock
from kiosk.services.queue import IssuedTicket, QueueService
from kiosk.storage.reservation_store import ReservationStore

__all__ = ["OpenSlot", "ReservationDesk", "plan_from_config", "reservation_token"]

_R = ReservationState
# The reservation page's URL (…/r/<token>) or the bare token, as a scanner types it.
_TOKEN_IN = re.compile(r"(?:/r/)?([A-Za-z0-9_-]{27})(?:[?#].*)?")


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """A slot of a service and its places left."""

    service: str
    slot: str
    free: int


def reservation_token(scanned: str) -> str | None:
    """The token in what the reservation's QR code holds, or ``None``."""
    text = scanned.strip()
    found = _TOKEN_IN.search(text)
    return None if found is None else found.group(1)


class ReservationDesk:
    """The inner side's use cases of reservations.

    Args:
        store: the reservations in the shared database.
        queue: issues the ticket at check-in.
        plan: the slots and the rules (``[web] reserve_*``).
        clock: local time.
        usage: the usage log (each change is a ``ReservationChanged``).
    """

    def __init__(self, store: ReservationStore, queue: QueueService, plan: SlotPlan,
                 clock: Clock, usage: UsageRecorder = NULL_USAGE) -> None:
        self._store, self._queue, self.plan = store, queue, plan
        self._clock, self._usage = clock, usage

    # ------------------------------------------------------------ the supervisor's settings
    def capacities(self) -> dict[str, int]:
        """Service code -> places per slot (services that take reservations)."""
        return self._store.capacities()

    def settings(self) -> list[tuple[str, str, int]]:
        """Every service as (code, name, places per slot), for the supervisor's panel."""
        capacity = self._store.capacities()
        return [(code, name, capacity.get(code, 0))
                for code, name in sorted(self._queue.service_names().items())]

    def set_capacity(self, service: str, capacity: int) -> bool:
        """Set the places per slot of ``service`` (0 takes no more reservations)."""
        if not 0 <= capacity <= 1000:
            return False
        return self._store.set_capacity(service, capacity)

    # ------------------------------------------------------------ what the web page shows
    def open_slots(self) -> list[OpenSlot]:
        """Every bookable slot of every service that takes reservations, with places left."""
        now = self._local_now()
        capacity = self._store.capacities()
        slots = self.plan.bookable(now)
        if not capacity or not slots:
            return []
        taken = self._store.taken(slots[0][0], slots[-1][0])
        return [OpenSlot(code, slot_key(day, start), max(places - taken[(code, day, start)], 0))
                for code, places in sorted(capacity.items()) for day, start in slots]

    def public_states(self) -> dict[str, tuple[str, str, str, int | None]]:
        """Token hash -> (service, slot, state, ticket id) of today's and later reservations."""
        today = self._local_now().date()
        last = today + timedelta(days=max(self.plan.days_ahead, 1))
        return {r.token_hash: (r.service, r.slot, r.state.value, r.ticket_id)
                for r in self._store.between(today, last)}

    # ------------------------------------------------------------ phones, through the feed
    def book(self, token_hash: str, service: str, slot: str) -> bool:
        """Book ``slot`` of ``service`` for the link with ``token_hash``, checked again here."""
        parsed = parse_slot(slot)
        if parsed is None or re.fullmatch(r"[0-9a-f]{64}", token_hash) is None:
            return False
        day, start = parsed
        if (day, start) not in set(self.plan.bookable(self._local_now())):
            return False
        if not self._store.book(token_hash, service, day, start):
            return False
        found = self._store.find(token_hash)
        if found is not None:
            self._usage.record(ReservationChanged(found.id, service, _R.BOOKED.value))
        return True

    def cancel(self, token_hash: str) -> bool:
        """Cancel the booked reservation of the link; ``False`` if there is none to cancel."""
        found = self._store.find(token_hash)
        if found is None or not self._store.change(found.id, _R.BOOKED, _R.CANCELLED):
            return False
        self._usage.record(ReservationChanged(found.id, found.service, _R.CANCELLED.value))
        return True

    # ------------------------------------------------------------ the tablet
    def check_in(self, scanned: str) -> IssuedTicket:
        """Issue the ticket of the reservation whose QR code was read, ahead of walk-ins.

        Raises:
            UserFacingError: not a reservation, cancelled, used, or outside its time.
        """
        token = reservation_token(scanned)
        found = None if token is None else self._store.find(
            hashlib.sha256(token.encode("ascii")).hexdigest())
        if found is None:
            raise UserFacingError(N_("This is not a reservation code. Please ask the staff."))
        if found.state is not _R.BOOKED:
            raise UserFacingError(N_("This reservation cannot be used (cancelled, used or "
                                     "expired). Please take a ticket."))
        opens, closes = self.plan.check_in_window(found.day, found.start_minute)
        now = self._local_now().replace(tzinfo=None)
        if now < opens:
            raise UserFacingError(N_("Your reservation starts at {time}. Please come back "
                                     "from {opens}."), time=found.slot[11:],
                                  opens=opens.strftime("%H:%M"))
        if now > closes:
            raise UserFacingError(N_("This reservation cannot be used (cancelled, used or "
                                     "expired). Please take a ticket."))
        # Claimed first: read at two tablets at once, only one issues a ticket.
        if not self._store.change(found.id, _R.BOOKED, _R.CHECKED_IN):
            raise UserFacingError(N_("This reservation cannot be used (cancelled, used or "
                                     "expired). Please take a ticket."))
        try:
            issued = self._queue.take_ticket(found.service, priority=self.plan.priority)
        except BaseException:
            self._store.change(found.id, _R.CHECKED_IN, _R.BOOKED)
            raise
        self._store.change(found.id, _R.CHECKED_IN, _R.CHECKED_IN, issued.ticket.id)
        self._usage.record(ReservationChanged(found.id, found.service, _R.CHECKED_IN.value,
                                              issued.ticket.id))
        return issued

    # ------------------------------------------------------------ housekeeping
    def release_no_shows(self) -> int:
        """Release the reservations whose grace period ended; how many."""
        now = self._local_now()
        latest = now - timedelta(minutes=self.plan.grace_minutes)
        released = 0
        for found in self._store.overdue(latest.date(), latest.hour * 60 + latest.minute - 1):
            if self._store.change(found.id, _R.BOOKED, _R.NO_SHOW):
                self._usage.record(ReservationChanged(found.id, found.service,
                                                      _R.NO_SHOW.value))
                released += 1
        return released

    def _local_now(self) -> datetime:
        return self._clock.now()


def plan_from_config(hours: str, slot_minutes: int, days_ahead: int, grace_minutes: int,
                     priority: int, days: str = "12345") -> SlotPlan:
    """The slot plan from ``[web] reserve_*``.

    Raises:
        ConfigError: ``reserve_hours`` is not ``HH:MM-HH:MM`` or a figure is out of range.
    """
    found = re.fullmatch(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", hours.strip())
    opens = closes = 0
    if found is not None:
        opens = int(found.group(1)) * 60 + int(found.group(2))
        closes = int(found.group(3)) * 60 + int(found.group(4))
    if (found is None or not 0 <= opens < closes <= 24 * 60 or not 5 <= slot_minutes <= 240
            or not 1 <= days_ahead <= 90 or not 0 <= grace_minutes <= 240
            or re.fullmatch(r"[1-7]{1,7}", days) is None):
        raise ConfigError(S_("[web] reserve_hours must look like 09:00-16:00, reserve_days "
                             "like 12345 (1 = Monday), reserve_slot_minutes be 5 to 240, "
                             "reserve_days_ahead 1 to 90 and reserve_grace_minutes 0 to 240."))
    return SlotPlan(slot_minutes=slot_minutes, open_minute=opens, close_minute=closes,
                    days_ahead=days_ahead, grace_minutes=grace_minutes, priority=priority,
                    weekdays=tuple(sorted({int(d) - 1 for d in days})))
