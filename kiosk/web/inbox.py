"""What phones send, waiting on the web host until the inner side pulls it.

Only small, validated messages ("I have stepped out" / "I am back"), about a ticket the
current public state knows. Nothing here reaches the inner side by itself: the inner side
pulls with the feed key (:mod:`kiosk.services.feed_publisher`) and checks each one again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass

__all__ = ["Inbox", "InboxMessage"]

_MAX_WAITING = 10_000


@dataclass(frozen=True, slots=True)
class InboxMessage:
    """One message from a phone, by the token's hash."""

    id: int
    kind: str
    token_hash: str
    away: bool


class Inbox:
    """Messages by id; a newer message about the same ticket replaces the older one."""

    def __init__(self) -> None:
        self._by_ticket: OrderedDict[str, InboxMessage] = OrderedDict()
        self._next = 1
        self._lock = threading.Lock()

    def put_away(self, token_hash: str, away: bool) -> InboxMessage:
        """Queue "stepped out" (``away``) or "back" for the ticket with ``token_hash``."""
        with self._lock:
            message = InboxMessage(self._next, "away", token_hash, away)
            self._next += 1
            self._by_ticket.pop(token_hash, None)
            self._by_ticket[token_hash] = message
            while len(self._by_ticket) > _MAX_WAITING:
                self._by_ticket.popitem(last=False)
            return message

    def after(self, number: int) -> list[dict[str, object]]:
        """Messages newer than ``number`` (the inner side's last one); older ones are dropped."""
        with self._lock:
            for token_hash in [h for h, m in self._by_ticket.items() if m.id <= number]:
                del self._by_ticket[token_hash]
            return [asdict(m) for m in self._by_ticket.values()]
