"""Where synthesized audio goes: the loudspeaker, or numbered WAV files (demo, training, tests)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from devices.speech.audio import Audio
from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["AudioSink", "FileSink", "PlayerSink"]

# Command-line players that read a WAV file and return when it finished playing.
_PLAYERS = (("pw-play", ()), ("paplay", ()), ("aplay", ("-q",)), ("ffplay", ("-nodisp", "-autoexit",
                                                                           "-loglevel", "quiet")))


class AudioSink(Protocol):
    """Plays (or keeps) one piece of audio; returns when it is done."""

    def play(self, audio: Audio, kind: str, language: str) -> None:
        """Play ``audio``; ``kind`` is "chime" or "speech"."""
        ...

    def probe(self) -> Sequence[Check]:
        """Self-test for ``kiosk doctor``."""
        ...


class FileSink:
    """Writes each piece of audio to ``<folder>/<n>-<kind>-<language>.wav`` (no text in names).

    Only the last ``keep`` files stay, and a new sink empties the folder: with a headset the
    audio may hold personal data, and a file must not outlive its purpose.
    """

    def __init__(self, folder: Path, keep: int = 50) -> None:
        self.folder = folder
        self.keep = keep
        self._lock = threading.Lock()
        self._count = 0
        self._written: deque[Path] = deque()
        if folder.is_dir():
            for old in folder.glob("*.wav"):
                old.unlink(missing_ok=True)

    def play(self, audio: Audio, kind: str, language: str) -> None:
        """Write the WAV file (and drop the oldest beyond ``keep``)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._lock:
            self._count += 1
            number = self._count
        name = f"{number:05d}-{kind}-{language or 'none'}.wav"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(audio.wav_bytes())
        # Rename when complete, so a reader never sees half a file.
        partial.replace(self.folder / name)
        with self._lock:
            self._written.append(self.folder / name)
            while len(self._written) > self.keep:
                self._written.popleft().unlink(missing_ok=True)

    def written(self) -> list[Path]:
        """The WAV files written so far, in order."""
        return sorted(self.folder.glob("*.wav")) if self.folder.is_dir() else []

    def probe(self) -> list[Check]:
        """The folder is writable."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            ok = self.folder.is_dir()
        except OSError:
            ok = False
        return [Check("speech.output", Status.OK if ok else Status.FAIL,
                      f"speech written as WAV files to {self.folder}",
                      "" if ok else "Make the speech output folder writable.")]


class PlayerSink:
    """Plays through the system's sound output: winsound on Windows, a player program on Linux."""

    def __init__(self) -> None:
        self._player = _find_player()

    def play(self, audio: Audio, kind: str, language: str) -> None:
        """Play and wait until done.

        Raises:
            kiosk.errors.DeviceError: no way to play sound, or the player failed.
        """
        if sys.platform == "win32":
            import winsound  # noqa: PLC0415 - Windows only

            winsound.PlaySound(audio.wav_bytes(), winsound.SND_MEMORY)
            return
        if self._player is None:
            raise DeviceError(S_("No sound player found (install pipewire-bin, pulseaudio-utils "
                                 "or alsa-utils)."))
        with tempfile.NamedTemporaryFile(suffix=".wav") as handle:
            handle.write(audio.wav_bytes())
            handle.flush()
            done = subprocess.run([*self._player, handle.name], capture_output=True,
                                  timeout=60, check=False)
        if done.returncode != 0:
            raise DeviceError(S_("The sound player failed ({reason})."),
                              reason=done.stderr.decode(errors="replace").strip()[:200])

    def probe(self) -> list[Check]:
        """Whether a player exists."""
        if sys.platform == "win32":
            return [Check("speech.output", Status.OK, "Windows sound output (winsound)")]
        if self._player is None:
            return [Check("speech.output", Status.WARN,
                          "no sound player: call-outs are shown but not heard",
                          "Debian: apt install pipewire-bin, pulseaudio-utils or alsa-utils.")]
        return [Check("speech.output", Status.OK, f"sound played with {self._player[0]}")]


def _find_player() -> list[str] | None:
    for name, options in _PLAYERS:
        found = shutil.which(name)
        if found is not None:
            return [found, *options]
    return None
