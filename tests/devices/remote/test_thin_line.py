"""A thin branch line: the call starts below the line's rate, follows the far side's estimate
within [remote]'s ceiling, and halves the picture (then the frame rate) when the estimate is
low; a real call through a line throttled to 350 kbit/s each way connects and stays live."""

from __future__ import annotations

import asyncio
import socket
import time
from fractions import Fraction

import av
import numpy as np
import pytest
from aiortc import RTCPeerConnection

from devices.remote.bandwidth import (
    FLOOR_BPS,
    HALF_RATE_BPS,
    HALF_SIZE_BPS,
    AdaptiveVp8Encoder,
    Layer,
    RatePlan,
    install,
    layer_for,
)
from devices.remote.link import LinkRelay
from devices.remote.media import MediaClock, StampedVideoTrack, ToneTrack
from kiosk.cli.remote import loopback

FULL, HALF, HALF_SLOW = Layer(1, 1), Layer(2, 1), Layer(2, 2)


@pytest.mark.parametrize(("bps", "current", "expected"), [
    (1_000_000, FULL, FULL),
    (HALF_SIZE_BPS - 1, FULL, HALF),
    (HALF_SIZE_BPS + 10_000, HALF, HALF),          # just above: stays (no flapping)
    (int(HALF_SIZE_BPS * 1.3), HALF, FULL),
    (HALF_RATE_BPS - 1, HALF, HALF_SLOW),
    (HALF_RATE_BPS + 10_000, HALF_SLOW, HALF_SLOW),
    (int(HALF_RATE_BPS * 1.3), HALF_SLOW, HALF),
])
def test_layer_for__estimate__picture_size_and_rate(bps: int, current: Layer, expected: Layer) -> None:
    assert layer_for(bps, current) == expected


def test_rate_plan__estimates_outside__clamped_to_floor_and_ceiling() -> None:
    plan = RatePlan(start_kbps=150, max_kbps=400)
    encoder = AdaptiveVp8Encoder(plan)
    assert encoder.target_bitrate == 150_000
    encoder.target_bitrate = 5_000_000                 # a LAN's estimate
    assert encoder.target_bitrate == 400_000
    encoder.target_bitrate = 1_000
    assert encoder.target_bitrate == FLOOR_BPS


def _frame(index: int) -> av.VideoFrame:
    picture = np.full((480, 640, 3), index * 7 % 255, dtype=np.uint8)
    frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
    frame.pts, frame.time_base = index * 6000, Fraction(1, 90_000)
    return frame


def test_encoder__low_estimate__half_size_then_every_other_frame() -> None:
    encoder = AdaptiveVp8Encoder(RatePlan(start_kbps=1000))
    payloads, timestamp = encoder.encode(_frame(1))
    assert payloads
    assert timestamp == 6000
    assert (encoder.codec.width, encoder.codec.height) == (640, 480)   # type: ignore[union-attr]
    encoder.target_bitrate = 250_000
    assert encoder.encode(_frame(2))[0]
    assert (encoder.codec.width, encoder.codec.height) == (320, 240)   # type: ignore[union-attr]
    encoder.target_bitrate = 100_000
    sent = [bool(encoder.encode(_frame(n))[0]) for n in range(3, 9)]
    assert sent.count(True) == 3
    assert encoder.encode(_frame(9), force_keyframe=True)[0]          # a key frame asked: sent
    assert encoder.layers_used == {FULL, HALF, HALF_SLOW}


def test_install__video_narrowed_to_vp8__both_senders_get_the_encoders() -> None:
    async def check() -> None:
        pc = RTCPeerConnection()
        try:
            clock = MediaClock()
            pc.addTrack(StampedVideoTrack("camera", clock))
            pc.addTrack(ToneTrack(clock))
            video = install(pc, RatePlan(start_kbps=200, max_kbps=800))
            assert video is not None
            assert video.target_bitrate == 200_000
            kinds = {t.kind: t for t in pc.getTransceivers()}
            assert {c.mimeType for c in kinds["video"]._preferred_codecs} == {"video/VP8", "video/rtx"}
            assert kinds["video"].sender._RTCRtpSender__encoder is video  # type: ignore[attr-defined]
            voice = kinds["audio"].sender._RTCRtpSender__encoder  # type: ignore[attr-defined]
            assert voice.codec.bit_rate == 32_000
        finally:
            await pc.close()

    asyncio.run(check())


def test_link_relay__throttled__a_burst_beyond_the_queue_is_dropped() -> None:
    link = LinkRelay(rate_kbps=100, queue_ms=100)      # 100 ms of queue: about 1.2 kB
    link.start()
    ends = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    try:
        for end in ends:
            end.bind(("127.0.0.1", 0))
        link.learn("offer", ends[0].getsockname())
        answer_face = link.learn("answer", ends[1].getsockname())
        for _ in range(20):                            # 20 kB at once: a key frame's burst
            ends[0].sendto(b"x" * 1000, ("127.0.0.1", answer_face))
        deadline = time.monotonic() + 5
        while link.forwarded + link.dropped < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert link.overflowed == link.dropped > 0
        assert 0 < link.forwarded < 20
    finally:
        for end in ends:
            end.close()
        link.close()


@pytest.mark.slow
def test_call_on_a_350_kbit_line__connects__picture_and_voice_arrive() -> None:
    # aiortc's own rate (500 kbit/s start, 250 floor, bursts of 640 x 480 key frames) filled
    # this line's queue: 1,000+ packets dropped in 12 s, pictures frozen for 1.8 s.
    figures = loopback(12, rate_kbps=350, connect_s=30)
    link = figures["link"]
    assert link["queue_full"] <= link["forwarded"] // 100, link
    for way in ("branch_to_office", "office_to_branch"):
        sent = figures[way]
        assert sent["frames_received"] >= sent["frames_sent"] // 3, sent
        assert sent["audio_packets_received"] >= sent["audio_packets_sent"] * 9 // 10, sent
        # The longest freeze is a timing: bench/bench_remote.py (runs 4 and 5) prints it
        # against its goal; a test under CI's load would only flake on it.
        assert "320x240" in sent["sizes_received"], sent      # the thin line's picture
    assert figures["states"] == {"branch": "ended", "office": "ended"}
