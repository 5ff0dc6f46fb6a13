"""The receiver's rate estimate over synthetic lines: a sender that follows its reports (REMB)
frame by frame, a line with a rate, a queue and perhaps a shaper's burst allowance, losses and
a cut; no clock, no network. The estimate reaches the ceiling within a few reports on a free
line, finds a thin line without overrunning it, backs off at once when the queue grows, and
is not fooled by a busy receiver, a few lost packets or a cut line."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import pytest

from devices.remote.line_measures import ArrivalRate, Losses, SendClock, SlidingMin, Trains
from devices.remote.rate_estimate import Phase, RateEstimator

FPS = 15
PACKET = 1200                    # payload bytes of a full RTP packet
CEILING = 1_500_000              # [remote] max_kbps
START = 200_000                  # [remote] start_kbps


def _abs_send_time(ms: float) -> int:
    return int(ms / 1000 * (1 << 18)) & 0xFFFFFF


@dataclass
class Line:
    """One way of a line: ``bps`` (0: free), a queue of ``queue_ms`` beyond which packets are
    dropped, ``burst`` bytes a shaper lets through at once (tc tbf's burst), ``delay_ms``."""

    bps: float = 0.0
    queue_ms: float = 200.0
    burst: int = 0
    delay_ms: float = 5.0
    loss: float = 0.0
    cut: tuple[float, float] = (0.0, 0.0)          # (from, until) ms: everything dropped
    jitter_share: float = 0.0                      # a share of packets read up to 30 ms late
    dropped: int = 0
    sent: int = 0
    longest_queue_ms: float = 0.0
    _free_at: float = 0.0
    _random: random.Random = field(default_factory=lambda: random.Random(22))

    def carry(self, at: float, size: int) -> float | None:
        """When a packet sent at ``at`` arrives; ``None``: lost."""
        self.sent += 1
        if self.cut[0] <= at < self.cut[1] or (self.loss and self._random.random() < self.loss):
            self.dropped += 1
            return None
        arrival = at
        if self.bps:
            # A token bucket is a queue whose clock may lag real time by the burst's time.
            start = max(self._free_at, at - self.burst * 8000 / self.bps)
            if start - at > self.queue_ms:
                self.dropped += 1
                return None
            self._free_at = start + (size + 50) * 8000 / self.bps
            arrival = max(at, self._free_at)
            self.longest_queue_ms = max(self.longest_queue_ms, arrival - at)
        if self.jitter_share and self._random.random() < self.jitter_share:
            arrival += self._random.uniform(0, 30)
        return arrival + self.delay_ms


@dataclass
class Call:
    """A sender that follows the reports like the call's encoder (at most twice what it sends
    per step, within the ceiling), over ``line``, into ``estimator``."""

    line: Line
    estimator: RateEstimator = field(default_factory=RateEstimator)
    rate: float = START
    reports: list[int] = field(default_factory=list)
    rates: list[tuple[float, float]] = field(default_factory=list)      # (ms, rate)
    applied: int = 0
    top_after_reports: int | None = None
    _pending: list[tuple[float, int]] = field(default_factory=list)
    _sequence: int = 0

    def run(self, seconds: float, start_ms: float = 0.0) -> None:
        """Send frames for ``seconds``; reports take effect 20 ms after they are made."""
        frame = int(start_ms * FPS / 1000)
        while frame * 1000 / FPS < start_ms + seconds * 1000:
            at = frame * 1000 / FPS
            for made, bps in [p for p in self._pending if p[0] <= at]:
                self._pending.remove((made, bps))
                self.rate = min(bps, CEILING, 2 * self.rate)
                self.applied += 1
                if self.rate >= CEILING and self.top_after_reports is None:
                    self.top_after_reports = self.applied
            self.rates.append((at, self.rate))
            self._send_frame(at)
            frame += 1

    def _send_frame(self, at: float) -> None:
        size = int(self.rate / 8 / FPS)
        while size > 0:
            payload = min(PACKET, size)
            size -= payload
            arrival = self.line.carry(at, payload)
            self._sequence += 1
            if arrival is None:
                continue
            self.estimator.count(1234, self._sequence % 65536)
            report = self.estimator.add(int(arrival), _abs_send_time(at), payload, 1234)
            if report is not None:
                self.reports.append(report[0])
                self._pending.append((arrival + 20, report[0]))

    def mean_rate(self, from_ms: float) -> float:
        later = [rate for at, rate in self.rates if at >= from_ms]
        return sum(later) / len(later)


# ---------------------------------------------------------------------------- the measures
def test_send_clock__wraps_every_64_s__keeps_counting() -> None:
    clock = SendClock()
    assert clock.ms(_abs_send_time(63_990)) == pytest.approx(63_990, abs=0.01)
    assert clock.ms(_abs_send_time(64_010)) == pytest.approx(64_010, abs=0.01)   # past the wrap
    assert clock.ms(_abs_send_time(64_000)) == pytest.approx(64_000, abs=0.01)   # a resend, older


def test_sliding_min__older_values_leave_the_window() -> None:
    least = SlidingMin(300)
    for at, value in ((0, 5.0), (100, 9.0), (200, 7.0)):
        least.add(at, value)
    assert least.least(250) == 5.0
    assert least.least(350) == 7.0                 # 5 (at 0) and 9 (beaten by 7) are gone


def test_arrival_rate__bytes_over_the_window() -> None:
    rate = ArrivalRate(1000)
    for at in range(0, 2000, 100):
        rate.add(at, 1250)                         # 10 kB a second
    assert rate.bps(1999) == pytest.approx(100_000)


@pytest.mark.parametrize(("sequence", "expected"), [
    (list(range(100)), 0.0),
    ([n for n in range(100) if n % 10], 0.1),
    ([*range(50), 51, 50, *range(52, 100)], 0.0),               # reordered: nothing lost
    ([65530 + n for n in range(6)] + list(range(94)), 0.0),    # across the wrap
])
def test_losses__sequence_numbers__share_lost(sequence: list[int], expected: float) -> None:
    losses = Losses()
    for number in sequence:
        losses.count(7, number % 65536)
    assert losses.share() == pytest.approx(expected, abs=0.011)


def test_trains__a_thin_line_spreads_a_frame__its_rate_is_read() -> None:
    trains, line = Trains(), Line(bps=300_000, delay_ms=0)
    for frame in range(5):
        at = frame * 100.0
        for _ in range(3):
            arrival = line.carry(at, PACKET)
            assert arrival is not None
            trains.add(at, arrival, PACKET)
    trains.add(600, 600, 10)                       # the next train closes the last one
    assert trains.bps(600) == pytest.approx(300_000, rel=0.05)


def test_trains__a_fast_line_leaves_a_frame_whole__very_fast() -> None:
    trains = Trains()
    for frame in range(5):
        for packet in range(3):
            trains.add(frame * 66.0, frame * 66.0 + 10 + packet * 0.2, PACKET)
    trains.add(600, 600, 10)
    assert trains.bps(600) == float("inf")


# ---------------------------------------------------------------------------- the estimate
def test_estimate__free_line__the_sender_reaches_the_ceiling_within_a_few_reports() -> None:
    call = Call(Line())
    call.run(10)
    # 200 -> 400 -> 800 -> 1500 kbit/s: the sender doubles at most. aiortc's own estimate
    # took ~40 reports (3 s before its first, then 8 % a second).
    assert call.top_after_reports is not None
    assert call.top_after_reports <= 5
    assert call.estimator.back_offs == 0
    assert call.estimator.phase is Phase.GROWING


def test_estimate__busy_receiver_reads_some_packets_late__still_grows_without_backing_off() -> None:
    call = Call(Line(jitter_share=0.3))
    call.run(10)
    assert call.rate == CEILING
    assert call.estimator.back_offs == 0


@pytest.mark.parametrize("line_bps", [250_000, 400_000])
def test_estimate__thin_line__found_from_the_first_frames__never_overrun(line_bps: int) -> None:
    line = Line(bps=line_bps)
    call = Call(line)
    call.run(30)
    assert line.dropped == 0
    assert line.longest_queue_ms < 100             # the queue never came near its 200 ms
    assert 0.5 * line_bps <= call.mean_rate(10_000) <= line_bps


def test_estimate__shaper_hides_the_line__overrun_once_then_backs_off_below_it() -> None:
    # tc tbf's burst lets a frame through at any speed while the bucket has tokens: the
    # trains cannot see the line until it is overrun, and then the queue says so.
    line = Line(bps=300_000, burst=6000)
    call = Call(line)
    call.run(30)
    assert call.estimator.back_offs >= 1
    assert line.dropped <= line.sent // 100
    assert call.mean_rate(10_000) <= 300_000
    assert call.rates[-1][1] >= 100_000           # and it did not fall to the floor


def test_estimate__line_slows_mid_call__backs_off_at_once__then_holds_below_it() -> None:
    line = Line()
    call = Call(line)
    call.run(10)
    assert call.rate == CEILING
    line.bps, reports_before = 800_000, len(call.reports)
    call.run(1, start_ms=10_000)                   # the queue grows from the first frame
    assert call.estimator.back_offs >= 1
    assert call.estimator.full_at_bps is not None
    backed = call.reports[reports_before:]
    assert min(backed) <= 0.85 * CEILING           # below what arrived, within a second
    call.run(4, start_ms=11_000)
    full_at = call.estimator.full_at_bps
    assert full_at is not None
    assert max(rate for at, rate in call.rates if at >= 12_000) <= full_at * 1.01
    # The line halved at once: its queue filled in the 0.3 s the estimate needs to be sure.
    assert line.dropped <= line.sent // 50


def test_estimate__careful_near_the_full_line__8_percent_a_second() -> None:
    line = Line(bps=500_000, burst=6000)           # found full once it was overrun
    call = Call(line)
    call.run(20)
    assert call.estimator.was_full
    reports = call.reports[-20:]                   # the last 10 s, a report each 0.5 s
    steps = [later / earlier for earlier, later in itertools.pairwise(reports)]
    assert max(steps) <= 1.08 ** 0.5 * 1.01        # 8 % a second, a report each 0.5 s
    assert line.dropped <= line.sent // 100       # the first overrun


@pytest.mark.parametrize(("loss", "grows"), [(0.01, True), (0.2, False)])
def test_estimate__lost_packets__a_few_ignored__many_lower_it(loss: float, grows: bool) -> None:
    call = Call(Line(loss=loss))
    call.run(10)
    assert (call.rate == CEILING) is grows
    assert (call.estimator.back_offs == 0) is grows


def test_estimate__line_cut_for_2_s__neither_full_nor_lossy__grows_on() -> None:
    line = Line(cut=(5_000.0, 7_000.0))
    call = Call(line)
    call.run(12)
    assert call.estimator.back_offs == 0
    assert call.rate == CEILING
    assert call.estimator.phase is Phase.GROWING
