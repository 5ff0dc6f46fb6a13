"""The other end's voice of a remote call, for the captioner as well as the loudspeaker.

:class:`CallVoiceTap` is a :class:`kiosk.ports.CallSound`: it hands each 20 ms of the received
voice on to the loudspeaker (``through``) and, while a captioner listens, to a
:class:`~devices.audio.sources.PcmSource` at 16 kHz (:meth:`CallVoiceTap.open_source`), so the
existing :class:`~devices.audio.live.LiveCaptioner` captions the far side as it captions a
microphone. Nothing is kept beyond a few seconds in memory, and nothing is written: the text
the captioner makes is the conversation's, wiped with the visit.
"""

from __future__ import annotations

import contextlib
import queue
import threading

import numpy as np

from devices.audio.sources import BLOCK
from devices.audio.vad import SAMPLE_RATE, Samples
from kiosk.ports import CALL_SOUND_RATE, CallSound

__all__ = ["CallVoiceTap"]

_STEP = CALL_SOUND_RATE // SAMPLE_RATE       # 48 kHz -> 16 kHz: every 3 samples become one
_KEPT_BLOCKS = 100                           # 5 s waiting for a slow recognizer, then oldest go
_WAIT_S = 0.5                                # nothing came (a dropped line): a pause is read


class _TapSource:
    """The captioner's end of the tap: 50 ms blocks of 16 kHz float32, ``None`` once closed."""

    def __init__(self, tap: CallVoiceTap) -> None:
        self._tap = tap
        self.blocks: queue.Queue[Samples | None] = queue.Queue(maxsize=_KEPT_BLOCKS)
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: Samples) -> None:
        self._pending = np.concatenate([self._pending, samples])
        while len(self._pending) >= BLOCK:
            block, self._pending = self._pending[:BLOCK], self._pending[BLOCK:]
            if self.blocks.full():           # the recognizer fell behind: the oldest goes
                with contextlib.suppress(queue.Empty):
                    self.blocks.get_nowait()
            self.blocks.put_nowait(block)

    def read(self) -> Samples | None:
        """The next 50 ms of the far side's voice (silence when none came for a while)."""
        try:
            return self.blocks.get(timeout=_WAIT_S)
        except queue.Empty:
            return None if self._tap.closed else np.zeros(BLOCK, dtype=np.float32)

    def close(self) -> None:
        """The captioner stopped: stop feeding it."""
        self._tap.detach(self)


class CallVoiceTap:
    """The received voice to the loudspeaker and to a captioner (see the module).

    Args:
        through: the loudspeaker (``None``: the voice is only captioned).
    """

    def __init__(self, through: CallSound | None = None) -> None:
        self._through = through
        self._lock = threading.Lock()
        self._sources: list[_TapSource] = []
        self._carry = np.zeros(0, dtype=np.float32)
        self.closed = False

    def open_source(self) -> _TapSource:
        """A new 16 kHz source of the far side's voice (the captioner's ``open_source``)."""
        source = _TapSource(self)
        with self._lock:
            self._sources.append(source)
        return source

    def detach(self, source: _TapSource) -> None:
        """Stop feeding ``source``."""
        with self._lock:
            if source in self._sources:
                self._sources.remove(source)

    def play(self, pcm: bytes) -> None:
        """Hand ``pcm`` (s16le mono 48 kHz) to the loudspeaker and, at 16 kHz, to the captioner."""
        if self._through is not None:
            self._through.play(pcm)
        with self._lock:
            if self.closed or not self._sources:
                return
            samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")
            joined = np.concatenate([self._carry, samples.astype(np.float32) / 32768.0])
            usable = len(joined) - len(joined) % _STEP
            self._carry = joined[usable:]
            # The mean of each 3 samples: a low-pass before keeping one in three (speech).
            down = joined[:usable].reshape(-1, _STEP).mean(axis=1).astype(np.float32)
            for source in self._sources:
                source.feed(down)

    def close(self) -> None:
        """The call ended: the loudspeaker stops, the captioner reads the end."""
        if self._through is not None:
            self._through.close()
        with self._lock:
            self.closed = True
            sources, self._sources = self._sources, []
        for source in sources:
            with contextlib.suppress(queue.Full):    # a full queue ends by ``closed`` instead
                source.blocks.put_nowait(None)
