"""Windows-only device paths (SAPI5 voices, winsound, DirectShow capture), run on Linux.

The platform is injected (``sys.platform``) and the Windows APIs are fakes that record what the
kiosk asks of them; the fakes behave as the real ones are documented to.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from devices.audio.sources import SAMPLE_RATE, default_capture_command
from devices.speech import system_voice, voices
from devices.speech.audio import Audio
from devices.speech.sinks import PlayerSink
from kiosk.doctor import Status

# What pyttsx3's SAPI5 driver reports on a Japanese Windows 11 with extra voices: the language
# comes from the voice's LCID with its region ("vi-VN"), unlike espeak-ng's "vi".
SAPI5_VOICES = (
    (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_JA-JP_HARUKA_11.0", "ja-jp"),
    (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0", "en-us"),
    (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_VI-VN_AN_11.0", "vi-vn"),
    (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ZH-CN_HUIHUI_11.0", "zh-cn"),
    (r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_KO-KR_HEAMI_11.0", "ko-kr"),
)


@pytest.fixture
def sapi5(monkeypatch):
    monkeypatch.setattr(voices, "_system_voices", lambda: SAPI5_VOICES)


@pytest.mark.parametrize(("language", "token"), [
    ("en", "EN-US_ZIRA"), ("vi", "VI-VN_AN"), ("zh-Hans", "ZH-CN_HUIHUI"), ("ko", "KO-KR_HEAMI"),
])
def test_system_voice__sapi5_tags_with_region__found(sapi5, language, token):
    voice = voices.system_voice_id(language)

    assert voice is not None
    assert token in voice


def test_probe_voices__sapi5_without_nepali__warns_only_for_nepali(sapi5):
    checks = {c.name: c.status for c in voices.probe_voices(["en", "vi", "ne"])}

    assert checks == {"speech.en": Status.OK, "speech.vi": Status.OK, "speech.ne": Status.WARN}


class _FakeEngine:
    """pyttsx3's engine as SAPI5 drives it: save_to_file + runAndWait, then the callback."""

    def __init__(self, calls: list[tuple[str, object]]) -> None:
        self.calls = calls
        self._callback = None
        self._job: tuple[str, str] | None = None

    def setProperty(self, name, value):  # noqa: N802 - pyttsx3's API
        self.calls.append((name, value))

    def connect(self, topic, callback):
        self._callback = callback
        return topic

    def disconnect(self, token):
        self.calls.append(("disconnect", token))

    def save_to_file(self, text, path, name):
        self._job = (text, path)

    def runAndWait(self):  # noqa: N802 - pyttsx3's API
        assert self._job is not None
        Path(self._job[1]).write_bytes(Audio(b"\x01\x00" * 800, 16000).wav_bytes())
        self._callback("kiosk-utterance", True)


def test_synthesize_system__windows_without_espeak__sapi5_voice_through_pyttsx3(
        sapi5, monkeypatch):
    calls: list[tuple[str, object]] = []
    fake = types.ModuleType("pyttsx3")
    fake.init = lambda: _FakeEngine(calls)          # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)
    monkeypatch.setattr(system_voice.shutil, "which", lambda _name: None)   # no espeak-ng

    audio = system_voice.synthesize_system("Please come to counter 3.", "vi")

    assert (audio.rate, len(audio.pcm)) == (16000, 1600)
    assert ("voice", SAPI5_VOICES[2][0]) in calls
    assert ("disconnect", "finished-utterance") in calls


def test_player_sink__windows__plays_the_wav_from_memory_with_winsound(monkeypatch):
    played: list[tuple[bytes, int]] = []
    winsound = types.ModuleType("winsound")
    winsound.SND_MEMORY = 4                                            # type: ignore[attr-defined]
    winsound.PlaySound = lambda data, flags: played.append((data, flags))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "winsound", winsound)
    monkeypatch.setattr(sys, "platform", "win32")
    audio = Audio(b"\x00\x01" * 100, 22050)
    sink = PlayerSink()

    sink.play(audio, "speech", "ja")
    [check] = sink.probe()

    assert played == [(audio.wav_bytes(), 4)]
    assert check.status is Status.OK


def test_capture_command__windows__ffmpeg_directshow_16k_mono(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")

    command = default_capture_command()

    assert command[0] == "ffmpeg"
    assert command[command.index("-f") + 1] == "dshow"
    assert command[command.index("-ar") + 1] == str(SAMPLE_RATE)
    assert command[-3:] == ["-f", "s16le", "-"]
