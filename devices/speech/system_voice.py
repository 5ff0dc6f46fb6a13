"""Speech in languages other than Japanese: espeak-ng on Linux, SAPI5 (pyttsx3) on Windows.

pyttsx3 2.99's ``save_to_file()`` + ``runAndWait()`` returns before the WAV is written with
the espeak-ng driver (an empty file, or audio under the next call's name). On Linux we call
the ``espeak-ng -w`` program instead, which writes the whole file before it exits; through
pyttsx3 (Windows) we wait for the ``finished-utterance`` callback and a complete WAV header.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from devices.speech.audio import Audio, read_wav
from devices.speech.voices import system_voice_id, system_voice_tag
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["NoVoiceError", "synthesize_system"]

_TIMEOUT_S = 20.0
_lock = threading.Lock()   # one pyttsx3 engine loop at a time


class NoVoiceError(DeviceError):
    """This machine has no voice for the language (the text is still shown)."""


def synthesize_system(text: str, language: str) -> Audio:
    """Speak ``text`` in ``language`` (BCP 47) with the system's voice.

    Raises:
        NoVoiceError: no voice for the language.
        kiosk.errors.DeviceError: the speech program failed.
    """
    with tempfile.TemporaryDirectory(prefix="kiosk-speech-") as folder:
        target = Path(folder) / "utterance.wav"
        espeak = shutil.which("espeak-ng")
        if espeak is not None:
            _espeak_to_file(espeak, text, language, target)
        else:
            _pyttsx3_to_file(text, language, target)
        return read_wav(target)


def _espeak_to_file(program: str, text: str, language: str, target: Path) -> None:
    voice = system_voice_tag(language)
    if voice is None:
        raise NoVoiceError(S_("No speech voice for language {language}."), language=language)
    # The text goes on stdin, not the command line, so it never shows in a process list.
    done = subprocess.run([program, "-v", voice, "-w", str(target), "--stdin"],
                          input=text.encode("utf-8"), capture_output=True,
                          timeout=_TIMEOUT_S, check=False)
    if done.returncode != 0 or not target.is_file():
        raise DeviceError(S_("The speech program failed ({reason})."),
                          reason=done.stderr.decode(errors="replace").strip()[:200])


def _pyttsx3_to_file(text: str, language: str, target: Path) -> None:
    import pyttsx3  # noqa: PLC0415 - loads SAPI5 / espeak-ng

    voice = system_voice_id(language)
    if voice is None:
        raise NoVoiceError(S_("No speech voice for language {language}."), language=language)
    finished = threading.Event()
    with _lock:
        engine = pyttsx3.init()
        engine.setProperty("voice", voice)
        token = engine.connect("finished-utterance", lambda name, completed: finished.set())
        try:
            engine.save_to_file(text, str(target), "kiosk-utterance")
            engine.runAndWait()
            if not finished.wait(_TIMEOUT_S):
                raise DeviceError(S_("The speech program failed ({reason})."),
                                  reason="no finished-utterance callback")
        finally:
            engine.disconnect(token)
    _wait_for_complete_wav(target)


def _wait_for_complete_wav(target: Path) -> None:
    """Wait until the WAV file exists with a data size that stopped growing."""
    deadline = time.monotonic() + _TIMEOUT_S
    last = -1
    while time.monotonic() < deadline:
        size = target.stat().st_size if target.exists() else 0
        if size > 44 and size == last:
            return
        last = size
        time.sleep(0.05)
    raise DeviceError(S_("The speech program failed ({reason})."), reason="no audio file written")
