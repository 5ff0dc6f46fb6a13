"""Voice-activity chunking on synthetic signals: tones for speech, quiet noise for pauses."""

from __future__ import annotations

import numpy as np
import pytest

from devices.audio.vad import SAMPLE_RATE, VoiceChunker


def _signal(*parts: tuple[str, float]) -> np.ndarray:
    rng = np.random.default_rng(7)
    pieces = []
    for kind, seconds in parts:
        count = int(seconds * SAMPLE_RATE)
        noise = rng.normal(0, 0.001, count).astype(np.float32)
        if kind == "voice":
            t = np.arange(count) / SAMPLE_RATE
            noise += (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        pieces.append(noise)
    return np.concatenate(pieces)


@pytest.mark.parametrize(("parts", "expected"), [
    ((("pause", 2.0),), 0),
    ((("pause", 0.5), ("voice", 1.0), ("pause", 1.0)), 1),
    ((("pause", 0.5), ("voice", 1.0), ("pause", 1.0), ("voice", 0.8), ("pause", 1.0)), 2),
    ((("pause", 0.5), ("voice", 1.0), ("pause", 0.2), ("voice", 0.8), ("pause", 1.0)), 1),
    ((("pause", 0.5), ("voice", 0.1), ("pause", 1.0)), 0),          # a click is not speech
    ((("pause", 0.5), ("voice", 30.0), ("pause", 1.0)), 3),         # cut every 12 s
])
def test_chunker__signal__utterances_found(parts: tuple[tuple[str, float], ...],
                                           expected: int) -> None:
    chunker = VoiceChunker()
    signal = _signal(*parts)
    chunks = []
    for start in range(0, len(signal), 1600):        # 100 ms blocks as the sources deliver
        chunks += chunker.feed(signal[start:start + 1600])
    chunks += chunker.flush()

    assert len(chunks) == expected


def test_chunker__one_utterance__keeps_onset_and_ends_at_the_pause() -> None:
    chunker = VoiceChunker()
    [chunk] = chunker.feed(_signal(("pause", 1.0), ("voice", 1.0), ("pause", 1.0)))

    assert 1.15 <= chunk.duration_s <= 1.5
    assert chunk.ended_at_s == pytest.approx(2.0, abs=0.05)


def test_chunker__reset_mid_utterance__drops_it() -> None:
    chunker = VoiceChunker()
    chunker.feed(_signal(("pause", 0.5), ("voice", 1.0)))
    chunker.reset()

    assert chunker.flush() == []
