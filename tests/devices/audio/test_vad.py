"""Voice-activity chunking on synthetic signals: tones for speech, quiet noise for pauses."""

from __future__ import annotations

import numpy as np
import pytest

from devices.audio.vad import SAMPLE_RATE, VoiceChunk, VoiceChunker


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

    assert len([chunk for chunk in chunks if chunk.final]) == expected


def test_chunker__one_utterance__keeps_onset_and_ends_at_the_pause() -> None:
    chunker = VoiceChunker()
    tentative, final = chunker.feed(_signal(("pause", 1.0), ("voice", 1.0), ("pause", 1.0)))

    assert (tentative.final, final.final) == (False, True)
    assert 1.15 <= final.duration_s <= 1.5
    assert final.ended_at_s == pytest.approx(2.0, abs=0.05)
    assert final.same_audio(tentative)
    assert np.array_equal(final.samples, tentative.samples)


@pytest.mark.parametrize(("pause_s", "speculate_ms", "kinds"), [
    (1.0, 180, [False, True, False, True]),  # long pause: two utterances, each guessed right
    (0.3, 180, [False, False, True]),        # mid-sentence pause: a stale guess, one utterance
    (0.1, 180, [False, True]),               # too short a pause to guess on
    (0.3, 0, [True]),                        # speculation off
])
def test_chunker__pause_between_speech__tentative_chunks_and_finals(
        pause_s: float, speculate_ms: int, kinds: list[bool]) -> None:
    chunker = VoiceChunker(speculate_ms=speculate_ms)
    chunks = chunker.feed(_signal(("pause", 0.5), ("voice", 1.0), ("pause", pause_s),
                                  ("voice", 1.0), ("pause", 1.0)))

    assert [chunk.final for chunk in chunks] == kinds
    guesses: list[VoiceChunk] = []
    for chunk in chunks:
        if not chunk.final:
            guesses.append(chunk)
            continue
        # A final chunk is the guess just before it, never an older (stale) one.
        expected = [False] * (len(guesses) - 1) + [True] if guesses else []
        assert [chunk.same_audio(guess) for guess in guesses] == expected
        guesses = []
    if kinds.count(True) == 1:
        assert chunks[-1].duration_s > 2.0 + pause_s      # one utterance, not two halves
