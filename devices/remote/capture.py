"""Real capture for the remote call: cameras, the document camera and the microphone as PyAV inputs.

A camera is an FFmpeg input opened by aiortc's ``MediaPlayer`` (``v4l2`` on Linux, ``dshow``
on Windows); the microphone is PulseAudio's (Linux) or DirectShow's (Windows). A video or
sound file may stand in for a device (training, tests): it plays in real time, looped.

Every source's frames are stamped again with the end's :class:`~devices.remote.media.MediaClock`
(:class:`RestampedTrack`): a device numbers its frames from its own start, and switching the
sender from the camera to the document camera would otherwise make the RTP timestamps jump,
which the far side's jitter buffer takes for lost or ancient packets.

The desk's microphone is opened once, by the call: :class:`MicrophoneTee` hands what it
sends to this end's captioner as well (through a :class:`kiosk.ports.CallSound`, s16 mono
48 kHz, as the far side's voice is handed over), so no second capture of the same device is
needed (PulseAudio allows two, a raw ALSA device does not).
"""

from __future__ import annotations

import fractions
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import av
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer

from devices.remote.media import AUDIO_RATE, VIDEO_CLOCK, MediaClock
from kiosk.ports import CALL_SOUND_RATE, CallSound

__all__ = ["MicrophoneTee", "RestampedTrack", "capture_source", "device_format"]


class RestampedTrack(MediaStreamTrack):
    """``inner``'s frames with time stamps from ``clock`` (taken when each frame arrives)."""

    def __init__(self, inner: MediaStreamTrack, clock: MediaClock, *,
                 on_stop: MediaPlayer | None = None) -> None:
        super().__init__()
        self.kind = inner.kind
        self.frames_sent = 0
        self._inner = inner
        self._clock = clock
        self._player = on_stop            # kept alive while its track is
        self._next_pts: int | None = None

    async def recv(self) -> av.VideoFrame | av.AudioFrame:
        """The inner track's next frame, stamped on this end's clock."""
        frame = await self._inner.recv()
        assert isinstance(frame, av.VideoFrame | av.AudioFrame)
        if isinstance(frame, av.AudioFrame):
            # Sound steps by its sample count (a device delivers in bursts), and comes back to
            # the clock only when it drifted by more than 200 ms.
            rate = frame.sample_rate or AUDIO_RATE
            now = self._clock.pts(time.monotonic(), rate)
            if self._next_pts is None or abs(self._next_pts - now) > rate // 5:
                self._next_pts = now
            frame.pts, self._next_pts = self._next_pts, self._next_pts + frame.samples
        else:
            rate = VIDEO_CLOCK
            frame.pts = self._clock.pts(time.monotonic(), rate)
        frame.time_base = fractions.Fraction(1, rate)
        self.frames_sent += 1
        return frame

    def stop(self) -> None:
        """Stop this track and the device (or file) behind it."""
        super().stop()
        self._inner.stop()


class MicrophoneTee(MediaStreamTrack):
    """The call's microphone track, every frame of which also goes to ``also`` (this end's
    captioner): one capture, two consumers."""

    kind = "audio"

    def __init__(self, inner: MediaStreamTrack, also: CallSound) -> None:
        super().__init__()
        self._inner = inner
        self._also = also
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=CALL_SOUND_RATE)

    @property
    def frames_sent(self) -> int:
        """The inner track's count (the call's statistics)."""
        return int(getattr(self._inner, "frames_sent", 0))

    async def recv(self) -> av.AudioFrame:
        """The microphone's next frame, as it is; a copy at s16 mono 48 kHz to ``also``."""
        frame = await self._inner.recv()
        assert isinstance(frame, av.AudioFrame)
        for copy in self._resampler.resample(frame):
            self._also.play(bytes(copy.planes[0])[: copy.samples * 2])
        return frame

    def stop(self) -> None:
        """Stop this track and the microphone behind it."""
        super().stop()
        self._inner.stop()


def device_format(kind: str, platform: str = sys.platform) -> str:
    """FFmpeg's input format for a ``video`` or ``audio`` device on ``platform``."""
    if platform.startswith("win"):
        return "dshow"
    return "v4l2" if kind == "video" else "pulse"


def capture_source(name: str, kind: str, clock: MediaClock, *,
                   options: Mapping[str, str] | None = None) -> RestampedTrack:
    """A track of the device ``name`` (``/dev/video0``, ``video=Document Camera``, ``default``)
    or of a file standing in for it (played in real time, looped).

    Raises:
        av.FFmpegError, OSError: the device or file cannot be opened.
        ValueError: it has no ``kind`` stream.
    """
    is_file = Path(name).is_file() and not name.startswith("/dev/")
    player = MediaPlayer(name, format=None if is_file else device_format(kind),
                         options=dict(options or {}), loop=is_file)
    inner = player.video if kind == "video" else player.audio
    if inner is None:
        raise ValueError(f"no {kind} in the capture source")
    return RestampedTrack(inner, clock, on_stop=player)
