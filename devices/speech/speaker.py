"""The speaker: a worker thread that renders and plays phrases in order, never blocking callers.

``say()`` and ``chime()`` only put a job on a queue and return; the worker synthesizes
(Open JTalk or the system voice, through the phrase cache) and hands the audio to a sink (the
loudspeaker or WAV files). A failure is logged by kind, never with the text, and the worker
keeps going: one missing voice must not silence the next call-out.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from devices.speech.audio import Audio, chime
from devices.speech.open_jtalk import warm_up
from devices.speech.sinks import AudioSink
from devices.speech.synthesizer import Synthesizer
from devices.speech.voices import probe_voices
from kiosk.doctor import Check, Status

__all__ = ["QueuedSpeaker", "SilentSpeaker", "Utterance"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Utterance:
    """What the worker finished: the kind ("chime" or "speech"), language and outcome."""

    kind: str
    language: str
    seconds: float
    ok: bool


@dataclass(frozen=True, slots=True)
class _Job:
    kind: str
    text: str
    language: str

    def __repr__(self) -> str:   # the text may be a call-out: keep it out of tracebacks
        return f"_Job({self.kind}, {self.language}, <{len(self.text)} chars>)"


_STOP = _Job("stop", "", "")


class QueuedSpeaker:
    """A :class:`kiosk.ports.Speaker` with a chime, a phrase cache and its own thread."""

    def __init__(self, synthesizer: Synthesizer, sink: AudioSink, *,
                 languages: Sequence[str] = ("ja",),
                 on_done: Callable[[Utterance], None] | None = None) -> None:
        self.synthesizer = synthesizer
        self.sink = sink
        self._languages = tuple(languages)
        self._on_done = on_done
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()
        self._chime: Audio | None = None
        self.failures = 0
        # Started on first use: building the services must not start threads nobody needs.
        self._thread: threading.Thread | None = None

    def say(self, text: str, language: str) -> None:
        """Queue ``text`` in ``language`` (BCP 47); returns at once."""
        self._put(_Job("speech", text, language))

    def chime(self) -> None:
        """Queue the two-note call chime; returns at once."""
        self._put(_Job("chime", "", ""))

    def prepare(self, phrases: Iterable[tuple[str, str]]) -> None:
        """Synthesize ``(text, language)`` phrases into the cache in the background."""
        for text, language in phrases:
            self._put(_Job("prepare", text, language))

    def warm_up(self) -> None:
        """Load the Japanese dictionary and voice in the background now (a board at start)."""
        self._put(_Job("warm", "", "ja"))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until everything queued has been played; ``False`` on timeout (tests, bench)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """Stop the worker after what is queued."""
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join(timeout=30)
        self._thread = None

    def probe(self) -> list[Check]:
        """Voices of the configured languages and the sound output."""
        checks = probe_voices(self._languages)
        checks += self.sink.probe()
        if self.failures:
            checks.append(Check("speech.failures", Status.WARN,
                                f"{self.failures} phrases could not be spoken since start",
                                "See the log for the reason (the phrases are not logged)."))
        return checks

    def _put(self, job: _Job) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            self._handle(job)
            with self._lock:
                self._pending -= 1
                if self._pending == 0:
                    self._idle.set()

    def _handle(self, job: _Job) -> None:
        if job.kind == "warm":
            try:
                warm_up()
            except Exception:   # no Japanese voice: Japanese phrases will fail one by one
                _log.warning("Open JTalk could not be loaded; Japanese speech is unavailable")
            return
        try:
            if job.kind == "chime":
                audio = self._chime = self._chime or chime()
            else:
                audio = self.synthesizer.render(job.text, job.language)
            if job.kind != "prepare":
                self.sink.play(audio, job.kind, job.language)
            ok, seconds = True, audio.seconds
        except Exception as exc:  # any engine failure: the worker must live on
            # The kind of failure only: the exception of a speech engine may quote the text.
            _log.warning("speech %s in %s failed: %s", job.kind, job.language or "-",
                         type(exc).__name__)
            self.failures += 1
            ok, seconds = False, 0.0
        if self._on_done is not None and job.kind != "prepare":
            self._on_done(Utterance(job.kind, job.language, seconds, ok))


class SilentSpeaker:
    """Speech switched off ([speech] kind = "off"): everything is shown, nothing is heard."""

    def say(self, text: str, language: str) -> None:
        """Do nothing."""

    def chime(self) -> None:
        """Do nothing."""

    def warm_up(self) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""

    def probe(self) -> list[Check]:
        """Says that speech is off."""
        return [Check("speech", Status.OK, "speech is switched off ([speech] kind = \"off\")")]
