"""The offer, the answer and the goodbye of a remote call, over a signalling channel.

A :class:`kiosk.ports.SignallingChannel` (the sealed PostgreSQL conversation relay between
devices, the in-process relay for the loopback) carries JSON messages to every subscriber,
the sender included, on whatever thread it likes. :class:`CallSignals` keeps the messages of
one call from the other end and hands them to the call's asyncio loop.

NOTIFY is not stored: a message sent before the other end listens is lost. So the offering
end repeats its offer until an answer comes, and the answering end answers every repeat
(the same answer): whichever end starts first, the call is set up.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Any

from kiosk.ports import SignallingChannel

__all__ = ["KINDS", "CallSignals"]

KINDS = frozenset({"offer", "answer", "bye", "video"})
_MAX_SDP_CHARS = 64_000                  # an SDP with two media and a few host candidates: ~3 KB


class CallSignals:
    """One end's view of the call ``call_id`` on ``channel``.

    Args:
        channel: the shared channel (already started by its owner).
        call_id: names the call on the channel; both ends use the same one.
        loop: the loop that reads :meth:`next`.
    """

    def __init__(self, channel: SignallingChannel, call_id: str,
                 loop: asyncio.AbstractEventLoop) -> None:
        self._channel = channel
        self._call = call_id
        self._origin = secrets.token_hex(8)
        self._loop = loop
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._closed = False
        channel.subscribe(self._on_message)

    def send(self, kind: str, sdp: str = "", sdp_type: str = "", source: str = "") -> None:
        """Publish ``kind`` (``offer``, ``answer``, ``bye``) with its session description, or
        ``video`` asking the other end to send ``source``."""
        self._channel.publish({"type": "remote", "call": self._call, "from": self._origin,
                               "kind": kind, "sdp": sdp, "sdp_type": sdp_type, "source": source})

    async def next(self) -> dict[str, Any]:
        """The next message of this call from the other end."""
        return await self._inbox.get()

    def close(self) -> None:
        """Stop delivering (the channel may keep the handler; it then does nothing)."""
        self._closed = True

    def _on_message(self, message: dict[str, Any]) -> None:
        # Any thread: check the shape here, hand over to the loop's thread.
        if (self._closed or message.get("type") != "remote" or message.get("call") != self._call
                or message.get("from") == self._origin or message.get("kind") not in KINDS
                or not isinstance(message.get("sdp", ""), str)
                or len(message.get("sdp", "")) > _MAX_SDP_CHARS):
            return
        with contextlib.suppress(RuntimeError):       # the loop is closed: the call is over
            self._loop.call_soon_threadsafe(self._inbox.put_nowait, message)
