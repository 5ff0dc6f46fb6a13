"""The :class:`~kiosk.ports.SpeechListener` of the visitor: a second microphone at the counter,
recognised by the clerk's Whisper model in the language the visitor chose.

One model serves both microphones (the recognizer's lock takes the turns), so both
directions together cost one model's memory. Each start makes a fresh
:class:`~devices.audio.live.LiveCaptioner` in the visitor's language; nothing is kept between
starts: no audio, no text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.audio.sources import PcmSource
from devices.audio.vad import VoiceChunker
from kiosk.doctor import Check
from kiosk.ports import Utterance

__all__ = ["VisitorListener"]


class VisitorListener:
    """The visitor's microphone (``open_source``) recognised by ``recognizer``."""

    def __init__(self, open_source: Callable[[], PcmSource], recognizer: WhisperRecognizer, *,
                 chunker: Callable[[], VoiceChunker] = VoiceChunker,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._open_source = open_source
        self._recognizer = recognizer
        self._chunker = chunker
        self._clock = clock
        self._live: LiveCaptioner | None = None

    @property
    def listening(self) -> bool:
        """See :attr:`kiosk.ports.SpeechListener.listening`."""
        return self._live is not None and self._live.listening

    def start(self, language: str, on_utterance: Callable[[Utterance], None], *,
              english: bool = False) -> None:
        """See :meth:`kiosk.ports.SpeechListener.start` (a running microphone restarts in
        the new language)."""
        self.stop()
        live = LiveCaptioner(self._open_source, self._recognizer, language=language,
                             chunker=self._chunker, clock=self._clock, english=english)
        live.start(on_utterance)
        self._live = live

    def stop(self) -> None:
        """See :meth:`kiosk.ports.SpeechListener.stop`."""
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def wait_until_drained(self, timeout: float = 60.0) -> None:
        """Wait until the source ended and every chunk was recognised (tests, benchmarks)."""
        if self._live is not None:
            self._live.wait_until_drained(timeout)

    def probe(self) -> Sequence[Check]:
        """The recognition model's self-test."""
        return self._recognizer.probe()
