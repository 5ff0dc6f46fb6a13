"""What phones send, waiting on the web host until the inner side pulls it.

Only small, validated messages about a ticket the current public state knows: "I have stepped
out" / "I am back", "tell me when my turn is near" with an e-mail address, and a reservation
booked or cancelled (by its link's hash, a service and a slot the public state offers). Nothing here
reaches the inner side by itself: the inner side pulls with the feed key
(:mod:`kiosk.services.feed_publisher`) and checks each one again. An address is personal data:
it is never logged and is dropped as soon as the inner side has pulled it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

__all__ = ["EMAIL", "Inbox", "InboxMessage"]

_MAX_WAITING = 10_000
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}")


@dataclass(frozen=True, slots=True)
class InboxMessage:
    """One message from a phone, by the token's hash."""

    id: int
    kind: str                        # "away", "notify", "reserve" or "cancel"
    token_hash: str
    away: bool = False
    channel: str = ""
    address: str = field(default="", repr=False)
    language: str = ""
    service: str = ""                # "reserve": the service and the slot (2026-12-07T09:30)
    slot: str = ""


class Inbox:
    """Messages by id; a newer message of a kind about a ticket replaces the older one."""

    def __init__(self) -> None:
        self._waiting: OrderedDict[tuple[str, str], InboxMessage] = OrderedDict()
        self._next = 1
        self._lock = threading.Lock()

    def put_away(self, token_hash: str, away: bool) -> InboxMessage:
        """Queue "stepped out" (``away``) or "back" for the ticket with ``token_hash``."""
        return self._put("away", token_hash, away=away)

    def put_notify(self, token_hash: str, address: str, language: str) -> InboxMessage | None:
        """Queue an e-mail opt-in; ``None`` when the address does not look like one."""
        if EMAIL.fullmatch(address) is None:
            return None
        return self._put("notify", token_hash, channel="email", address=address,
                         language=language)

    def put_line(self, token_hash: str, user_id: str, language: str) -> InboxMessage:
        """Queue a LINE opt-in (the user id from LINE's signed webhook)."""
        return self._put("notify", token_hash, channel="line", address=user_id,
                         language=language)

    def put_reservation(self, link_hash: str, service: str, slot: str) -> InboxMessage:
        """Queue "book ``slot`` of ``service``" for the reservation link with ``link_hash``."""
        return self._put("reserve", link_hash, service=service, slot=slot)

    def put_cancel(self, link_hash: str) -> InboxMessage:
        """Queue "cancel the reservation" of the link with ``link_hash``."""
        return self._put("cancel", link_hash)

    def _put(self, kind: str, token_hash: str, **values: object) -> InboxMessage:
        with self._lock:
            message = InboxMessage(self._next, kind, token_hash, **values)  # type: ignore[arg-type]
            self._next += 1
            self._waiting.pop((token_hash, kind), None)
            self._waiting[(token_hash, kind)] = message
            while len(self._waiting) > _MAX_WAITING:
                self._waiting.popitem(last=False)
            return message

    def after(self, number: int) -> list[dict[str, object]]:
        """Messages newer than ``number`` (the inner side's last one); older ones are dropped."""
        with self._lock:
            for key in [k for k, m in self._waiting.items() if m.id <= number]:
                del self._waiting[key]
            return [asdict(m) for m in self._waiting.values()]
