"""Where a remote call's received voice goes when no loudspeaker plays it: nowhere.

:class:`NullCallSound` (a :class:`kiosk.ports.CallSound`) is the loopback's, the benchmark's
and the tests' output: it counts what it was given and how loud it was, and keeps none of it.
The clerk PC's loudspeaker is :class:`kiosk.ui.call_sound.QtCallSound`.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["NullCallSound"]


class NullCallSound:
    """Counts the samples it is given to "play" (and the loudest 20 ms), then forgets them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples = 0
        self.loudest_rms = 0.0
        self.closed = False

    def play(self, pcm: bytes) -> None:
        """Count ``pcm`` (s16le mono) and note its loudness; nothing is kept."""
        samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
        rms = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
        with self._lock:
            if self.closed:
                return
            self.samples += int(samples.size)
            self.loudest_rms = max(self.loudest_rms, rms)

    def close(self) -> None:
        """Stop counting."""
        with self._lock:
            self.closed = True
