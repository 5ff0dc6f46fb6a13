"""Recognising a short utterance in a window sized to it instead of Whisper's 30 seconds.

faster-whisper pads every segment to 30 s of features, and on two cores the encoder spends
about 0.7 s on that window whatever the length of the speech. CTranslate2's Whisper accepts a
shorter window: a counter phrase of two or three seconds in a window of ten seconds is
recognised as well (the tests' error rates are the same or lower) in about a third of the
time. Much shorter windows make Whisper base repeat itself, so the window never drops below
:data:`MIN_WINDOW_FRAMES`; a repetitive or unsure result (silence read as "ん") is discarded
so that the caller falls back to faster-whisper's own 30 s path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MARGIN_FRAMES", "MIN_WINDOW_FRAMES", "transcribe_short", "window_frames"]

FULL_WINDOW_FRAMES = 3000   # Whisper's 30 s window, 100 feature frames a second
MIN_WINDOW_FRAMES = 1000    # 10 s: below about 8 s Whisper base starts to repeat phrases
MARGIN_FRAMES = 200         # 2 s of padding after the speech, as the 30 s window always has
MAX_NEW_TOKENS = 200        # far more than a spoken sentence needs; stops a runaway loop
NO_SPEECH = 0.6             # faster-whisper's no_speech_threshold
LOW_LOG_PROB = -1.0         # faster-whisper's log_prob_threshold
REPETITIVE = 2.4            # faster-whisper's compression_ratio_threshold


def window_frames(frames: int) -> int | None:
    """The window for ``frames`` of speech; ``None`` when only the full window fits."""
    if frames + MARGIN_FRAMES > FULL_WINDOW_FRAMES:
        return None
    return max(MIN_WINDOW_FRAMES, frames + MARGIN_FRAMES)


def transcribe_short(model: Any, samples: np.ndarray, language: str, prompt: str = "",
                     hotwords: str = "") -> str | None:
    """Greedy recognition of ``samples`` with faster-whisper's ``model`` in a short window.

    Returns the text, ``""`` for silence, or ``None`` when the caller must use the full window
    (speech too long for it, or a repetitive result).
    """
    from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415 - heavy; devices only
    from faster_whisper.transcribe import (  # noqa: PLC0415
        get_compression_ratio,
        get_suppressed_tokens,
    )

    features = model.feature_extractor(samples)
    window = window_frames(features.shape[1])
    if window is None:
        return None
    features = np.pad(features, ((0, 0), (0, window - features.shape[1])))
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language=language)
    previous = tokenizer.encode(" " + prompt.strip()) if prompt.strip() else []
    tokens = model.get_prompt(tokenizer, previous, without_timestamps=True,
                              hotwords=hotwords or None)
    result = model.model.generate(
        model.encode(features), [tokens], beam_size=1,
        max_length=min(model.max_length, len(tokens) + MAX_NEW_TOKENS), return_scores=True,
        return_no_speech_prob=True, suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
    said = result.sequences_ids[0]
    text: str = tokenizer.decode(said).strip()
    average_log_prob = result.scores[0] * len(said) / (len(said) + 1)
    if average_log_prob < LOW_LOG_PROB or (text and get_compression_ratio(text) > REPETITIVE):
        # Unsure (silence read as a syllable) or repeating itself: the 30 s window decides,
        # as faster-whisper would have (its own thresholds, on the window it was trained on).
        return None
    return "" if result.no_speech_prob > NO_SPEECH else text
