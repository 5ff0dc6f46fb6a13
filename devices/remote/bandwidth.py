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
so the picture stays live rather than sharp. Opus gets :data:`VOICE_BPS` (speech).

The encoders are installed through aiortc's private sender attribute (``aiortc < 2`` is
pinned), and the video codec is narrowed to VP8 so the encoder matches what is negotiated.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass

import av
from aiortc import RTCPeerConnection, RTCRtpSender
from aiortc.codecs.base import Encoder
from aiortc.codecs.opus import OpusEncoder
from aiortc.codecs.vpx import Vp8Encoder, number_of_threads
from aiortc.mediastreams import VIDEO_TIME_BASE, convert_timebase
from av.frame import Frame
from av.packet import Packet

__all__ = ["HALF_RATE_BPS", "HALF_SIZE_BPS", "VOICE_BPS", "AdaptiveVp8Encoder", "Layer", "RatePlan",
           "install"]

FLOOR_BPS = 60_000          # below this the picture is useless; the voice still goes
HALF_SIZE_BPS = 360_000     # below: 320 × 240 (from 640 × 480)
HALF_RATE_BPS = 160_000     # below: and every other frame
UP_MARGIN = 1.25            # back up a step only when the estimate is this far above it
VOICE_BPS = 32_000          # Opus for speech (aiortc's 96 kbit/s is for music)
KEY_FRAME_PCT = 300         # a key frame at most 3 frames' worth of the target rate


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
    every: int          # 1: every frame, 2: every other one


_FULL, _HALF, _HALF_SLOW = Layer(1, 1), Layer(2, 1), Layer(2, 2)


def layer_for(bps: int, current: Layer) -> Layer:
    """The layer for ``bps``, moving up only past a margin (no flapping at a threshold)."""
    if bps < HALF_RATE_BPS:
        return _HALF_SLOW
    if bps < HALF_SIZE_BPS:
        return _HALF if current != _HALF_SLOW or bps >= HALF_RATE_BPS * UP_MARGIN else current
    if current == _FULL or bps >= HALF_SIZE_BPS * UP_MARGIN:
        return _FULL
    return _HALF


class AdaptiveVp8Encoder(Encoder):
    """aiortc's VP8 encoding with the rate plan and the ladder (see the module)."""

    def __init__(self, plan: RatePlan) -> None:
        self.plan = plan
        self.codec: av.video.codeccontext.VideoCodecContext | None = None
        self.picture_id = 0
        self.layer = layer_for(plan.clamp(plan.start_kbps * 1000), _FULL)
        self.layers_used: set[Layer] = {self.layer}
        self._target = plan.clamp(plan.start_kbps * 1000)
        self._count = 0

    @property
    def target_bitrate(self) -> int:
        """The rate the encoder aims at, bits per second (aiortc sets it from REMB)."""
        return self._target

    @target_bitrate.setter
    def target_bitrate(self, bitrate: int) -> None:
        self._target = self.plan.clamp(bitrate)
        self.layer = layer_for(self._target, self.layer)
        self.layers_used.add(self.layer)

    def encode(self, frame: Frame, force_keyframe: bool = False) -> tuple[list[bytes], int]:
        """One frame's RTP payloads (none for a frame the layer leaves out) and its timestamp."""
        assert isinstance(frame, av.VideoFrame)
        assert frame.pts is not None
        assert frame.time_base is not None
        timestamp = convert_timebase(frame.pts, frame.time_base, VIDEO_TIME_BASE)
        self._count += 1
        layer = self.layer
        if layer.every > 1 and self._count % layer.every and not force_keyframe:
            return [], timestamp
        width, height = frame.width // layer.scale // 2 * 2, frame.height // layer.scale // 2 * 2
        if frame.format.name != "yuv420p" or layer.scale != 1:
            frame = frame.reformat(width=width, height=height, format="yuv420p")
        codec = self.codec
        if codec is not None and (codec.width != width or codec.height != height
                                  or abs(self._target - (codec.bit_rate or 1)) / (codec.bit_rate or 1) > 0.1):
            codec = None
        if force_keyframe:
            frame.pict_type = av.video.frame.PictureType.I
        if codec is None:
            codec = self.codec = self._open(width, height)
        data = b"".join(bytes(packet) for packet in codec.encode(frame))
        payloads = Vp8Encoder._packetize(data, self.picture_id)
        self.picture_id = (self.picture_id + 1) % (1 << 15)
        return payloads, timestamp

    def _open(self, width: int, height: int) -> av.video.codeccontext.VideoCodecContext:
        # aiortc's own settings (realtime CBR), at this target, with the key frame capped.
        codec = av.CodecContext.create("libvpx", "w")
        codec.width, codec.height = width, height
        codec.bit_rate = self._target
        codec.pix_fmt = "yuv420p"
        codec.gop_size = 3000
        codec.qmin, codec.qmax = 2, 56
        codec.options = {
            "bufsize": str(self._target), "cpu-used": "-6", "deadline": "realtime",
            "lag-in-frames": "0", "minrate": str(self._target), "maxrate": str(self._target),
            "noise-sensitivity": "4", "overshoot-pct": "15", "partitions": "0",
            "static-thresh": "1", "undershoot-pct": "100", "max-intra-rate": str(KEY_FRAME_PCT),
        }
        codec.thread_count = number_of_threads(width * height, multiprocessing.cpu_count())
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
