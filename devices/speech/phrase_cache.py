"""A small in-memory cache of synthesized phrases, so repeated guidance plays at once.

Keys are (language, text). Only guidance and call-outs are spoken, never personal data, but
the cache still lives in memory only: nothing spoken outlives the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from devices.speech.audio import Audio

__all__ = ["PhraseCache"]


class PhraseCache:
    """Least-recently-used cache of audio, safe to use from several threads."""

    def __init__(self, max_entries: int = 256) -> None:
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], Audio] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, language: str, text: str) -> Audio | None:
        """The cached audio, or ``None``."""
        key = (language, text)
        with self._lock:
            audio = self._entries.get(key)
            if audio is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return audio

    def put(self, language: str, text: str, audio: Audio) -> None:
        """Remember ``audio``; the least recently used entry goes when full."""
        with self._lock:
            self._entries[(language, text)] = audio
            self._entries.move_to_end((language, text))
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
