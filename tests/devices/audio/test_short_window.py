"""The short recognition window: sized to the phrase, never below 10 s, the 30 s path for the
rest; with the real Whisper base model for silence and long speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from devices.audio.recognizer import WhisperRecognizer
from devices.audio.short_window import (
    FULL_WINDOW_FRAMES,
    MARGIN_FRAMES,
    MIN_WINDOW_FRAMES,
    transcribe_short,
    window_frames,
)
from devices.audio.vad import SAMPLE_RATE


@pytest.mark.parametrize(("frames", "expected"), [
    (1, MIN_WINDOW_FRAMES),                                   # a word: still 10 s
    (MIN_WINDOW_FRAMES, MIN_WINDOW_FRAMES + MARGIN_FRAMES),     # 10 s of speech: + 2 s
    (FULL_WINDOW_FRAMES - MARGIN_FRAMES, FULL_WINDOW_FRAMES),   # just fits the 30 s
    (FULL_WINDOW_FRAMES - MARGIN_FRAMES + 1, None),             # too long: the 30 s path
])
def test_window_frames__speech_length__window_or_none(frames, expected):
    assert window_frames(frames) == expected


@pytest.mark.slow
def test_transcribe_short__speech_longer_than_28_s__left_to_the_full_window(whisper_base: Path):
    recognizer = WhisperRecognizer(whisper_base)
    recognizer.load()
    long_speech = np.zeros(29 * SAMPLE_RATE, dtype=np.float32)

    assert transcribe_short(recognizer._model, long_speech, "ja") is None


@pytest.mark.slow
@pytest.mark.parametrize("seconds", [1, 2])
def test_transcribe__silence__nothing_heard(whisper_base: Path, seconds: int):
    # In a short window Whisper base reads silence as "ん" with little confidence: the 30 s
    # window decides then, and it hears nothing.
    recognizer = WhisperRecognizer(whisper_base)

    assert recognizer.transcribe(np.zeros(seconds * SAMPLE_RATE, dtype=np.float32), "ja") == ""


@pytest.mark.slow
def test_transcribe__short_window_breaks__30_s_window_used_from_then_on(whisper_base: Path,
                                                                       monkeypatch):
    import devices.audio.recognizer as recognizer_module

    def changed_api(*_args, **_kwargs):
        raise AttributeError("'WhisperModel' object has no attribute 'get_prompt'")

    monkeypatch.setattr(recognizer_module, "transcribe_short", changed_api)
    recognizer = WhisperRecognizer(whisper_base)

    assert recognizer.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32), "ja") == ""
    assert recognizer._short_window is False
