"""Synthesized speech and error rates for the caption tests and the caption benchmark.

Voices are the speech engines the project has: Open JTalk (pyopenjtalk) for Japanese, with
speed and pitch as its "voices", and espeak-ng (the engine under pyttsx3 on Linux) for the
visitor's languages. Samples are 16 kHz mono float32, as the microphone gives them.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from devices.audio.sources import read_wav, resample
from devices.audio.vad import SAMPLE_RATE

__all__ = ["ENGLISH_VOICES", "JAPANESE_VOICES", "cer", "english_words", "espeak",
           "japanese_chars", "open_jtalk", "pcm_file", "stream", "wav_file", "wer"]

# (voice, words per minute): American, British and a female variant, at three speeds.
ENGLISH_VOICES = (("en-us", 150), ("en-gb", 190), ("en-us+f3", 130))
# (speed, half tones): the default voice, a faster higher one, a slower lower one.
JAPANESE_VOICES = ((1.0, 0.0), (1.3, 3.0), (0.85, -3.0))

_NUMBERS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
            "six": "6", "seven": "7", "eight": "8", "nine": "9", "twenty": "20",
            "hundred": "100"}


def espeak(text: str, voice: str = "en-us", speed: int = 150) -> np.ndarray:
    """``text`` said by espeak-ng's ``voice`` at ``speed`` words a minute."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "said.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text],
                       check=True)
        return read_wav(path)


def open_jtalk(text: str, speed: float = 1.0, half_tone: float = 0.0) -> np.ndarray:
    """``text`` said by Open JTalk at ``speed``, pitched by ``half_tone``."""
    import pyopenjtalk

    samples, rate = pyopenjtalk.tts(text, speed=speed, half_tone=half_tone)
    return resample((np.asarray(samples) / 32768.0).astype(np.float32), rate)


def stream(clips: Sequence[np.ndarray], pause_s: float = 1.0) -> np.ndarray:
    """The clips one after the other, with a pause before, between and after them."""
    pause = np.zeros(int(pause_s * SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([pause, *[np.concatenate([clip, pause]) for clip in clips]])


def pcm_file(samples: np.ndarray, path: Path) -> Path:
    """Write ``samples`` as the raw 16-bit PCM a capture command prints (``cat path``)."""
    path.write_bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def wav_file(samples: np.ndarray, path: Path) -> Path:
    """Write ``samples`` as a 16 kHz mono WAV file (a microphone a PyAV input stands in for)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def _distance(a: Sequence[str], b: Sequence[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def japanese_chars(text: str) -> list[str]:
    """Characters of ``text`` without punctuation and spaces (NFKC: "３" is "3")."""
    text = unicodedata.normalize("NFKC", text)
    return [c for c in text if not unicodedata.category(c).startswith(("P", "Z")) and c.strip()]


def english_words(text: str) -> list[str]:
    """Lower-case words, number words as digits ("one two" and "1-2" are both "1 2")."""
    words = re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split()
    return [_NUMBERS.get(word, word) for word in words]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate (Japanese, Chinese, Vietnamese letters)."""
    ref = japanese_chars(reference)
    return _distance(ref, japanese_chars(hypothesis)) / max(1, len(ref))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate (English, Vietnamese syllables)."""
    ref = english_words(reference)
    return _distance(ref, english_words(hypothesis)) / max(1, len(ref))
