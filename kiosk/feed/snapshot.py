"""The public state of the queue: what the feed carries and the web host shows.

Only anonymous figures: ticket labels (``A-012``), token hashes, service codes and names,
counter names, counts, estimated waits and calls. :func:`parse_state` accepts exactly these
fields with bounded sizes, so a message that carries anything else is refused as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "HOURS",
    "PHASES",
    "RESERVATION_STATES",
    "FeedFormatError",
    "PublicCall",
    "PublicReservation",
    "PublicService",
    "PublicSlot",
    "PublicState",
    "PublicTicket",
    "parse_state",
]

HOURS = 24
# What a phone is told about its ticket (never the clerk's internal states).
PHASES = ("waiting", "called", "serving", "held", "finished")
_MAX_TICKETS = 5000
_MAX_SERVICES = 64
_MAX_CALLS = 12
_MAX_SLOTS = 4000
_MAX_RESERVATIONS = 5000
RESERVATION_STATES = ("booked", "cancelled", "checked_in", "no_show", "refused")
_SLOT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_LABEL = re.compile(r"[A-Za-z0-9]{1,4}-[0-9]{3,5}")
_CODE = re.compile(r"[A-Za-z0-9_]{1,16}")
_HASH = re.compile(r"[0-9a-f]{64}")
_SITE = re.compile(r"[a-z0-9_-]{1,32}")


class FeedFormatError(ValueError):
    """A feed message's body is not a well-formed public state."""


@dataclass(frozen=True, slots=True)
class PublicCall:
    """A call shown on the board: which number goes to which counter."""

    label: str
    counter: str
    service: str


@dataclass(frozen=True, slots=True)
class PublicService:
    """One service's line: people waiting, the wait of a ticket taken now, today by hour."""

    code: str
    name: str
    waiting: int
    wait_s: int
    hourly: tuple[int, ...] = ()     # tickets issued per hour of the day (24 figures)


@dataclass(frozen=True, slots=True)
class PublicTicket:
    """One ticket as its holder's phone sees it."""

    label: str
    service: str
    phase: str                       # one of PHASES
    ahead: int = 0
    wait_s: int = 0
    counter: str = ""                # the counter that called it
    away: bool = False               # the holder said "I have stepped out"


@dataclass(frozen=True, slots=True)
class PublicSlot:
    """A reservation slot of a service and its places left."""

    service: str
    slot: str                        # 2026-12-07T09:30 (local time)
    free: int


@dataclass(frozen=True, slots=True)
class PublicReservation:
    """One reservation as its link's page sees it (by the hash of the link's token)."""

    service: str
    slot: str
    state: str                       # one of RESERVATION_STATES
    ticket: str = ""                 # the checked-in ticket's token hash (its live status)


@dataclass(frozen=True)
class PublicState:
    """The whole public state of one site on one day."""

    site: str
    day: date
    services: tuple[PublicService, ...] = ()
    calls: tuple[PublicCall, ...] = ()            # most recent first
    tickets: Mapping[str, PublicTicket] = field(default_factory=dict)   # by token hash
    slots: tuple[PublicSlot, ...] = ()                                   # bookable ones
    reservations: Mapping[str, PublicReservation] = field(default_factory=dict)  # by hash

    def to_json(self) -> dict[str, Any]:
        """The state as JSON-ready data (the body of a feed message)."""
        data: dict[str, Any] = {
            "site": self.site, "day": self.day.isoformat(),
            "services": [_plain(s) for s in self.services],
            "calls": [_plain(c) for c in self.calls],
            "tickets": {h: _plain(t) for h, t in self.tickets.items()},
        }
        if self.slots or self.reservations:      # a site without reservations: as before
            data["slots"] = [_plain(s) for s in self.slots]
            data["reservations"] = {h: _plain(r) for h, r in self.reservations.items()}
        return data

    def service(self, code: str) -> PublicService | None:
        """The line of service ``code``, if the feed carries it."""
        return next((s for s in self.services if s.code == code), None)


def _plain(item: Any) -> dict[str, Any]:
    # dataclasses.asdict, without its deep copy: every field here is a str, int, bool or a
    # tuple of ints, and a call's state has thousands of tickets.
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def parse_state(data: Any) -> PublicState:
    """Check and build a :class:`PublicState` from a feed message's body.

    Raises:
        FeedFormatError: a field is missing, of the wrong type, too long, or unknown.
    """
    base = {"site", "day", "services", "calls", "tickets"}
    # Reservations are optional as a pair: a site that takes none sends the five fields.
    _keys(data, base | {"slots", "reservations"} if isinstance(data, dict)
          and "slots" in data else base)
    try:
        day = date.fromisoformat(_text(data["day"], re.compile(r"\d{4}-\d{2}-\d{2}")))
    except ValueError as exc:
        raise FeedFormatError("day") from exc
    services = _list(data["services"], _MAX_SERVICES)
    calls = _list(data["calls"], _MAX_CALLS)
    tickets = data["tickets"]
    if not isinstance(tickets, dict) or len(tickets) > _MAX_TICKETS:
        raise FeedFormatError("tickets")
    return PublicState(
        site=_text(data["site"], _SITE), day=day,
        services=tuple(_service(item) for item in services),
        calls=tuple(_call(item) for item in calls),
        tickets={_text(h, _HASH): _ticket(item) for h, item in tickets.items()},
        slots=tuple(_slot(item) for item in _list(data.get("slots", []), _MAX_SLOTS)),
        reservations=_reservations(data.get("reservations", {})),
    )


def _slot(item: Any) -> PublicSlot:
    _keys(item, {"service", "slot", "free"})
    return PublicSlot(_text(item["service"], _CODE), _text(item["slot"], _SLOT),
                      _count(item["free"]))


def _reservations(value: Any) -> dict[str, PublicReservation]:
    if not isinstance(value, dict) or len(value) > _MAX_RESERVATIONS:
        raise FeedFormatError("reservations")
    found = {}
    for h, item in value.items():
        _keys(item, {"service", "slot", "state", "ticket"})
        if item["state"] not in RESERVATION_STATES:
            raise FeedFormatError("state")
        ticket = item["ticket"]
        found[_text(h, _HASH)] = PublicReservation(
            _text(item["service"], _CODE), _text(item["slot"], _SLOT), item["state"],
            "" if ticket == "" else _text(ticket, _HASH))
    return found


def _service(item: Any) -> PublicService:
    _keys(item, {"code", "name", "waiting", "wait_s", "hourly"})
    hourly = _list(item["hourly"], HOURS)
    return PublicService(_text(item["code"], _CODE), _free(item["name"], 64),
                         _count(item["waiting"]), _count(item["wait_s"]),
                         tuple(_count(n) for n in hourly))


def _call(item: Any) -> PublicCall:
    _keys(item, {"label", "counter", "service"})
    return PublicCall(_text(item["label"], _LABEL), _free(item["counter"], 32),
                      _text(item["service"], _CODE))


def _ticket(item: Any) -> PublicTicket:
    _keys(item, {"label", "service", "phase", "ahead", "wait_s", "counter", "away"})
    if item["phase"] not in PHASES or not isinstance(item["away"], bool):
        raise FeedFormatError("phase")
    return PublicTicket(_text(item["label"], _LABEL), _text(item["service"], _CODE),
                        item["phase"], _count(item["ahead"]), _count(item["wait_s"]),
                        _free(item["counter"], 32), item["away"])


def _keys(item: Any, expected: set[str]) -> None:
    if not isinstance(item, dict) or set(item) != expected:
        raise FeedFormatError("fields")


def _list(value: Any, limit: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > limit:
        raise FeedFormatError("list")
    return value


def _text(value: Any, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise FeedFormatError("text")
    return value


def _free(value: Any, limit: int) -> str:
    # Service and counter names are the city's own words; bounded, no control characters.
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise FeedFormatError("name")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000_000:
        raise FeedFormatError("count")
    return value
