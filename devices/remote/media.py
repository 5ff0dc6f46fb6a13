"""Generated media for the remote counter: a moving picture with a stamp, and tone bursts.

The loopback command, the benchmark, the tests and the training call send these instead of a
camera and a microphone. Each picture carries a stamp in its top 60 rows, 88 blocks of
20 × 20 pixels, black or white, which survive VP8 at any bit rate the call uses: a magic
byte, the video source (camera or document camera), the frame counter, the capture time (the
machine's monotonic clock in milliseconds; both ends on one host share it) and a CRC-16.
The receiver reads the stamp back from the decoded picture (:func:`read_stamp`) and so
measures capture-to-picture latency, lost frames and which source it is seeing.

The audio is silence with a 100 ms tone burst at every whole second of the monotonic clock;
the receiver finds each burst's onset (:class:`BurstDetector`) and knows when it was said.
"""

from __future__ import annotations

import asyncio
import binascii
import fractions
import math
import time
from dataclasses import dataclass

import av
import numpy as np
from aiortc import MediaStreamTrack

__all__ = [
    "AUDIO_RATE",
    "SOURCES",
    "STAMP_ROWS",
    "BurstDetector",
    "MediaClock",
    "Stamp",
    "StampedVideoTrack",
    "ToneTrack",
    "elapsed_ms",
    "mono_samples",
    "paint_stamp",
    "read_stamp",
]

SOURCES = ("camera", "document")        # a stamp's source number is the index here
VIDEO_CLOCK = 90_000                     # RTP's video clock rate: pts in 1/90000 s
AUDIO_RATE = 48_000
AUDIO_FRAME = 960                        # 20 ms, Opus's usual packet
BURST_S = 0.1
_BURST_HZ = 880.0
_BURST_LEVEL = 12_000                    # of 32767: loud enough that Opus keeps its shape
_MAGIC = 0xA5
_BLOCK = 20
# 8 magic, 4 source, 28 counter, 32 ms, 16 CRC: a picture decoded from a broken reference
# (after a loss) is noise, and 1 in 256 of it passed an 8-bit check.
_BITS = 88
_STAMP_ROWS = 3 * _BLOCK
STAMP_ROWS = _STAMP_ROWS                 # the picture's top rows the stamp takes
_WHITE, _BLACK = 235, 16                 # video range luma


@dataclass(frozen=True)
class Stamp:
    """What a generated picture says about itself."""

    source: str
    counter: int
    captured_ms: int                     # monotonic clock, milliseconds, modulo 2**32


def _now_ms() -> int:
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


def elapsed_ms(stamp_ms: int, now_ms: int | None = None) -> int:
    """Milliseconds from ``stamp_ms`` to ``now_ms`` (default: now), across the 32-bit wrap."""
    return ((_now_ms() if now_ms is None else now_ms) - stamp_ms) & 0xFFFFFFFF


def _checksum(payload: bytes) -> int:
    return binascii.crc_hqx(payload, 0x1D0F)


def _bits(stamp: Stamp) -> list[int]:
    value = (_MAGIC << 64) | (SOURCES.index(stamp.source) << 60) \
        | ((stamp.counter & 0x0FFFFFFF) << 32) | (stamp.captured_ms & 0xFFFFFFFF)
    payload = value.to_bytes(9, "big")
    word = (value << 16) | _checksum(payload)
    return [(word >> (_BITS - 1 - i)) & 1 for i in range(_BITS)]


def paint_stamp(luma: np.ndarray, stamp: Stamp) -> None:
    """Write ``stamp`` into the top rows of ``luma`` (a picture's Y plane, at least 640 wide)."""
    per_row = luma.shape[1] // _BLOCK
    for i, bit in enumerate(_bits(stamp)):
        row, col = divmod(i, per_row)
        luma[row * _BLOCK:(row + 1) * _BLOCK, col * _BLOCK:(col + 1) * _BLOCK] = \
            _WHITE if bit else _BLACK


def read_stamp(luma: np.ndarray) -> Stamp | None:
    """The stamp in a decoded Y plane, or ``None`` when there is none or it does not check."""
    per_row = luma.shape[1] // _BLOCK
    if per_row * (_STAMP_ROWS // _BLOCK) < _BITS or luma.shape[0] < _STAMP_ROWS:
        return None
    # The centre 10 x 10 of each block: compression blurs the edges, never the middle.
    means = np.stack([luma[r + 5:r + 15, :per_row * _BLOCK].reshape(10, per_row, _BLOCK)[:, :, 5:15]
                      .mean(axis=(0, 2)) for r in range(0, _STAMP_ROWS, _BLOCK)])
    bits = (means.reshape(-1)[:_BITS] > (_WHITE + _BLACK) / 2).astype(int)
    word = 0
    for bit in bits:
        word = (word << 1) | int(bit)
    value, check = word >> 16, word & 0xFFFF
    if value >> 64 != _MAGIC or _checksum(value.to_bytes(9, "big")) != check:
        return None
    source = (value >> 60) & 0xF
    if source >= len(SOURCES):
        return None
    return Stamp(SOURCES[source], (value >> 32) & 0x0FFFFFFF, value & 0xFFFFFFFF)


class MediaClock:
    """One time origin for every track of an end: a switched-in source continues the RTP
    timestamps where the other left them (a jump back would confuse the far jitter buffer)."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def pts(self, at: float, rate: int) -> int:
        """``at`` (monotonic seconds) in units of ``1/rate`` since the origin."""
        return round((at - self.start) * rate)


class StampedVideoTrack(MediaStreamTrack):
    """A generated camera: a moving pattern (diagonal bars for ``camera``, ruled paper with
    drifting lines for ``document``), stamped, at ``fps`` frames a second in real time."""

    kind = "video"

    def __init__(self, source: str, clock: MediaClock, *, width: int = 640, height: int = 480,
                 fps: int = 15) -> None:
        super().__init__()
        if source not in SOURCES:
            raise ValueError(f"unknown video source {source!r}")
        self.source = source
        self.frames_sent = 0
        self._clock = clock
        self._size = (width, height)
        self._period = 1.0 / fps
        self._next = 0.0
        self._texture = self._make_texture(width, height)
        chroma = (width // 2) * (height // 2)
        u, v = (150, 110) if source == "camera" else (128, 128)
        self._chroma = np.concatenate([np.full(chroma, u, np.uint8), np.full(chroma, v, np.uint8)])

    def _make_texture(self, width: int, height: int) -> np.ndarray:
        ys, xs = np.mgrid[0:height, 0:width * 2]
        if self.source == "camera":
            texture = 60 + 60 * np.sin((xs + ys) / 23.0) + 40 * np.sin(ys / 7.0 + xs / 41.0)
        else:                          # white paper with ruled, written-looking lines
            texture = np.full(xs.shape, 220.0)
            ruled = (ys % 32) < 3
            texture[ruled] = 90
            writing = ((ys % 32) > 8) & ((ys % 32) < 22) & (np.sin(xs / 3.0 + ys) > 0.3)
            texture[writing] = 40
        clipped: np.ndarray = np.clip(texture, 16, 235).astype(np.uint8)
        return clipped

    async def recv(self) -> av.VideoFrame:
        """The next picture, when it is due (never faster than ``fps``)."""
        now = time.monotonic()
        if self._next == 0.0:
            self._next = now
        if self._next > now:
            await asyncio.sleep(self._next - now)
        captured = max(self._next, time.monotonic())
        self._next += self._period
        if self._next < captured - self._period:     # fell behind (a busy host): skip, don't burst
            self._next = captured + self._period
        width, height = self._size
        shift = (self.frames_sent * 7) % width
        luma = np.ascontiguousarray(self._texture[:, shift:shift + width])
        paint_stamp(luma, Stamp(self.source, self.frames_sent, _now_ms()))
        frame = av.VideoFrame.from_ndarray(
            np.concatenate([luma.reshape(-1), self._chroma]).reshape(height * 3 // 2, width),
            format="yuv420p")
        frame.pts = self._clock.pts(captured, VIDEO_CLOCK)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self.frames_sent += 1
        return frame


class ToneTrack(MediaStreamTrack):
    """A generated microphone: 48 kHz mono, 20 ms frames in real time, a 100 ms burst of
    880 Hz starting at every whole second of the monotonic clock, silence between."""

    kind = "audio"

    def __init__(self, clock: MediaClock) -> None:
        super().__init__()
        self.frames_sent = 0
        self._clock = clock
        self._next = 0.0

    async def recv(self) -> av.AudioFrame:
        """The 20 ms just "heard": returned when its last sample is due, as a microphone does."""
        if self._next == 0.0:
            self._next = time.monotonic()
        start = self._next
        self._next += AUDIO_FRAME / AUDIO_RATE
        delay = self._next - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.2:                            # fell far behind: resynchronise
            self._next = time.monotonic()
        times = start + np.arange(AUDIO_FRAME) / AUDIO_RATE
        in_burst = np.mod(times, 1.0) < BURST_S
        samples = np.where(in_burst, _BURST_LEVEL * np.sin(2 * math.pi * _BURST_HZ * times), 0)
        frame = av.AudioFrame.from_ndarray(samples.astype(np.int16).reshape(1, -1), format="s16",
                                           layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self._clock.pts(start, AUDIO_RATE)
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self.frames_sent += 1
        return frame


class BurstDetector:
    """Finds the onsets of :class:`ToneTrack`'s bursts in received audio and how late they are.

    A burst starts at a whole second of the monotonic clock, so an onset heard at time ``t``
    was said ``t mod 1 s`` ago (ends on one host; any latency under a second).
    """

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self._in_burst = False

    def feed(self, samples: np.ndarray, heard_at: float) -> None:
        """Look at one received frame (mono int16 samples) whose first sample plays at
        ``heard_at`` (monotonic seconds)."""
        loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > _BURST_LEVEL // 3)
        if loud.size == 0:
            if np.abs(samples.astype(np.int32)).max(initial=0) < _BURST_LEVEL // 6:
                self._in_burst = False
            return
        if not self._in_burst:
            onset = heard_at + loud[0] / AUDIO_RATE
            self.latencies_ms.append(round(math.fmod(onset, 1.0) * 1000, 1))
        self._in_burst = True


def mono_samples(frame: av.AudioFrame) -> np.ndarray:
    """The first channel of a decoded audio frame as int16 samples."""
    array: np.ndarray = frame.to_ndarray()
    first: np.ndarray = array[0] if frame.format.is_planar \
        else array.reshape(-1, len(frame.layout.channels))[:, 0]
    return first
