"""Ticket tokens: the unguessable part of the ticket page's URL.

A token is an HMAC of the ticket's day and database id under a key only the inner side holds,
cut to 160 bits. Nobody can derive it from the ticket number, and no table stores it: every
tablet and the publisher compute the same token. It is valid on its day only (the feed carries
today's tickets only), and the feed carries its SHA-256 hash, never the token itself, so the
web host cannot mint a link for a ticket either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["TOKEN_BITS", "TicketLinks", "is_token", "token_hash"]

TOKEN_BITS = 160
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{27}")
LEGACY_PREFIX = "TOME-KIOSK-TICKET:"


def token_hash(token: str) -> str:
    """The hash under which the feed and the web host know a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_token(text: str) -> bool:
    """Whether ``text`` has the shape of a token (checked before hashing what a phone sent)."""
    return _TOKEN_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class TicketLinks:
    """Derives tokens and ticket-page URLs for tickets.

    Args:
        key: the ``[web] token_key`` (32 bytes).
        base_url: the public base URL; empty when the city runs no web page.
    """

    key: bytes
    base_url: str = ""

    def __repr__(self) -> str:
        return f"TicketLinks(base_url={self.base_url!r})"

    def token(self, ticket_id: int, day: date) -> str:
        """The ticket's token (27 URL-safe characters, 160 bits)."""
        digest = hmac.new(self.key, f"ticket|{day.isoformat()}|{ticket_id}".encode(),
                          hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:TOKEN_BITS // 8]).decode("ascii").rstrip("=")

    def url(self, ticket_id: int, day: date, language: str = "") -> str:
        """The ticket page's URL; ``""`` without a base URL."""
        if not self.base_url:
            return ""
        query = f"?lang={language}" if language else ""
        return f"{self.base_url.rstrip('/')}/t/{self.token(ticket_id, day)}{query}"

    def qr_payload(self, ticket_id: int, day: date, label: str, language: str = "") -> str:
        """What the ticket's QR code holds: the page's URL, or the bare number without one."""
        return self.url(ticket_id, day, language) or f"{LEGACY_PREFIX}{label}"
