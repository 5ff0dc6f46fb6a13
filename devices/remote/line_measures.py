"""What the receiving end of a call measures of the line from the video packets it gets: the
rate that arrives, the time packets wait in the line's queue, the share lost, and the line's
own rate read from how one frame's packets spread out.

Pure arithmetic over numbers (arrival times in milliseconds, the sender's ``abs-send-time``,
sizes, sequence numbers): :mod:`devices.remote.rate_estimate` decides with them, and the
tests feed them synthetic sequences.
"""

from __future__ import annotations

import statistics
from collections import deque

__all__ = ["ArrivalRate", "Losses", "SendClock", "SlidingMin", "Trains"]

TRAIN_GAP_MS = 2.0           # packets sent this close together are one train (one frame's)
TRAIN_MIN_BYTES = 400        # a train spreads over the line only with this much behind its head
# Spread by the line: by more than the sender spread it, and by this much more, since a busy
# receiver reads a packet up to ~5 ms late (Python's thread switch interval).
TRAIN_SPREAD_MS = 5.0
TRAIN_WINDOW_MS = 2000       # the line's rate: the median of the trains of the last 2 s
PACKET_OVERHEAD = 50         # bytes on the line beside the payload (RTP, SRTP, UDP, IP)
LOSS_MIN_PACKETS = 20        # a loss share is judged over at least this many packets

_SEND_TICKS = 1 << 18        # abs-send-time: 6.18 fixed point seconds
_SEND_WRAP = 1 << 24         # it wraps every 64 s


class SendClock:
    """The sender's ``abs-send-time`` (24 bits, wrapping every 64 s) as milliseconds that
    keep counting."""

    def __init__(self) -> None:
        self._ticks: int | None = None
        self._raw = 0

    def ms(self, abs_send_time: int) -> float:
        """The send time of a packet stamped ``abs_send_time``, in milliseconds."""
        if self._ticks is None:
            self._ticks = abs_send_time
        else:
            step = (abs_send_time - self._raw) % _SEND_WRAP
            if step >= _SEND_WRAP // 2:
                step -= _SEND_WRAP                # older than the last (a resend, reordered)
            self._ticks += step
        self._raw = abs_send_time
        return self._ticks * 1000 / _SEND_TICKS


class SlidingMin:
    """The least value seen in the last ``window_ms`` (a monotonic deque)."""

    def __init__(self, window_ms: float) -> None:
        self._window = window_ms
        self._items: deque[tuple[float, float]] = deque()

    def add(self, at_ms: float, value: float) -> None:
        """``value`` seen at ``at_ms`` (in time order)."""
        while self._items and self._items[-1][1] >= value:
            self._items.pop()
        self._items.append((at_ms, value))

    def least(self, now_ms: float) -> float | None:
        """The least value of the window ending at ``now_ms``; ``None``: none in it."""
        while self._items and self._items[0][0] < now_ms - self._window:
            self._items.popleft()
        return self._items[0][1] if self._items else None

    def clear(self) -> None:
        """Forget every value."""
        self._items.clear()


class ArrivalRate:
    """The bytes that arrived in the last ``window_ms``, as bits per second."""

    def __init__(self, window_ms: float) -> None:
        self._window = window_ms
        self._items: deque[tuple[float, int]] = deque()
        self._bytes = 0
        self.first_ms: float | None = None

    def add(self, at_ms: float, size: int) -> None:
        """``size`` bytes arrived at ``at_ms``."""
        if self.first_ms is None:
            self.first_ms = at_ms
        self._items.append((at_ms, size))
        self._bytes += size

    def bps(self, now_ms: float) -> float:
        """The rate over the window (over the time since the first byte, early on)."""
        while self._items and self._items[0][0] <= now_ms - self._window:
            self._bytes -= self._items.popleft()[1]
        if self.first_ms is None:
            return 0.0
        span = min(self._window, max(now_ms - self.first_ms, 100.0))
        return self._bytes * 8000 / span


class Losses:
    """The share of packets lost since the last judged :meth:`share`, from each stream's
    RTP sequence numbers."""

    def __init__(self) -> None:
        self._highest: dict[int, int] = {}      # ssrc -> highest extended sequence number
        self._expected = 0
        self._received = 0

    def count(self, ssrc: int, sequence_number: int) -> None:
        """A packet of stream ``ssrc`` arrived."""
        highest = self._highest.get(ssrc)
        self._received += 1
        if highest is None:
            self._highest[ssrc] = sequence_number
            self._expected += 1
            return
        step = (sequence_number - highest) % 65536
        if step == 0 or step >= 32768:            # a duplicate or a late one: expected already
            self._expected = max(self._expected, self._received)
            return
        self._highest[ssrc] = highest + step
        self._expected += step

    def share(self) -> float | None:
        """Lost over expected since the last judged share; ``None``: too few packets yet."""
        if self._expected < LOSS_MIN_PACKETS:
            return None
        lost = max(0.0, 1 - self._received / self._expected)
        self._expected = self._received = 0
        return lost

    def restart(self) -> None:
        """Forget the sequences (after a cut: what was lost in it is not the line's rate)."""
        self._highest.clear()
        self._expected = self._received = 0


class Trains:
    """The line's rate read from how far apart the packets of one frame arrive.

    aiortc sends a frame's packets back to back (it has no pacer): a line slower than the
    sender spreads them out, one packet's time on the line apart. The bytes behind a train's
    first packet over the time from its first to its last arrival is the line's rate, measured
    with the call's own pictures, as browsers measure it with probes. A train the line did not
    spread more than the sender did (a LAN, a shaper's burst allowance) says only that the line
    is faster than that: it counts as very fast (``inf``).
    """

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()
        self._first_send = self._last_send = -1e9
        self._first_arrival = self._last_arrival = 0.0
        self._behind_head = 0

    def add(self, send_ms: float, arrival_ms: float, size: int) -> None:
        """A packet of ``size`` payload bytes sent at ``send_ms`` arrived at ``arrival_ms``."""
        if 0 <= send_ms - self._last_send <= TRAIN_GAP_MS:
            self._behind_head += size + PACKET_OVERHEAD
            self._last_arrival = max(self._last_arrival, arrival_ms)
        else:
            self._close()
            self._first_send, self._first_arrival = send_ms, arrival_ms
            self._last_arrival, self._behind_head = arrival_ms, 0
        self._last_send = send_ms

    def _close(self) -> None:
        if self._behind_head < TRAIN_MIN_BYTES:
            return
        spread = self._last_arrival - self._first_arrival
        rate = self._behind_head * 8000 / spread \
            if spread > self._last_send - self._first_send + TRAIN_SPREAD_MS else float("inf")
        self._samples.append((self._last_arrival, rate))

    def bps(self, now_ms: float) -> float | None:
        """The median rate of the trains of the last 2 s (``inf``: faster than can be told);
        ``None``: no train to tell."""
        while self._samples and self._samples[0][0] < now_ms - TRAIN_WINDOW_MS:
            self._samples.popleft()
        if not self._samples:
            return None
        return statistics.median(rate for _, rate in self._samples)
