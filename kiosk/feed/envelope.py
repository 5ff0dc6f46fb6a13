"""Signed, sequenced feed messages and the receiver's replay guard.

A message is JSON ``{"v": 1, "site", "seq", "sent_at", "kind", "body"}`` sent with the header
``X-Kiosk-Feed-Signature: v1=<hex HMAC-SHA256 of the exact bytes>``. The receiver accepts it
only when the signature is right, ``seq`` is above every sequence it accepted before, and
``sent_at`` is within :data:`MAX_SKEW_S` of its own clock: a forged message fails the first
check, a replayed or late one the second, and one replayed after the receiver restarted (and
forgot the last sequence) the third.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_SKEW_S",
    "SIGNATURE_HEADER",
    "Refusal",
    "ReplayGuard",
    "Sequencer",
    "open_message",
    "seal_message",
    "sign",
    "verify",
]

SIGNATURE_HEADER = "X-Kiosk-Feed-Signature"
MAX_SKEW_S = 60.0
_VERSION = 1
_MAX_BYTES = 4_000_000


class Refusal(enum.StrEnum):
    """Why a feed message was refused (logged; never the message's content)."""

    TOO_LARGE = "too_large"
    BAD_SIGNATURE = "bad_signature"
    MALFORMED = "malformed"
    WRONG_SITE = "wrong_site"
    REPLAYED = "replayed_or_out_of_order"
    STALE = "stale_or_from_the_future"


def sign(key: bytes, data: bytes) -> str:
    """The signature header's value for ``data``."""
    return "v1=" + hmac.new(key, data, hashlib.sha256).hexdigest()


def verify(key: bytes, data: bytes, signature: str) -> bool:
    """Whether ``signature`` is ``key``'s signature of ``data`` (constant-time compare)."""
    return hmac.compare_digest(sign(key, data), signature or "")


class Sequencer:
    """Strictly increasing sequence numbers that also increase across restarts (ms clock)."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        """The next number: the clock in milliseconds, or one more than the last."""
        with self._lock:
            self._last = max(self._last + 1, time.time_ns() // 1_000_000)
            return self._last


def seal_message(key: bytes, site: str, seq: int, kind: str, body: Any,
                 sent_at: float | None = None) -> tuple[bytes, str]:
    """The bytes of a message and its signature."""
    data = json.dumps({"v": _VERSION, "site": site, "seq": seq,
                       "sent_at": time.time() if sent_at is None else sent_at,
                       "kind": kind, "body": body},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return data, sign(key, data)


@dataclass(frozen=True)
class Opened:
    """A verified message: its kind and body."""

    seq: int
    kind: str
    body: Any


class ReplayGuard:
    """The receiver's memory of the last accepted sequence number (per direction)."""

    def __init__(self) -> None:
        self.last_seq = 0
        self._lock = threading.Lock()

    def admit(self, seq: int) -> bool:
        """Accept ``seq`` if it is above the last accepted one (then remember it)."""
        with self._lock:
            if seq <= self.last_seq:
                return False
            self.last_seq = seq
            return True


def open_message(key: bytes, data: bytes, signature: str, *, site: str, guard: ReplayGuard,
                 now: float | None = None) -> Opened | Refusal:
    """Verify and unpack a message, or say why it is refused."""
    if len(data) > _MAX_BYTES:
        return Refusal.TOO_LARGE
    if not verify(key, data, signature):
        return Refusal.BAD_SIGNATURE
    try:
        message = json.loads(data)
        seq, sent_at, kind = message["seq"], message["sent_at"], message["kind"]
        ok = (message["v"] == _VERSION and isinstance(seq, int) and isinstance(kind, str)
              and isinstance(sent_at, int | float))
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        return Refusal.MALFORMED
    if message["site"] != site:
        return Refusal.WRONG_SITE
    if abs((time.time() if now is None else now) - sent_at) > MAX_SKEW_S:
        return Refusal.STALE
    if not guard.admit(seq):
        return Refusal.REPLAYED
    return Opened(seq, kind, message.get("body"))
