"""The generated media measure themselves: the stamp survives VP8, bursts are found on time,
and the simulated call behaves as a call for the training screens."""

from __future__ import annotations

import asyncio
import fractions

import av
import numpy as np
import pytest

from devices.remote.media import (
    AUDIO_RATE,
    BurstDetector,
    MediaClock,
    Stamp,
    StampedVideoTrack,
    ToneTrack,
    elapsed_ms,
    mono_samples,
    paint_stamp,
    read_stamp,
)
from devices.remote.simulated import SimulatedRemoteCall
from kiosk.errors import DeviceError


@pytest.mark.parametrize("stamp", [Stamp("camera", 0, 0), Stamp("document", 0x0FFFFFFF, 0xFFFFFFFF),
                                   Stamp("camera", 12345, 987654321)])
def test_stamp__painted_then_read__is_the_same(stamp: Stamp) -> None:
    luma = np.full((480, 640), 128, np.uint8)
    paint_stamp(luma, stamp)
    assert read_stamp(luma) == stamp


def test_stamp__one_block_flipped__is_rejected_not_misread() -> None:
    luma = np.full((480, 640), 128, np.uint8)
    paint_stamp(luma, Stamp("camera", 77, 4242))
    luma[20:40, 100:120] = 251 - luma[25, 105]           # one bit of the counter, inverted
    assert read_stamp(luma) is None


def test_stamp__plain_picture__has_none() -> None:
    assert read_stamp(np.full((480, 640), 16, np.uint8)) is None
    assert read_stamp(np.zeros((40, 640), np.uint8)) is None


def test_elapsed_ms__across_the_32_bit_wrap() -> None:
    assert elapsed_ms(0xFFFFFFF0, 0x10) == 0x20


def _frames(track: StampedVideoTrack, count: int) -> list[av.VideoFrame]:
    async def take() -> list[av.VideoFrame]:
        return [await track.recv() for _ in range(count)]
    return asyncio.run(take())


def test_video_track__through_vp8_at_a_low_bit_rate__the_stamp_reads_back() -> None:
    track = StampedVideoTrack("document", MediaClock(), fps=30)
    encoder = av.CodecContext.create("libvpx", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 640, 480, "yuv420p"
    encoder.time_base = fractions.Fraction(1, 90_000)
    encoder.bit_rate = 250_000                          # aiortc's lowest
    decoder = av.CodecContext.create("libvpx", "r")
    read = []
    for frame in _frames(track, 6):
        for packet in encoder.encode(frame):
            for decoded in decoder.decode(packet):
                read.append(read_stamp(decoded.to_ndarray()[:480]))
    assert read
    assert all(stamp is not None and stamp.source == "document" for stamp in read)
    counters = [stamp.counter for stamp in read if stamp is not None]
    assert counters == sorted(counters)
    assert counters[0] == 0


def test_video_track__pictures_move_and_count() -> None:
    frames = _frames(StampedVideoTrack("camera", MediaClock(), fps=30), 3)
    pictures = [frame.to_ndarray()[100:480] for frame in frames]
    assert not np.array_equal(pictures[0], pictures[1])
    assert [read_stamp(f.to_ndarray()[:480]).counter for f in frames] == [0, 1, 2]  # type: ignore[union-attr]
    assert frames[0].pts < frames[1].pts < frames[2].pts


def test_video_track__unknown_source__refused() -> None:
    with pytest.raises(ValueError, match="scanner"):
        StampedVideoTrack("scanner", MediaClock())


def test_tone_track__twenty_ms_frames_of_mono_48k() -> None:
    async def take() -> list[av.AudioFrame]:
        track = ToneTrack(MediaClock())
        return [await track.recv() for _ in range(3)]
    frames = asyncio.run(take())
    assert [frame.samples for frame in frames] == [960] * 3
    assert frames[1].pts - frames[0].pts == 960
    assert mono_samples(frames[0]).dtype == np.int16


def test_burst_detector__onset_inside_a_frame__counts_from_the_whole_second() -> None:
    detector = BurstDetector()
    silence = np.zeros(960, np.int16)
    burst = np.zeros(960, np.int16)
    burst[480:] = 12_000                                 # starts 10 ms into the frame
    detector.feed(silence, 100.1)
    detector.feed(burst, 100.1)                          # heard from 100.110 s: 110 ms late
    detector.feed(np.full(960, 12_000, np.int16), 100.12)  # the same burst goes on: not a new one
    detector.feed(silence, 100.14)
    detector.feed(burst, 101.09)                         # the next second's burst: 100 ms late
    assert detector.latencies_ms == [110.0, 100.0]
    assert AUDIO_RATE == 48_000


def test_simulated_call__connects_shows_a_picture_switches_and_ends() -> None:
    call = SimulatedRemoteCall(connect_s=0.0)
    assert call.state == "idle"
    assert call.remote_picture() is None
    call.start()
    assert call.wait_connected(5)
    picture = call.remote_picture()
    assert picture is not None
    assert len(picture.rgb) == picture.width * picture.height * 3
    rgb = np.frombuffer(picture.rgb, np.uint8).reshape(picture.height, picture.width, 3)
    assert read_stamp(rgb[:, :, 0]) is not None          # the far side's counter is in it
    call.switch_video("document")
    with pytest.raises(DeviceError):
        call.switch_video("scanner")
    stats = call.hang_up()
    assert call.state == "ended"
    assert stats.frames_sent == 0                        # nothing leaves the machine
    assert call.probe()[0].detail.startswith("simulated")
