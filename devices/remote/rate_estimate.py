"""What the receiving end of a call tells the sender it may send (REMB): full quality within
a few seconds on a free line, backing off as soon as the line's queue grows or packets go
missing.

aiortc's receiver estimate (``aiortc.rate``, Google's older delay-based controller) waits 3 s
before its first report, then grows 8 % a second, and aiortc sends no probes as browsers do at
a call's start: from the 200 kbit/s start a call on a LAN showed 320 × 240 for ~26 s, and a
document held to the branch's camera was too small to read. Both ends are ours, so each video
receiver's estimate is replaced (:func:`install`) by :class:`RateEstimator`. Every 0.5 s it
reports, from what :mod:`devices.remote.line_measures` measures:

* **the line is full** when every packet of the last 0.3 s waited more than :data:`QUEUE_MS`
  in a queue (its one-way delay above the least of the last 30 s; the two clocks' offset
  cancels out): the estimate falls at once, without waiting for the next report, to 85 % of
  what arrives, and holds until the queue is back under the threshold. The least over 0.3 s
  is what keeps this quiet on a loaded machine: a process that was not scheduled for a moment
  reads some packets late, but the window's first ones were on time; a full line delays them
  all. More than 10 % lost lowers the estimate too (a line that drops without queueing); a few
  lost packets (2 % or less) do not.
* **fast** (× 2.8 a report) while no full line is known, up to 80 % of the line's rate as the
  spread of each frame's packets tells it (a thin line is found from the first frames, before
  anything was sent beyond it), and never beyond 10 × what arrives (4 × before a frame has
  shown the line's rate);
* **careful** (8 % a second, at most 1.5 × what arrives) once the line was full, and fast again
  when what arrives is 1.3 × the rate it was full at (the line got faster, or the queue was
  someone else's).

The sender (:mod:`devices.remote.bandwidth`) warms a new encoder before it takes a higher
rate, so what arrives follows the estimate honestly. A cut line (no packet for 1 s) is not a
full one: its lost packets and its silence are forgotten.

:func:`install` puts an estimator into each video receiver of a connection through aiortc's
private attribute (``aiortc < 2`` is pinned), and has the receiver count each packet's
sequence number for the losses.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from devices.remote.line_measures import ArrivalRate, Losses, SendClock, SlidingMin, Trains

__all__ = ["QUEUE_MS", "Phase", "RateEstimator", "install"]

UPDATE_MS = 500              # a report every half second (aiortc's own interval)
FIRST_REPORT_MS = 500        # the first one after this much of the call's video
RATE_WINDOW_MS = 1000        # the received rate: over the last second
QUEUE_WINDOW_MS = 300        # the queue: the least wait of any packet in the last 0.3 s
BASE_WINDOW_MS = 30_000      # the line's own delay: the least of the last 30 s
QUEUE_MS = 25.0              # a queue standing this long for QUEUE_WINDOW_MS: the line is full
FAST_PER_S = 8.0             # × 2.8 a report, while no full line is known
TRAIN_SHARE = 0.8            # up to 80 % of the trains' line rate (voice and headers share it)
KNOWN_CAP = 10.0             # and 10 × what arrives (a sender that uses less has shown less)
UNKNOWN_CAP = 4.0            # 4 × while no train has shown the line's rate
CAREFUL_PER_S = 1.08         # near the rate the line was full at: 8 % a second (Google's)
CAREFUL_CAP = 1.5            # and at most 1.5 × what arrives
FAR_ABOVE = 1.3              # what arrives is 1.3 × the rate the line was full at: no longer near
HOLD_BELOW_FULL_MS = 5000    # for 5 s after backing off, not above the rate it was full at
RECOVER_PER_S = 1.25         # then 25 % a second (a line found full once is not probed fast again)
BACK_OFF = 0.85              # the line is full: 85 % of what arrives
SOON_AGAIN_LEAST = 0.7       # backing off again within HOLD_BELOW_FULL_MS: to 70 % at least
LOSS_HIGH = 0.10             # more lost than this: lower the estimate
LOSS_LOW = 0.02              # more than this: hold it
OUTAGE_MS = 1000             # no packet for this long: a cut line, not a full one
FLOOR_BPS = 50_000


class Phase(enum.Enum):
    """What the estimate is doing."""

    STARTING = "starting"    # no report yet
    GROWING = "growing"
    DRAINING = "draining"    # backed off; waits for the queue to empty


class RateEstimator:
    """The receiver's estimate of what the sender may send (see the module).

    The shape of aiortc's ``RemoteBitrateEstimator``: :meth:`add` for each video packet
    returns ``(bits per second, the streams it is for)`` when a report is due; aiortc sends it
    as REMB. :meth:`count` takes each packet's sequence number (for the losses).
    """

    def __init__(self) -> None:
        self.estimate_bps: float | None = None
        self.phase = Phase.STARTING
        self.reports = 0
        self.back_offs = 0
        self.full_at_bps: float | None = None   # what arrived when the line was last full
        self.was_full = False                    # the line was full once in this call
        self._arrivals = ArrivalRate(RATE_WINDOW_MS)
        self._arriving = ArrivalRate(QUEUE_WINDOW_MS)   # a full line's rate: what it delivers now
        self._queue = SlidingMin(QUEUE_WINDOW_MS)
        self._base = SlidingMin(BASE_WINDOW_MS)
        self._losses = Losses()
        self._trains = Trains()
        self._send_clock = SendClock()
        self._ssrcs: dict[int, None] = {}
        self._last_arrival: float | None = None
        self._last_report = 0.0
        self._queue_at_back_off = 0.0
        self._backed_off_at = 0.0
        self._last_back_off = 0.0

    # ------------------------------------------------------------------ what arrives
    def count(self, ssrc: int, sequence_number: int) -> None:
        """One received packet's sequence number (before :meth:`add` for the same packet)."""
        self._losses.count(ssrc, sequence_number)

    def add(self, arrival_time_ms: int, abs_send_time: int, payload_size: int,
            ssrc: int) -> tuple[int, list[int]] | None:
        """One received video packet; a report when one is due, else ``None``."""
        now = float(arrival_time_ms)
        if self._last_arrival is not None and now - self._last_arrival > OUTAGE_MS:
            self._after_outage()
        self._last_arrival = now
        self._ssrcs[ssrc] = None
        self._arrivals.add(now, payload_size)
        self._arriving.add(now, payload_size)
        sent = self._send_clock.ms(abs_send_time)
        self._trains.add(sent, now, payload_size)
        self._queue.add(now, now - sent)
        self._base.add(now, now - sent)
        if self.phase is Phase.STARTING:
            first = self._arrivals.first_ms
            if first is None or now - first < FIRST_REPORT_MS:
                return None
            self.estimate_bps = self._arrivals.bps(now)
            self.phase = Phase.GROWING
            self._last_report = now - UPDATE_MS          # grows at the first report
        queue = self.queue_ms(now)
        if queue is not None and queue > QUEUE_MS and self._should_back_off(now, queue):
            self._back_off(now, queue)
            return self._report(now)
        if now - self._last_report < UPDATE_MS:
            return None
        self._update(now, queue)
        return self._report(now)

    def queue_ms(self, now_ms: float) -> float | None:
        """How long every packet of the last 0.3 s waited at least, beyond the line's own
        delay; ``None`` before there is 0.3 s to judge."""
        least, base = self._queue.least(now_ms), self._base.least(now_ms)
        first = self._arrivals.first_ms
        if least is None or base is None or first is None or now_ms - first < QUEUE_WINDOW_MS:
            return None
        return least - base

    # ------------------------------------------------------------------ the decisions
    def _should_back_off(self, now: float, queue: float) -> bool:
        # Once backed off, again only while the queue still grows, or has not shrunk in a
        # second: a queue that shrinks is draining at the lower rate already.
        if self.phase is not Phase.DRAINING:
            return True
        return queue > self._queue_at_back_off * 1.5 or (
            now - self._backed_off_at > 2 * UPDATE_MS and queue >= self._queue_at_back_off)

    def _back_off(self, now: float, queue: float) -> None:
        assert self.estimate_bps is not None
        # A standing queue delivers at the line's rate: what arrived while it stood (the
        # last second's rate still counts what was sent before the line slowed).
        arrived = self._arriving.bps(now)
        backed = BACK_OFF * arrived
        soon = self.back_offs > 0 and now - self._backed_off_at < HOLD_BELOW_FULL_MS
        if self.phase is Phase.DRAINING or soon:
            # Soon after backing off, less arrives than the line carries: the backlog drains,
            # and the sender's encoder, opened again lower, starts at about half its rate.
            # Backing off from that alone would spiral down to the floor.
            backed = max(backed, SOON_AGAIN_LEAST * self._last_back_off)
        if self.phase is Phase.DRAINING and self.full_at_bps is not None:
            self.full_at_bps = min(self.full_at_bps, arrived)
        else:
            self.full_at_bps = arrived
        self.estimate_bps = self._last_back_off = max(FLOOR_BPS, min(self.estimate_bps, backed))
        self.was_full = True
        self.phase = Phase.DRAINING
        self.back_offs += 1
        self._queue_at_back_off, self._backed_off_at = queue, now

    def _update(self, now: float, queue: float | None) -> None:
        assert self.estimate_bps is not None
        loss = self._losses.share()
        if loss is not None and loss > LOSS_HIGH and self.phase is not Phase.DRAINING:
            self.full_at_bps, self.was_full = self._arrivals.bps(now), True
            self.estimate_bps = max(FLOOR_BPS, self.estimate_bps * (1 - loss / 2))
            self.back_offs += 1
            return
        if self.phase is Phase.DRAINING:
            if queue is None or (queue <= QUEUE_MS and now - self._backed_off_at >= UPDATE_MS):
                self.phase = Phase.GROWING
            return
        if loss is None or loss <= LOSS_LOW:
            self._grow(now)

    def _grow(self, now: float) -> None:
        assert self.estimate_bps is not None
        arrived = self._arrivals.bps(now)
        if self.full_at_bps is not None and arrived >= FAR_ABOVE * self.full_at_bps:
            self.full_at_bps = None          # the line carries more now than when it was full
        seconds = min(now - self._last_report, 2 * UPDATE_MS) / 1000
        if self.was_full:
            per_s = CAREFUL_PER_S if self.full_at_bps is not None else RECOVER_PER_S
            grown = min(self.estimate_bps * per_s ** seconds, CAREFUL_CAP * arrived)
            if self.full_at_bps is not None and now - self._backed_off_at < HOLD_BELOW_FULL_MS:
                grown = min(grown, self.full_at_bps)     # not past the full line again so soon
        else:
            line = self._trains.bps(now)
            if line is None:
                grown = min(self.estimate_bps * FAST_PER_S ** seconds, UNKNOWN_CAP * arrived)
            else:
                grown = min(self.estimate_bps * FAST_PER_S ** seconds, KNOWN_CAP * arrived)
                if grown > TRAIN_SHARE * line:
                    # The trains say the line is slower than the estimate: down to them
                    # (a shaper's burst allowance hid it, until the bursts spread).
                    self.estimate_bps = grown = max(FLOOR_BPS, TRAIN_SHARE * line)
        self.estimate_bps = max(self.estimate_bps, grown)

    def _report(self, now: float) -> tuple[int, list[int]]:
        assert self.estimate_bps is not None
        self._last_report = now
        self.reports += 1
        return int(self.estimate_bps), list(self._ssrcs)

    def _after_outage(self) -> None:
        # The cut's lost packets and its silence say nothing about the line's rate.
        self._losses.restart()
        self._queue.clear()
        if self.phase is Phase.DRAINING:
            self.phase = Phase.GROWING


def install(pc: RTCPeerConnection) -> list[RateEstimator]:
    """Give each video receiver of ``pc`` a :class:`RateEstimator` (before media flows)."""
    estimators = []
    for transceiver in pc.getTransceivers():
        if transceiver.kind != "video":
            continue
        receiver = transceiver.receiver
        estimator = RateEstimator()
        # aiortc has no setting for it: its private attribute, pinned by aiortc < 2. aiortc
        # feeds it the arrival, send time and size of each video packet and sends its reports.
        receiver._RTCRtpReceiver__remote_bitrate_estimator = estimator  # type: ignore[attr-defined]
        receiver._handle_rtp_packet = _counting(  # type: ignore[method-assign,assignment]
            receiver._handle_rtp_packet, estimator)
        estimators.append(estimator)
    return estimators


def _counting(handle: Callable[..., Awaitable[None]],
              estimator: RateEstimator) -> Callable[..., Awaitable[None]]:
    """``handle`` (the receiver's own) with each packet's sequence number counted first."""
    async def counted(packet: RtpPacket, *args: Any, **kwargs: Any) -> None:
        estimator.count(packet.ssrc, packet.sequence_number)
        await handle(packet, *args, **kwargs)
    return counted
