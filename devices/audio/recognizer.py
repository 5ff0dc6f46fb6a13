"""Speech to text with faster-whisper on the CPU, biased towards the counter's vocabulary.

Whisper hears "住民票の写し" as "住民表の映し" unless it has seen the words: the procedure and field
names of the visit go into the initial prompt (the text Whisper believes came before).
``hotwords`` exist but the live captioner leaves them empty: with the same terms they double
the prompt and make Whisper base recite the vocabulary instead of the speech. The model is a
local directory; ``local_files_only`` makes faster-whisper refuse to fetch anything.

faster-whisper imports PyAV (FFmpeg, 100 MB) only to decode audio files; the kiosk hands it
microphone samples, so the bundle leaves PyAV out and :func:`_import_whisper_model` puts a
placeholder in its place.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from devices.audio.short_window import pick_language, recognise_short, transcribe_short
from devices.audio.vad import Samples
from devices.audio.whisper_model import check_stt_model
from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError, KioskError
from kiosk.i18n import S_

__all__ = ["WhisperRecognizer", "vocabulary_prompt"]

# Whisper's prompt holds at most 224 tokens; Japanese takes about one token per character.
_PROMPT_CHARS = 150


def vocabulary_prompt(terms: Sequence[str], language: str) -> str:
    """A prompt listing ``terms`` in the style of the language, cut to fit Whisper's window."""
    separator = "、" if language.startswith(("ja", "zh")) else ", "
    unique = list(dict.fromkeys(term.strip() for term in terms if term.strip()))
    prompt = ""
    for term in unique:
        candidate = f"{prompt}{separator}{term}" if prompt else term
        if len(candidate) > _PROMPT_CHARS:
            break
        prompt = candidate
    return prompt + ("。" if prompt and language.startswith(("ja", "zh")) else "")


_log = logging.getLogger(__name__)


class _NoPyAV(types.ModuleType):
    """Stands in for PyAV where it is not installed: any use says so."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            # Python's own probes (inspect's __wrapped__, pickling, ...) ask for dunders and
            # expect AttributeError; only a real use of PyAV is an error worth its message.
            raise AttributeError(name)
        raise ImportError(f"PyAV is not installed (av.{name}): the kiosk transcribes samples, "
                          "not audio files")


def _import_whisper_model() -> Any:
    """faster-whisper's ``WhisperModel``, importable with or without PyAV."""
    if sys.modules.get("av") is None and importlib.util.find_spec("av") is None:
        sys.modules["av"] = _NoPyAV("av")
    from faster_whisper import WhisperModel  # noqa: PLC0415 - heavy; devices only

    return WhisperModel


class WhisperRecognizer:
    """One loaded Whisper model; :meth:`transcribe` is safe to call from one thread at a time.

    Args:
        model_dir: an installed faster-whisper model (see :mod:`.whisper_model`).
        threads: CPU threads for CTranslate2.
        compute_type: ``int8`` keeps Whisper base near 350 MB and fast on 2 cores.
        short_window: recognise a phrase in a window sized to it (:mod:`.short_window`)
            rather than always in Whisper's 30 s window.
    """

    def __init__(self, model_dir: Path, *, threads: int = 2, compute_type: str = "int8",
                 short_window: bool = True) -> None:
        check_stt_model(model_dir)
        self._short_window = short_window
        self._model_dir = model_dir
        self._threads = threads
        self._compute_type = compute_type
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now (it is otherwise loaded on the first :meth:`transcribe`)."""
        with self._lock:
            if self._model is None:
                whisper_model = _import_whisper_model()
                self._model = whisper_model(str(self._model_dir), device="cpu",
                                            compute_type=self._compute_type,
                                            cpu_threads=self._threads, local_files_only=True)

    def transcribe(self, samples: Samples, language: str, *, prompt: str = "",
                   hotwords: str = "", task: str = "transcribe") -> str:
        """The text spoken in ``samples`` (16 kHz mono float32); ``""`` for silence or noise.

        ``task="translate"``: Whisper's own translation of the speech into English.

        Raises:
            DeviceError: the model failed (corrupt file, out of memory).
        """
        self.load()
        code = language.replace("@", "-").split("-", maxsplit=1)[0]
        try:
            with self._lock:
                if self._short_window:
                    short = self._transcribe_short(samples, code, prompt, hotwords, task)
                    if short is not None:
                        return short
                texts = self._transcribe_full(samples, code, prompt, hotwords, task)
        except (RuntimeError, ValueError) as exc:
            raise DeviceError(S_("Speech recognition failed: {reason}."),
                              reason=type(exc).__name__) from exc
        joiner = "" if code in {"ja", "zh", "th"} and task == "transcribe" else " "
        return joiner.join(text for text in texts if text)

    def transcribe_in(self, samples: Samples, languages: Sequence[str], *,
                      prompt_for: Callable[[str], str] = lambda _language: "") -> tuple[str, str]:
        """The text spoken in ``samples`` in whichever of ``languages`` Whisper hears (its
        language identification restricted to them), and that language (one of
        ``languages``). ``prompt_for(language)``: the initial prompt for it.

        Raises:
            DeviceError: the model failed (corrupt file, out of memory).
        """
        if len(languages) == 1:
            return self.transcribe(samples, languages[0], prompt=prompt_for(languages[0])), languages[0]
        self.load()
        try:
            with self._lock:
                if self._short_window:
                    short = self._recognise_short(samples, languages, prompt_for)
                    if short is not None:
                        return short
                _code, _probability, every = self._model.detect_language(audio=samples)
                chosen = pick_language(every, languages)
                code = chosen.replace("@", "-").split("-", maxsplit=1)[0]
                texts = self._transcribe_full(samples, code, prompt_for(chosen), "", "transcribe")
        except (RuntimeError, ValueError) as exc:
            raise DeviceError(S_("Speech recognition failed: {reason}."),
                              reason=type(exc).__name__) from exc
        joiner = "" if code in {"ja", "zh", "th"} else " "
        return joiner.join(text for text in texts if text), chosen

    def _recognise_short(self, samples: Samples, languages: Sequence[str],
                         prompt_for: Callable[[str], str]) -> tuple[str, str] | None:
        try:
            return recognise_short(self._model, samples, languages, prompt_for)
        except Exception as exc:
            _log.warning("short recognition window off (%s); using the 30 s window",
                         type(exc).__name__)
            self._short_window = False
            return None

    def _transcribe_short(self, samples: Samples, code: str, prompt: str,
                          hotwords: str, task: str) -> str | None:
        # A phrase in a window sized to it: a third of the 30 s window's time. It uses
        # faster-whisper's inner parts; if a new release changed them, the 30 s path stays.
        try:
            return transcribe_short(self._model, samples, code, prompt, hotwords, task)
        except Exception as exc:
            _log.warning("short recognition window off (%s); using the 30 s window",
                         type(exc).__name__)
            self._short_window = False
            return None

    def _transcribe_full(self, samples: Samples, code: str, prompt: str,
                         hotwords: str, task: str) -> list[str]:
        # Greedy, no timestamps, no conditioning, no VAD (the chunker cut the audio), in
        # faster-whisper's 30 s windows: long speech, and the fallback of the short window.
        segments, _info = self._model.transcribe(
            samples, language=code, task=task, beam_size=1, best_of=1, temperature=0.0,
            initial_prompt=prompt or None, hotwords=hotwords or None,
            condition_on_previous_text=False, without_timestamps=True,
            vad_filter=False, no_speech_threshold=0.6)
        return [segment.text.strip() for segment in segments if segment.no_speech_prob < 0.8]

    def probe(self) -> Sequence[Check]:
        """Loads the model once; IT sees at start of day whether captions will work."""
        try:
            self.load()
        except (KioskError, RuntimeError, ValueError, OSError) as exc:
            return [Check("captions.model", Status.FAIL, f"cannot load {self._model_dir}: "
                          f"{type(exc).__name__}", "Reinstall: kiosk models install-stt DIR")]
        return [Check("captions.model", Status.OK, f"Whisper model at {self._model_dir}")]
