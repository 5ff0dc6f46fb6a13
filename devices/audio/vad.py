"""Voice-activity chunking: cut a PCM stream into utterances at pauses.

Whisper recognises whole stretches of speech best, and a caption should appear as soon as the
speaker pauses. A frame (30 ms) is voiced when its level is well above the noise floor, which
is tracked slowly so a humming PC fan does not count as speech. An utterance ends after
``end_silence_ms`` of unvoiced frames, or is cut at ``max_chunk_s`` so a monologue still
produces captions. A little audio before the first voiced frame is kept (``pre_roll_ms``):
word onsets are quiet, and cutting them costs the first syllable.

The pause that ends an utterance is a compromise: Japanese speakers pause inside a sentence
(after a topic, before a long noun), and a cut there yields two half-sentences Whisper
mis-hears. So the cut keeps a long pause (450 ms), and the wait is hidden instead of shortened:
after ``speculate_ms`` of pause the chunker hands out a *tentative* chunk which the caller may
start recognising at once. If the pause lasts, the final chunk holds exactly the same samples
and the tentative result can be used; if speech resumes, the tentative chunk is simply stale.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["SAMPLE_RATE", "VoiceChunk", "VoiceChunker"]

SAMPLE_RATE = 16_000
Samples = npt.NDArray[np.float32]
_TAIL_FRAMES = 5          # 150 ms of the pause kept after the last voiced frame


@dataclass(frozen=True)
class VoiceChunk:
    """One utterance: mono float32 samples at 16 kHz and where it ended in the stream."""

    samples: Samples = field(repr=False)
    ended_at_s: float          # stream time of the last voiced frame
    final: bool = True         # False: tentative, the pause may still turn out to be mid-sentence

    def same_audio(self, other: VoiceChunk) -> bool:
        """Whether ``other`` (a tentative chunk) holds the samples of this one."""
        return self.ended_at_s == other.ended_at_s and len(self.samples) == len(other.samples)

    @property
    def duration_s(self) -> float:
        """Length of the chunk in seconds."""
        return len(self.samples) / SAMPLE_RATE


class VoiceChunker:
    """Feeds on PCM blocks of any size and returns finished utterances.

    Args:
        threshold_db: absolute level (dBFS) a frame must exceed to count as voiced.
        margin_db: how far above the tracked noise floor a voiced frame must be.
        end_silence_ms: pause that ends an utterance.
        min_speech_ms: shorter voiced stretches (a click) are dropped; 150 ms, because a
            quick "はい" has only about 200 ms above the threshold.
        max_chunk_s: an utterance longer than this is cut.
        pre_roll_ms: audio kept before the first voiced frame.
        speculate_ms: pause after which a tentative chunk is returned (0: never); at least
            150 ms (the kept tail) and shorter than ``end_silence_ms``.
    """

    frame = SAMPLE_RATE * 30 // 1000

    def __init__(self, *, threshold_db: float = -45.0, margin_db: float = 12.0,
                 end_silence_ms: int = 450, min_speech_ms: int = 150, max_chunk_s: float = 12.0,
                 pre_roll_ms: int = 240, speculate_ms: int = 180) -> None:
        self._threshold_db = threshold_db
        self._margin_db = margin_db
        self._end_frames = max(1, end_silence_ms // 30)
        self._min_frames = max(1, min_speech_ms // 30)
        self._max_frames = int(max_chunk_s * 1000 // 30)
        # Never before the kept tail is complete, or the final chunk would differ.
        self._speculate_frames = (max(_TAIL_FRAMES, speculate_ms // 30)
                                  if 0 < speculate_ms < end_silence_ms else 0)
        self._pre_roll: deque[Samples] = deque(maxlen=max(1, pre_roll_ms // 30))
        self._noise_db = -70.0
        self._pending = np.zeros(0, dtype=np.float32)
        self._frames: list[Samples] = []
        self._voiced = 0
        self._silent = 0
        self._position = 0        # samples consumed so far

    def feed(self, samples: Samples) -> list[VoiceChunk]:
        """Add ``samples`` (float32 in [-1, 1]) and return the utterances they completed."""
        data = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        usable = len(data) - len(data) % self.frame
        self._pending = data[usable:]
        done = []
        for start in range(0, usable, self.frame):
            chunk = self._frame(data[start:start + self.frame])
            if chunk is not None:
                done.append(chunk)
        return done

    def flush(self) -> list[VoiceChunk]:
        """End of stream: return the utterance in progress, if long enough."""
        chunk = self._finish()
        return [chunk] if chunk is not None else []

    def reset(self) -> None:
        """Drop everything buffered (the microphone was muted or the visit ended)."""
        self._pending = np.zeros(0, dtype=np.float32)
        self._frames, self._voiced, self._silent = [], 0, 0
        self._pre_roll.clear()

    def _frame(self, frame: Samples) -> VoiceChunk | None:
        self._position += len(frame)
        level = 10 * np.log10(float(np.mean(frame * frame)) + 1e-10)
        voiced = level > max(self._threshold_db, self._noise_db + self._margin_db)
        if not voiced:
            # The floor follows quiet frames quickly and loud ones slowly.
            rate = 0.1 if level < self._noise_db else 0.01
            self._noise_db += rate * (level - self._noise_db)
        if not self._frames:
            if voiced:
                self._frames = [*self._pre_roll, frame]
                self._voiced, self._silent = 1, 0
            else:
                self._pre_roll.append(frame)
            return None
        self._frames.append(frame)
        if voiced:
            self._voiced += 1
            self._silent = 0
        else:
            self._silent += 1
        if self._silent >= self._end_frames or len(self._frames) >= self._max_frames:
            return self._finish()
        if (self._speculate_frames and self._silent == self._speculate_frames
                and self._voiced >= self._min_frames):
            return VoiceChunk(*self._cut(self._frames, self._silent), final=False)
        return None

    def _finish(self) -> VoiceChunk | None:
        frames, voiced, silent = self._frames, self._voiced, self._silent
        self._frames, self._voiced, self._silent = [], 0, 0
        self._pre_roll.clear()
        if voiced < self._min_frames:
            return None
        return VoiceChunk(*self._cut(frames, silent))

    def _cut(self, frames: list[Samples], silent: int) -> tuple[Samples, float]:
        # Keep a short tail of the pause: Whisper likes a little silence after the last word.
        # The same tail whatever the pause, so a tentative chunk equals its final one.
        keep = len(frames) - max(0, silent - _TAIL_FRAMES)
        ended = (self._position - silent * self.frame) / SAMPLE_RATE
        return np.concatenate(frames[:keep]), ended
