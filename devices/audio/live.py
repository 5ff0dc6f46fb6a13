"""The Captioner port: microphone -> voice chunks -> Whisper, on two threads of its own.

The capture thread only reads PCM and cuts utterances, so a slow recognition never makes the
microphone overrun; the recognition thread turns each utterance into an
:class:`kiosk.ports.Utterance` and hands it to the listener. Recognised text is personal data:
nothing here logs it.

Latency: the chunker waits 450 ms of pause before it calls an utterance finished (shorter cuts
split Japanese sentences), but it hands out a tentative chunk after 180 ms. The recognition
thread starts on it while capture goes on; when the final chunk arrives with the same samples,
its text is already there (or nearly), so the caption follows the end of speech by about
180 ms + one recognition instead of 450 ms + one recognition. A tentative chunk overtaken by a
newer chunk in the queue is skipped; one whose speaker went on is discarded.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

from devices.audio.recognizer import WhisperRecognizer, vocabulary_prompt
from devices.audio.sources import PcmSource
from devices.audio.vad import VoiceChunk, VoiceChunker
from kiosk.doctor import Check
from kiosk.errors import KioskError
from kiosk.ports import Utterance

__all__ = ["LiveCaptioner"]

_log = logging.getLogger(__name__)
_STOP = object()


class LiveCaptioner:
    """Live captions from ``open_source()`` recognised by ``recognizer`` in ``language``.

    Args:
        open_source: opens the microphone (called by :meth:`start`, so a restart reopens it).
        recognizer: the loaded or lazily loaded Whisper model.
        language: what the clerk speaks (Japanese at a Japanese counter).
        chunker: makes a fresh :class:`VoiceChunker` per start.
        clock: monotonic seconds; chunk end times are mapped onto it.
        english: also ask Whisper for its English translation of each utterance
            (:attr:`Utterance.english`; the visitor's speech where no model leads to Japanese).
        languages: more than one: each utterance is read in whichever of them Whisper hears
            (the branch's voice in a remote call: the visitor's language, or Japanese from the
            branch's clerk); its :attr:`Utterance.language` says which. The vocabulary (the
            counter's Japanese words) then prompts the Japanese readings only.
    """

    def __init__(self, open_source: Callable[[], PcmSource], recognizer: WhisperRecognizer, *,
                 language: str = "ja", chunker: Callable[[], VoiceChunker] = VoiceChunker,
                 clock: Callable[[], float] = time.monotonic, english: bool = False,
                 languages: Sequence[str] = ()) -> None:
        self._open_source = open_source
        self._languages = tuple(languages) if len(languages) > 1 else ()
        self._english = english
        self._recognizer = recognizer
        self._language = language
        self._make_chunker = chunker
        self._clock = clock
        self._terms: tuple[str, ...] = ()
        self._chunks: queue.Queue[tuple[VoiceChunk, float] | object] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._source: PcmSource | None = None

    @property
    def listening(self) -> bool:
        """Whether the microphone is open."""
        return bool(self._threads) and not self._stopping.is_set()

    @property
    def recognizer(self) -> WhisperRecognizer:
        """The model (shared with the visitor's microphone: one model in memory)."""
        return self._recognizer

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The terms the prompt is made of now."""
        return self._terms

    def set_vocabulary(self, terms: Sequence[str]) -> None:
        """See :meth:`kiosk.ports.Captioner.set_vocabulary`."""
        self._terms = tuple(terms)

    def start(self, on_utterance: Callable[[Utterance], None]) -> None:
        """See :meth:`kiosk.ports.Captioner.start`."""
        if self._threads:
            return
        self._stopping.clear()
        self._source = self._open_source()
        self._chunks = queue.Queue()
        started = self._clock()
        self._threads = [
            threading.Thread(target=self._capture, args=(self._source, started),
                             name="captions-capture", daemon=True),
            threading.Thread(target=self._recognise, args=(on_utterance,),
                             name="captions-recognise", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """See :meth:`kiosk.ports.Captioner.stop`."""
        self._stopping.set()
        if self._source is not None:
            self._source.close()
        self._chunks.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []
        self._source = None

    def wait_until_drained(self, timeout: float = 60.0) -> None:
        """Wait until the source ended and every chunk was recognised (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def probe(self) -> Sequence[Check]:
        """The recognition model's self-test."""
        return self._recognizer.probe()

    def _capture(self, source: PcmSource, started: float) -> None:
        chunker = self._make_chunker()
        try:
            while not self._stopping.is_set():
                block = source.read()
                if block is None:
                    break
                for chunk in chunker.feed(block):
                    self._chunks.put((chunk, started))
            if not self._stopping.is_set():
                for chunk in chunker.flush():
                    self._chunks.put((chunk, started))
        except (OSError, ValueError):
            _log.warning("microphone stream ended with an error", exc_info=True)
        finally:
            self._chunks.put(_STOP)

    def _recognise(self, on_utterance: Callable[[Utterance], None]) -> None:
        guess: tuple[VoiceChunk, tuple[str | None, str]] | None = None   # tentative chunk, its text
        # Load the model while the speaker starts talking, not after the first sentence
        # (about 2 s on two cores); a failure shows again, and is logged, at the first chunk.
        load = getattr(self._recognizer, "load", None)
        if callable(load):
            with contextlib.suppress(KioskError, RuntimeError, ValueError, OSError):
                load()
        while True:
            item = self._chunks.get()
            if item is _STOP or self._stopping.is_set():
                return
            assert isinstance(item, tuple)
            chunk, started = item
            if not chunk.final:
                # Something newer is waiting (its final chunk, or more speech): skip the guess.
                if self._chunks.empty():
                    guess = (chunk, self._heard(chunk))
                continue
            text, said_in = guess[1] if guess and chunk.same_audio(guess[0]) else self._heard(chunk)
            guess = None
            if text:
                english = self._text(chunk, task="translate") if self._english else ""
                on_utterance(Utterance(text, said_in,
                                       ended_at_s=started + chunk.ended_at_s,
                                       recognised_at_s=self._clock(), audio_s=chunk.duration_s,
                                       english=english or ""))

    def _heard(self, chunk: VoiceChunk) -> tuple[str | None, str]:
        """The chunk's text (``None``: recognition failed) and the language it was read in."""
        if not self._languages:
            return self._text(chunk), self._language
        try:
            return self._recognizer.transcribe_in(
                chunk.samples, self._languages,
                prompt_for=lambda code: vocabulary_prompt(self._terms, code)
                if code.startswith("ja") else "")
        except KioskError:
            _log.warning("speech recognition failed for one utterance", exc_info=True)
            return None, self._language

    def _text(self, chunk: VoiceChunk, task: str = "transcribe") -> str | None:
        # The vocabulary goes into the initial prompt only: passing it again as hotwords
        # doubled the prompt, slowed decoding and made Whisper base recite the vocabulary
        # (CER 0.06 -> 0.14 on the test phrases, far worse with the whole catalog).
        try:
            return self._recognizer.transcribe(
                chunk.samples, self._language,
                prompt=vocabulary_prompt(self._terms, self._language), task=task)
        except KioskError:
            _log.warning("speech recognition failed for one utterance", exc_info=True)
            return None
