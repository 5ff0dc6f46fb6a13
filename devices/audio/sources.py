"""Where microphone PCM comes from: a capture command, a WAV file, or samples in memory.

``devices`` may not use Qt, so the default capture is a command that writes raw 16 kHz mono
signed 16-bit PCM to stdout (``arecord`` with ALSA/PulseAudio/PipeWire on Linux, ``ffmpeg
-f dshow`` on Windows), configured in ``[models] microphone``. The same stream shape serves
the WAV reader of the demo, tests and benchmarks.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import IO, Protocol

import numpy as np

from devices.audio.vad import SAMPLE_RATE, Samples
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["BLOCK", "ArraySource", "CommandSource", "PcmSource", "WavFileSource", "default_capture_command",
           "pcm16_to_float"]

# 50 ms per read: the chunker sees the end of a pause at most one block late.
BLOCK = SAMPLE_RATE // 20


class PcmSource(Protocol):
    """A stream of 16 kHz mono float32 samples."""

    def read(self) -> Samples | None:
        """The next block (about 50 ms), or ``None`` at the end of the stream."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


def pcm16_to_float(data: bytes) -> Samples:
    """Signed 16-bit little-endian PCM -> float32 in [-1, 1]."""
    usable = len(data) - len(data) % 2
    return (np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0)


def default_capture_command() -> list[str]:
    """The capture command used when ``[models] microphone`` is empty."""
    if sys.platform.startswith("win"):
        return ["ffmpeg", "-loglevel", "quiet", "-f", "dshow", "-i", "audio=default",
                "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-"]
    return ["arecord", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(SAMPLE_RATE)]


class CommandSource:
    """Runs a capture command and reads its stdout.

    Raises:
        DeviceError: the command is missing or exits at once (no microphone).
    """

    def __init__(self, command: str | list[str] | None = None) -> None:
        argv = shlex.split(command) if isinstance(command, str) and command else (
            command if isinstance(command, list) else default_capture_command())
        if shutil.which(argv[0]) is None:
            raise DeviceError(S_("Microphone capture command not found: {command}."),
                              command=argv[0])
        self._process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self._process.stdout is not None
        self._stdout: IO[bytes] = self._process.stdout

    def read(self) -> Samples | None:
        """Blocks until 50 ms of audio arrived; ``None`` when the command ended."""
        data = self._stdout.read(BLOCK * 2)
        return pcm16_to_float(data) if data else None

    def close(self) -> None:
        """Stop the capture command."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stdout.close()


class ArraySource:
    """Plays samples held in memory, optionally at real-time pace (demo, tests, benchmarks)."""

    def __init__(self, samples: Samples, *, realtime: bool = False) -> None:
        self._samples = samples.astype(np.float32, copy=False)
        self._position = 0
        self._realtime = realtime
        self._started = time.monotonic()

    def read(self) -> Samples | None:
        """The next 50 ms block."""
        if self._position >= len(self._samples):
            return None
        block = self._samples[self._position:self._position + BLOCK]
        self._position += BLOCK
        if self._realtime:
            due = self._started + self._position / SAMPLE_RATE
            time.sleep(max(0.0, due - time.monotonic()))
        return block

    def close(self) -> None:
        """Nothing to release."""


class WavFileSource(ArraySource):
    """A 16-bit mono WAV file, resampled to 16 kHz when needed."""

    def __init__(self, path: Path, *, realtime: bool = False) -> None:
        super().__init__(read_wav(path), realtime=realtime)


def read_wav(path: Path) -> Samples:
    """A 16-bit WAV file as 16 kHz mono float32 (channels mixed, rate converted linearly)."""
    with wave.open(str(path), "rb") as wav:
        rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
        frames = wav.readframes(wav.getnframes())
    if width != 2:
        raise DeviceError(S_("{file}: only 16-bit WAV files are supported."), file=str(path))
    samples = pcm16_to_float(frames).reshape(-1, channels).mean(axis=1).astype(np.float32)
    return resample(samples, rate)


def resample(samples: Samples, rate: int) -> Samples:
    """Linear resampling to 16 kHz: enough for speech recognition of synthesized voices."""
    if rate == SAMPLE_RATE:
        return samples
    count = round(len(samples) * SAMPLE_RATE / rate)
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
