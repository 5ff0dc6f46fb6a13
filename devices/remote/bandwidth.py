"""The call's sending rate on a thin branch line: a cautious start, a ceiling, and a smaller
picture when the line is thin.

aiortc's VP8 encoder starts at 500 kbit/s, never goes below 250 kbit/s, and sends 640 × 480
key frames of 20-40 kB in one burst, with Opus at 96 kbit/s beside it. On a branch line of
about 600 kbit/s (both ways) or less the first key frames overflowed the line's queue, the
receiver never got a whole picture, asked for another key frame, and the call never
connected.

:class:`AdaptiveVp8Encoder` takes the receiver's estimate (REMB, which aiortc's sender hands to
the encoder's ``target_bitrate``) between a floor and the configured ceiling, starts at
``start_kbps``, caps a key frame's size (libvpx ``max-intra-rate``) so it crosses a thin line
in a few frames' time, and steps down a ladder when the estimate is low: half the width and
height below :data:`HALF_SIZE_BPS`, and half the frame rate too below :data:`HALF_RATE_BPS`,
so the picture stays live rather than sharp. The document camera's picture is read, not
watched: it keeps its size and gives up frames instead (half the rate, then a quarter).
Opus gets :data:`VOICE_BPS` (speech). The estimate itself comes from the other end's
:mod:`devices.remote.rate_estimate`, which lets the rate grow fast on a free line.

The encoders are installed through aiortc's private sender attribute (``aiortc < 2`` is
pinned), and the video codec is narrowed to VP8 so the encoder matches what is negotiated.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

import av
from aiortc import RTCPeerConnection, RTCRtpSender
from aiortc.codecs.base import Encoder
from aiortc.codecs.opus import OpusEncoder
from aiortc.codecs.vpx import Vp8Encoder, number_of_threads
from aiortc.mediastreams import VIDEO_TIME_BASE, convert_timebase
from av.frame import Frame
from av.packet import Packet

__all__ = ["CAMERA_LADDER", "DOCUMENT_LADDER", "HALF_RATE_BPS", "HALF_SIZE_BPS", "TOP_SHARE",
           "VOICE_BPS", "AdaptiveVp8Encoder", "Layer", "RatePlan", "install", "layer_for"]

FLOOR_BPS = 60_000          # below this the picture is useless; the voice still goes
HALF_SIZE_BPS = 360_000     # below: 320 × 240 (from 640 × 480)
HALF_RATE_BPS = 160_000     # below: and every other frame
UP_MARGIN = 1.25            # back up a step only when the estimate is this far above it
VOICE_BPS = 32_000          # Opus for speech (aiortc's 96 kbit/s is for music)
KEY_FRAME_PCT = 300         # a key frame at most 3 frames' worth of the target rate
# A warmed encoder's key frame when it takes over: at most 1.5 frames' worth. Warmed, it spends
# what it may (a cold one's first key frame is small anyway), and on a thin line a larger one
# fills the line's queue at every step up.
TAKE_OVER_KEY_PCT = 150
WARM_S = 0.6                # a higher rate's encoder learns it this long first (80 % of it then)
WARM_FRAMES = 4             # and on this many at least
STEP_UP = 2.0               # a step up: at most twice the rate sent
STEP_UP_LEAST = 1.2         # and at least 20 % more (each step ends in a key frame)
COLD_MEASURE_S = 0.3        # a codec opened cold: its rate measured after this long


@dataclass(frozen=True)
class RatePlan:
    """The configured start and ceiling of the video rate ([remote] start_kbps, max_kbps)."""

    start_kbps: int = 200
    max_kbps: int = 1500

    def clamp(self, bps: float) -> int:
        """``bps`` between the floor and the ceiling."""
        return int(max(FLOOR_BPS, min(bps, self.max_kbps * 1000)))


@dataclass(frozen=True)
class Layer:
    """What the encoder sends at a rate: the scale of the picture and the share of frames."""

    scale: int          # 1: as captured, 2: half width and height
    every: int          # 1: every frame, 2: every other one, 4: every fourth


_FULL, _HALF, _HALF_SLOW = Layer(1, 1), Layer(2, 1), Layer(2, 2)
Ladder = tuple[tuple[int, Layer], ...]     # (the least rate, the layer), best first
# A face stays live at a smaller size; a document is read, so it keeps its size and gives
# up frames instead (each frame then has more bits: sharper text).
CAMERA_LADDER: Ladder = ((HALF_SIZE_BPS, _FULL), (HALF_RATE_BPS, _HALF), (0, _HALF_SLOW))
DOCUMENT_LADDER: Ladder = ((HALF_SIZE_BPS, _FULL), (HALF_RATE_BPS, Layer(1, 2)), (0, Layer(1, 4)))
DOCUMENT_SOURCES = frozenset({"document"})
TOP_SHARE = 0.9             # "full quality": the full picture at 90 % of the ceiling or more


def layer_for(bps: int, current: Layer, ladder: Ladder = CAMERA_LADDER) -> Layer:
    """The layer for ``bps`` on ``ladder``, moving up only past a margin (no flapping at a
    threshold)."""
    step = next(index for index, (least, _) in enumerate(ladder) if bps >= least)
    layers = [layer for _, layer in ladder]
    if current in layers:
        at = layers.index(current)
        while step < at and bps < ladder[step][0] * UP_MARGIN:
            step += 1
    return ladder[step][1]


class _Codec:
    """One libvpx encoder, open at one size and rate (aiortc's settings: realtime CBR), with
    its key frame capped."""

    def __init__(self, width: int, height: int, bps: int, *, key_pct: int = KEY_FRAME_PCT) -> None:
        self.width, self.height, self.bps = width, height, bps
        self.frames = 0
        self.sent = 0                    # bytes made while sending
        self.warmed = False
        self.opened_at = time.monotonic()
        codec = self.context = av.CodecContext.create("libvpx", "w")
        codec.width, codec.height = width, height
        codec.bit_rate = bps
        codec.pix_fmt = "yuv420p"
        codec.gop_size = 3000
        codec.qmin, codec.qmax = 2, 56
        codec.options = {
            "bufsize": str(bps), "cpu-used": "-6", "deadline": "realtime",
            "lag-in-frames": "0", "minrate": str(bps), "maxrate": str(bps),
            "noise-sensitivity": "4", "overshoot-pct": "15", "partitions": "0",
            "static-thresh": "1", "undershoot-pct": "100", "max-intra-rate": str(key_pct),
        }
        codec.thread_count = number_of_threads(width * height, multiprocessing.cpu_count())

    def encode(self, frame: av.VideoFrame, *, key: bool = False) -> bytes:
        """``frame`` (any size or format) encoded at this codec's size."""
        if frame.format.name != "yuv420p" or (frame.width, frame.height) != (self.width, self.height):
            frame = frame.reformat(width=self.width, height=self.height, format="yuv420p")
        frame.pict_type = av.video.frame.PictureType.I if key else av.video.frame.PictureType.NONE
        self.frames += 1
        return b"".join(bytes(packet) for packet in self.context.encode(frame))

    def carries_bps(self) -> float:
        """What this codec is known to send: its rate once warmed; opened cold, what it sent
        so far (about half its rate in its first second)."""
        if self.warmed:
            return self.bps
        age = time.monotonic() - self.opened_at
        return self.sent * 8 / age if age >= COLD_MEASURE_S else self.bps / 2


class AdaptiveVp8Encoder(Encoder):
    """aiortc's VP8 encoding with the rate plan and the ladder (see the module).

    libvpx (through FFmpeg) takes a new rate only when it opens again, and a newly opened
    encoder starts with a key frame and sends about half its rate for its first second: opened
    at each step of a growing estimate it would never reach one, and the far side would see
    half the rate it allowed. A lower rate or a smaller picture opens a new encoder at once
    (it must take effect now); a higher one is *warmed*: a second encoder gets the same frames
    for :data:`WARM_S`, its output thrown away, and then takes over with a key frame at the
    rate it has learnt to hold. A step up is at most :data:`STEP_UP` × what is sent: a line
    whose rate no measure could see (a shaper lets bursts through at any speed) is then
    overrun by that much at most, for the moment the far side needs to say so.

    It also notes how the call's rate came up: the far side's reports (``reports``), and the
    monotonic times the first picture was sent (``first_sent_at``), the full picture first
    (``full_size_at``) and full quality first (``top_at``: the full picture at
    :data:`TOP_SHARE` of the ceiling, after ``top_after_reports`` reports).
    """

    def __init__(self, plan: RatePlan) -> None:
        self.plan = plan
        self.picture_id = 0
        self.source = "camera"
        self._target = plan.clamp(plan.start_kbps * 1000)
        self.layer = layer_for(self._target, _FULL, self._ladder())
        self.layers_used: set[Layer] = {self.layer}
        self.reports = 0
        self.warmed = 0
        self.first_sent_at: float | None = None
        self.full_size_at: float | None = None
        self.top_at: float | None = None
        self.top_after_reports: int | None = None
        self._sending: _Codec | None = None
        self._warming: _Codec | None = None
        self._count = 0

    @property
    def codec(self) -> av.video.codeccontext.VideoCodecContext | None:
        """The libvpx encoder whose frames are sent."""
        return self._sending.context if self._sending is not None else None

    @property
    def target_bitrate(self) -> int:
        """The rate the encoder aims at, bits per second (aiortc sets it from REMB)."""
        return self._target

    @target_bitrate.setter
    def target_bitrate(self, bitrate: int) -> None:
        self.reports += 1
        self._target = self.plan.clamp(bitrate)
        self._relayer()

    def _aim(self) -> int:
        """What to send next: the target, but at most STEP_UP × what is sent now."""
        sending = self._sending
        if sending is None or self._target <= sending.bps:
            return self._target
        return max(sending.bps, min(self._target, int(STEP_UP * sending.carries_bps())))

    def show(self, source: str) -> None:
        """The picture comes from ``source`` now (``camera``, ``document``): a document keeps
        its size on a thin line and gives up frames instead."""
        self.source = source
        self._relayer()

    def _ladder(self) -> Ladder:
        return DOCUMENT_LADDER if self.source in DOCUMENT_SOURCES else CAMERA_LADDER

    def _relayer(self) -> None:
        self.layer = layer_for(self._aim(), self.layer, self._ladder())
        self.layers_used.add(self.layer)

    def encode(self, frame: Frame, force_keyframe: bool = False) -> tuple[list[bytes], int]:
        """One frame's RTP payloads (none for a frame the layer leaves out) and its timestamp."""
        assert isinstance(frame, av.VideoFrame)
        assert frame.pts is not None
        assert frame.time_base is not None
        timestamp = convert_timebase(frame.pts, frame.time_base, VIDEO_TIME_BASE)
        self._count += 1
        self._relayer()                      # the aim moves as the sent rate steps up
        layer = self.layer
        if layer.every > 1 and self._count % layer.every and not force_keyframe:
            return [], timestamp
        width, height = frame.width // layer.scale // 2 * 2, frame.height // layer.scale // 2 * 2
        sending, key = self._sending_codec(width, height, frame.width // 2 * 2)
        data = sending.encode(frame, key=key or force_keyframe)
        sending.sent += len(data)
        warming = self._warming
        if warming is not None:
            warming.encode(frame)            # learning the rate; what it makes is not sent
        payloads = Vp8Encoder._packetize(data, self.picture_id)
        self.picture_id = (self.picture_id + 1) % (1 << 15)
        return payloads, timestamp

    def _sending_codec(self, width: int, height: int, full_width: int) -> tuple[_Codec, bool]:
        """The codec to send this frame with at ``width`` × ``height`` (of a picture
        ``full_width`` wide), and whether it must be a key frame (a warmed codec taking
        over); starts, keeps or drops the warming one."""
        sending, warming = self._sending, self._warming
        if sending is None or width * height < sending.width * sending.height \
                or self._target < sending.bps * 0.9:
            self._warming = None             # smaller or slower: now
            return self._took_over(_Codec(width, height, self._target), full_width), False
        if warming is not None and warming.frames >= WARM_FRAMES \
                and time.monotonic() - warming.opened_at >= WARM_S:
            self._warming = None
            self.warmed += 1
            warming.warmed = True
            return self._took_over(warming, full_width), True
        aim = self._aim()
        ceiling = self.plan.clamp(self.plan.max_kbps * 1000)
        if width * height > sending.width * sending.height or aim >= sending.bps * STEP_UP_LEAST \
                or sending.bps < aim == ceiling:     # the last few per cent to the ceiling too
            if warming is None or warming.bps > aim * 1.1 \
                    or (warming.width, warming.height) != (width, height):
                self._warming = _Codec(width, height, aim, key_pct=TAKE_OVER_KEY_PCT)
        else:
            self._warming = None             # the aim came back to what is sent
        return sending, False

    def _took_over(self, codec: _Codec, full_width: int) -> _Codec:
        self._sending = codec
        now = time.monotonic()
        full = codec.width >= full_width
        if self.first_sent_at is None:
            self.first_sent_at = now
        if full and self.full_size_at is None:
            self.full_size_at = now
        if full and self.top_at is None and codec.bps >= TOP_SHARE * self.plan.max_kbps * 1000:
            self.top_at, self.top_after_reports = now, self.reports
        return codec

    def pack(self, packet: Packet) -> tuple[list[bytes], int]:  # type: ignore[type-arg]
        """Not used: the call sends raw frames."""
        raise NotImplementedError


def _voice_encoder() -> OpusEncoder:
    encoder = OpusEncoder()
    encoder.codec.bit_rate = VOICE_BPS          # the codec opens at the first frame
    return encoder


def install(pc: RTCPeerConnection, plan: RatePlan) -> AdaptiveVp8Encoder | None:
    """Narrow the video to VP8 and give ``pc``'s senders the encoders above (before the
    offer or the answer); the video encoder, to read its layer."""
    video: AdaptiveVp8Encoder | None = None
    vp8 = [codec for codec in RTCRtpSender.getCapabilities("video").codecs
           if codec.mimeType.lower() in ("video/vp8", "video/rtx")]
    for transceiver in pc.getTransceivers():
        sender = transceiver.sender
        if transceiver.kind == "video":
            transceiver.setCodecPreferences(vp8)
            video = AdaptiveVp8Encoder(plan)
            # aiortc has no setting for it: its private attribute, pinned by aiortc < 2.
            sender._RTCRtpSender__encoder = video  # type: ignore[attr-defined]
        elif transceiver.kind == "audio":
            sender._RTCRtpSender__encoder = _voice_encoder()  # type: ignore[attr-defined]
    return video
