"""Mono 16-bit PCM audio in memory: WAV encoding and decoding, silence, joining, and the chime.

Pure Python (``array`` and ``wave``), so the call-out chain works the same on every machine and
tests can check what would have been played.
"""

from __future__ import annotations

import array
import io
import math
import sys
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Audio", "chime", "join", "read_wav", "silence"]

_MAX = 32767


@dataclass(frozen=True, slots=True)
class Audio:
    """Mono signed 16-bit little-endian samples at ``rate`` Hz."""

    pcm: bytes
    rate: int

    def __repr__(self) -> str:
        return f"Audio({self.seconds:.2f} s at {self.rate} Hz)"

    @property
    def seconds(self) -> float:
        """Duration."""
        return len(self.pcm) / 2 / self.rate

    def peak(self) -> int:
        """The largest absolute sample value (0 for silence)."""
        samples = _samples(self.pcm)
        return max((abs(value) for value in samples), default=0)

    def wav_bytes(self) -> bytes:
        """The audio as a complete WAV file."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate)
            out.writeframes(self.pcm)
        return buffer.getvalue()

    def resampled(self, rate: int) -> Audio:
        """The audio at ``rate`` Hz (linear interpolation; speech only needs to stay clear)."""
        if rate == self.rate or not self.pcm:
            return Audio(self.pcm, rate)
        source = _samples(self.pcm)
        count = max(1, round(len(source) * rate / self.rate))
        step = (len(source) - 1) / max(count - 1, 1)
        out = array.array("h", bytes(2 * count))
        for index in range(count):
            position = index * step
            low = int(position)
            high = min(low + 1, len(source) - 1)
            fraction = position - low
            out[index] = round(source[low] * (1 - fraction) + source[high] * fraction)
        return Audio(_to_bytes(out), rate)


def _samples(pcm: bytes) -> array.array[int]:
    samples = array.array("h")
    samples.frombytes(pcm)
    if sys.byteorder == "big":   # WAV is little-endian; array uses the machine's order
        samples.byteswap()
    return samples


def _to_bytes(samples: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def read_wav(source: Path | bytes) -> Audio:
    """Decode a PCM WAV file (mono or stereo, 8 or 16 bit) into mono 16-bit audio."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    with stream, wave.open(stream, "rb") as wav:
        channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    if width == 1:   # 8-bit WAV is unsigned
        frames = b"".join(((b - 128) << 8).to_bytes(2, "little", signed=True) for b in frames)
    samples = _samples(frames)
    if channels > 1:
        samples = array.array("h", (round(sum(samples[i:i + channels]) / channels)
                                    for i in range(0, len(samples), channels)))
    return Audio(_to_bytes(samples), rate)


def silence(seconds: float, rate: int) -> Audio:
    """``seconds`` of silence."""
    return Audio(bytes(2 * round(seconds * rate)), rate)


def join(parts: Iterable[Audio], rate: int) -> Audio:
    """One audio of ``parts`` in order, all brought to ``rate``."""
    return Audio(b"".join(part.resampled(rate).pcm for part in parts), rate)


def chime(rate: int = 48000) -> Audio:
    """The two-note call chime (ピンポーン): E6 then C6, each a bell-like decaying sine.

    Two falling notes are the usual Japanese public-address signal: people look up before the
    words start, which matters because the first syllables are otherwise missed.
    """
    notes = ((1318.5, 0.35), (1046.5, 0.9))
    out = array.array("h")
    for frequency, seconds in notes:
        count = round(seconds * rate)
        for index in range(count):
            t = index / rate
            envelope = math.exp(-4.0 * t) * min(1.0, index / (0.005 * rate))
            value = 0.45 * envelope * (math.sin(2 * math.pi * frequency * t)
                                       + 0.3 * math.sin(4 * math.pi * frequency * t))
            out.append(max(-_MAX, min(_MAX, round(value * _MAX))))
    return Audio(_to_bytes(out), rate)
