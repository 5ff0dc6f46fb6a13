"""The sender's side of a fast start: a higher rate is learnt by a second encoder before it
takes over (with a key frame), one doubling at a time; a lower rate takes effect at once; the
document camera keeps its size on a thin line and gives up frames instead; the encoder notes
when full quality was first sent. The encoder's clock is a fake one here."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from aiortc.codecs.vpx import vp8_depayload

from devices.remote import bandwidth
from devices.remote.bandwidth import (
    DOCUMENT_LADDER,
    STEP_UP,
    WARM_S,
    AdaptiveVp8Encoder,
    Layer,
    RatePlan,
    layer_for,
)

FULL = Layer(1, 1)


class FakeClock:
    """``time.monotonic`` for the encoder: moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(bandwidth, "time", fake)
    return fake


def _frame(index: int) -> av.VideoFrame:
    rng = np.random.default_rng(index)             # noise: the encoder spends its rate
    picture = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
    frame.pts, frame.time_base = index * 6000, Fraction(1, 90_000)
    return frame


def _send(encoder: AdaptiveVp8Encoder, clock: FakeClock, frames: range) -> list[list[bytes]]:
    sent = []
    for index in frames:
        clock.now += 1 / 15
        sent.append(encoder.encode(_frame(index))[0])
    return sent


def _rates(encoder: AdaptiveVp8Encoder, clock: FakeClock, frames: range) -> list[int]:
    """The rate each frame was sent at."""
    rates = []
    for index in frames:
        _send(encoder, clock, range(index, index + 1))
        assert encoder.codec is not None
        rates.append(encoder.codec.bit_rate)
    return rates


def _is_key_frame(payloads: list[bytes]) -> bool:
    return (vp8_depayload(payloads[0])[0] & 1) == 0          # VP8: bit 0 clear on a key frame


def test_encoder__higher_target__learnt_by_a_second_codec__takes_over_with_a_key_frame(
        clock: FakeClock) -> None:
    encoder = AdaptiveVp8Encoder(RatePlan(start_kbps=600, max_kbps=1500))
    _send(encoder, clock, range(1, 16))                       # a second at 600 kbit/s
    assert encoder.codec is not None
    assert encoder.codec.bit_rate == 600_000
    encoder.target_bitrate = 1_000_000
    sent, rates = [], []
    for index in range(16, 31):                               # another second
        sent += _send(encoder, clock, range(index, index + 1))
        rates.append(encoder.codec.bit_rate)
    took_over = rates.index(1_000_000)
    # Learning for WARM_S while the old one sends, then a key frame at the new rate.
    assert took_over >= WARM_S * 15 - 1
    assert not any(_is_key_frame(payloads) for payloads in sent[:took_over])
    assert _is_key_frame(sent[took_over])
    assert set(rates[took_over:]) == {1_000_000}
    assert encoder.warmed == 1


def test_encoder__far_higher_target__one_doubling_of_what_it_sends_at_a_time(clock: FakeClock) -> None:
    encoder = AdaptiveVp8Encoder(RatePlan(start_kbps=200, max_kbps=1500))
    _send(encoder, clock, range(1, 16))                       # opened cold: sends less than 200
    encoder.target_bitrate = 1_500_000
    rates = _rates(encoder, clock, range(16, 106))
    steps = [later / earlier for earlier, later in zip([200_000, *rates], rates, strict=False)]
    assert max(steps) <= STEP_UP
    assert rates[-1] == 1_500_000
    assert len(set(rates)) >= 3                               # 200 -> ... -> 1500: in steps
    assert encoder.top_after_reports == 1
    assert encoder.full_size_at is not None
    assert encoder.top_at is not None
    assert encoder.full_size_at <= encoder.top_at


def test_encoder__lower_target__a_new_codec_at_once(clock: FakeClock) -> None:
    encoder = AdaptiveVp8Encoder(RatePlan(start_kbps=1000))
    _send(encoder, clock, range(1, 4))
    encoder.target_bitrate = 700_000
    _send(encoder, clock, range(4, 5))
    assert encoder.codec is not None
    assert encoder.codec.bit_rate == 700_000


@pytest.mark.parametrize(("bps", "current", "expected"), [
    (1_000_000, FULL, FULL),
    (300_000, FULL, Layer(1, 2)),                  # the document keeps its size: 7.5 fps
    (100_000, Layer(1, 2), Layer(1, 4)),           # and 3.75 fps on a very thin line
    (190_000, Layer(1, 4), Layer(1, 4)),           # just above: stays (no flapping)
    (210_000, Layer(1, 4), Layer(1, 2)),
])
def test_layer_for__document__size_kept__frames_given_up(bps: int, current: Layer,
                                                         expected: Layer) -> None:
    assert layer_for(bps, current, DOCUMENT_LADDER) == expected


def test_encoder__document_camera_on_a_thin_line__full_size_every_other_frame(clock: FakeClock) -> None:
    encoder = AdaptiveVp8Encoder(RatePlan(start_kbps=250))
    _send(encoder, clock, range(1, 3))
    assert encoder.codec is not None
    assert encoder.codec.width == 320                         # the camera: half size
    encoder.show("document")
    _send(encoder, clock, range(3, 3 + int(WARM_S * 15) * 2 + 4))   # learnt, then sent
    assert encoder.codec.width == 640                         # the document: its full size
    sent = _send(encoder, clock, range(40, 48))
    assert sum(1 for payloads in sent if payloads) == 4       # at half the frame rate
    encoder.show("camera")
    _send(encoder, clock, range(11, 13))
    assert encoder.codec.width == 320
