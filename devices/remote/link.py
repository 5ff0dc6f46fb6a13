"""A branch line between the two ends of a call: a UDP relay that delays, loses, cuts or
throttles.

The tests and the benchmark put it between two ends on one machine (127.0.0.1 only), the way
``tc netem`` would on a network namespace, without needing one. Each end's session
description is rewritten on its way through the signalling (:class:`ProxiedChannel`): the
other end is told the relay's address instead of the real one, so every packet, ICE checks
included, crosses the relay.

The relay has a face for each end. The offering end's packets arrive at the answering end's
face and leave from the offering end's face, and back, so each end sees the packets come
from the address it was told: ICE works through it as through a plain line.
"""

from __future__ import annotations

import asyncio
import functools
import random
import re
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from kiosk.ports import SignallingChannel

__all__ = ["LinkRelay", "ProxiedChannel"]

Address = tuple[str, int]
_CANDIDATE = re.compile(r"^(a=candidate:\S+ \d+ udp \d+ )(\S+) (\d+)( typ host.*)$", re.MULTILINE)


class _Face(asyncio.DatagramProtocol):
    def __init__(self, on_packet: Callable[[bytes, Address], None]) -> None:
        self.on_packet = on_packet
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: Address) -> None:
        self.on_packet(data, addr)


class LinkRelay:
    """The relay on 127.0.0.1, on a thread of its own.

    Args:
        delay_ms: added to every packet, each way.
        loss: the share of packets dropped (0.01 = 1 %), each way.
        seed: for the losses, so a run can be repeated.
        rate_kbps: the line's rate, each way (0: unlimited), as ``tc ... tbf`` would give:
            packets wait their turn in a queue of at most ``queue_ms`` and are dropped when it
            is full.
        queue_ms: how long a packet may wait for the throttled line.
    """

    def __init__(self, *, delay_ms: float = 0.0, loss: float = 0.0, seed: int = 22,
                 rate_kbps: float = 0.0, queue_ms: float = 200.0) -> None:
        self.delay_s = delay_ms / 1000
        self.loss = loss
        self.rate_bps = rate_kbps * 1000
        self.queue_s = queue_ms / 1000
        self.forwarded = 0
        self.dropped = 0
        self.overflowed = 0                      # of ``dropped``: the throttled line's queue was full
        self._free_at = {"offer": 0.0, "answer": 0.0}   # when each way's line is free again
        self.bytes = 0
        self._random = random.Random(seed)   # noqa: S311 - losses to simulate, not secrets
        self._cut_until = 0.0
        self._real: dict[str, Address] = {}      # "offer"/"answer" -> the end's own address
        self._faces: dict[str, _Face] = {}
        self.ports: dict[str, int] = {}          # "offer"/"answer" -> the face standing in for it
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="link-relay", daemon=True)

    def start(self) -> None:
        """Open both faces."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=5)

    async def _open(self) -> None:
        for side in ("offer", "answer"):
            face = _Face(functools.partial(self._arrived, side))
            await self._loop.create_datagram_endpoint(lambda face=face: face,  # type: ignore[misc]
                                                      local_addr=("127.0.0.1", 0))
            assert face.transport is not None
            self._faces[side] = face
            self.ports[side] = face.transport.get_extra_info("sockname")[1]

    def learn(self, side: str, address: Address) -> int:
        """Remember ``side``'s real address; the port of the face that stands in for it."""
        self._real[side] = address
        return self.ports[side]

    def cut(self, seconds: float) -> None:
        """Drop every packet, both ways, for ``seconds`` from now."""
        self._cut_until = time.monotonic() + seconds

    def _arrived(self, face_side: str, data: bytes, _sender: Address) -> None:
        # A packet at the face standing in for ``face_side`` comes from the other end and is
        # for ``face_side``'s real address; it leaves from the other end's face.
        source = "answer" if face_side == "offer" else "offer"
        target = self._real.get(face_side)
        if target is None:
            return
        if time.monotonic() < self._cut_until or (self.loss and self._random.random() < self.loss):
            self.dropped += 1
            return
        wait = self._throttle(face_side, len(data)) if self.rate_bps else 0.0
        if wait is None:
            self.dropped += 1
            self.overflowed += 1
            return
        self.forwarded += 1
        self.bytes += len(data)
        out = self._faces[source].transport
        assert out is not None
        if self.delay_s or wait:
            self._loop.call_later(self.delay_s + wait, out.sendto, data, target)
        else:
            out.sendto(data, target)

    def _throttle(self, way: str, size: int) -> float | None:
        """How long a packet of ``size`` bytes waits for the line going ``way`` (its turn
        plus its own time on the line); ``None``: the queue is full, the packet is dropped."""
        now = time.monotonic()
        start = max(now, self._free_at[way])
        if start - now > self.queue_s:
            return None
        self._free_at[way] = start + (size + 28) * 8 / self.rate_bps     # with UDP/IP headers
        return self._free_at[way] - now

    def close(self) -> None:
        """Close the faces and stop the thread."""
        async def shut() -> None:
            for face in self._faces.values():
                if face.transport is not None:
                    face.transport.close()
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()


class ProxiedChannel:
    """One end's signalling channel with its session descriptions pointed at the relay."""

    def __init__(self, inner: SignallingChannel, relay: LinkRelay, side: str) -> None:
        self._inner = inner
        self._relay = relay
        self._side = side

    def publish(self, message: Any) -> None:
        """Publish ``message``, its host candidates replaced by the relay's face for this end."""
        sdp = message.get("sdp", "")
        first = _CANDIDATE.search(sdp) if sdp else None
        if first is not None:
            # An offer has a transport per media until the answer bundles them on the first
            # one: the relay stands in for that one, and every candidate names its face.
            port = self._relay.learn(self._side, (first[2], int(first[3])))
            message = {**message, "sdp": _CANDIDATE.sub(rf"\g<1>127.0.0.1 {port}\g<4>", sdp)}
        self._inner.publish(message)

    def subscribe(self, handler: Callable[[dict[str, Any]], None]) -> None:
        """Subscribe to the channel as it is."""
        self._inner.subscribe(handler)
