"""The training and demo remote call: no network, no other end, a generated far picture.

It behaves as a call does (``connecting``, then ``connected`` after ``connect_s``; the far
side's picture moves, the document camera can be switched in) so the clerk desk and the
branch screens can be shown and taught without a second office. The far side is silent: the
sound output it is given plays nothing and is closed with the call. Its figures say that
nothing was sent.

Two ends of one call in one process (the demo's main-office desk and branch window) are
joined by a :class:`SimulatedExchange`: each shows what the other "sends" (its camera or its
document camera), the specialist's request for the document camera switches the branch's,
and hanging up on one side ends the other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np

from devices.remote.media import SOURCES, Stamp, paint_stamp
from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.ports import CallSound, RemoteCallStats, RemotePicture

__all__ = ["SimulatedExchange", "SimulatedRemoteCall"]


class _Line:
    """What both simulated ends of one call share: what each sends, and whether it ended."""

    def __init__(self) -> None:
        self.sending = {True: "camera", False: "camera"}     # offering end -> its source
        self.ended = False


class SimulatedExchange:
    """Joins the simulated ends of the same call (by call id) made in this process."""

    def __init__(self, *, connect_s: float = 0.5) -> None:
        self._connect_s = connect_s
        self._lock = threading.Lock()
        self._lines: dict[str, _Line] = {}

    def end(self, call_id: str, *, offering: bool) -> SimulatedRemoteCall:
        """This process's end of ``call_id``: the branch's (``offering``) or the office's."""
        with self._lock:
            self._lines = {key: kept for key, kept in self._lines.items() if not kept.ended}
            line = self._lines.setdefault(call_id, _Line())
        return SimulatedRemoteCall(connect_s=self._connect_s, line=line, offering=offering)


class SimulatedRemoteCall:
    """A :class:`kiosk.ports.RemoteCall` that shows a generated far side (15 frames a second)."""

    kind = "simulated"

    def __init__(self, *, connect_s: float = 0.5, width: int = 640, height: int = 480,
                 fps: int = 15, line: _Line | None = None, offering: bool = False) -> None:
        self._connect_s = connect_s
        self._line = line or _Line()
        self._offering = offering
        self._size = (width, height)
        self._fps = fps
        self._lock = threading.Lock()
        self._started = 0.0
        self._ended = 0.0
        self._source = "camera"
        self._remote_source = "camera"
        ys, xs = np.mgrid[0:height, 0:width]
        self._base = (xs + ys).astype(np.int32)
        self._rows = ys.astype(np.int32)
        self._sound: CallSound | None = None
        self._own: CallSound | None = None

    def probe(self) -> Sequence[Check]:
        """Always ready; says that no one is on the other end."""
        return [Check("remote.call", Status.OK,
                      "simulated remote call (demo/training: no other office is called)")]

    @property
    def state(self) -> str:
        """``idle`` before :meth:`start`, ``connecting``, ``connected``, then ``ended``."""
        with self._lock:
            if self._ended or (self._line.ended and self._started):
                return "ended"
            if not self._started:
                return "idle"
            return "connected" if time.monotonic() - self._started >= self._connect_s else "connecting"

    def listen(self, sound: CallSound) -> None:
        """Keep ``sound`` to close with the call (the simulated far side says nothing)."""
        self._sound = sound

    def listen_own(self, sound: CallSound) -> None:
        """Keep ``sound`` to close with the call (a simulated end captures nothing)."""
        self._own = sound

    def start(self) -> None:
        """Start "calling"."""
        with self._lock:
            self._started, self._ended = time.monotonic(), 0.0

    def wait_connected(self, timeout_s: float) -> bool:
        """Wait out the simulated set-up time."""
        deadline = time.monotonic() + timeout_s
        while self.state == "connecting" and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.state == "connected"

    def switch_video(self, source: str) -> None:
        """Switch the (simulated) video this end sends."""
        if source not in SOURCES:
            raise DeviceError(S_("There is no video source {source} on this computer."), source=source)
        with self._lock:
            self._source = source
            self._line.sending[self._offering] = source

    def ask_remote_video(self, source: str) -> None:
        """The simulated far side shows its document camera (ruled paper) or its room."""
        if source in SOURCES:
            with self._lock:
                self._line.sending[not self._offering] = source

    def _frames(self) -> int:
        if not self._started:
            return 0
        end = self._ended or time.monotonic()
        return max(0, int((end - self._started - self._connect_s) * self._fps))

    def remote_picture(self) -> RemotePicture | None:
        """The far side's picture now: moving bars with the frame counter stamped in."""
        if self.state != "connected":
            return None
        self._remote_source = self._line.sending[not self._offering]
        count = self._frames()
        width, height = self._size
        if self._remote_source == "document":        # paper with ruled lines, drifting
            luma = np.where((self._rows + count) % 32 < 3, 90, 220).astype(np.uint8)
        else:
            luma = (128 + 90 * np.sin((self._base + count * 7) / 23.0)).astype(np.uint8)
        paint_stamp(luma, Stamp(self._remote_source, count, 0))
        rgb = np.repeat(luma[:, :, None], 3, axis=2)
        rgb[:, :, 2] = np.clip(rgb[:, :, 2].astype(np.int32) + 40, 0, 255)   # a bluish "room"
        return RemotePicture(width, height, rgb.tobytes())

    def stats(self) -> RemoteCallStats:
        """Frames "received" so far; nothing sent (no network)."""
        end = self._ended or time.monotonic()
        count = self._frames()
        return RemoteCallStats(seconds=(end - self._started) if self._started else 0.0,
                               frames_received=count, audio_frames_received=count * 50 // self._fps,
                               sources_received=((self._remote_source, count),) if count else ())

    def hang_up(self) -> RemoteCallStats:
        """End the call."""
        with self._lock:
            if self._started and not self._ended:
                self._ended = time.monotonic()
            self._line.ended = True                   # the other end (if any) ends too
            sounds, self._sound, self._own = (self._sound, self._own), None, None
        for sound in sounds:
            if sound is not None:
                sound.close()
        return self.stats()
