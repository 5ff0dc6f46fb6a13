"""The doctor's hint for a language without a voice names what is really missing."""

from __future__ import annotations

import pytest

from devices.speech import voices
from devices.speech.voice_hints import missing_voice_check
from kiosk.doctor import Status


def test_missing_voice__espeak_installed_without_tagalog__says_espeak_has_no_such_voice():
    check = missing_voice_check("tl", 131, platform="linux")

    assert check.status is Status.WARN
    assert "espeak-ng is installed" in check.detail
    assert "Tagalog (tl)" in check.detail
    assert "install espeak-ng" not in check.fix
    assert "no voice for Tagalog (tl)" in check.fix


def test_missing_voice__no_speech_engine__says_install_espeak_ng():
    check = missing_voice_check("tl", None, platform="linux")

    assert "no speech engine" in check.detail
    assert "apt install espeak-ng" in check.fix


def test_missing_voice__windows_without_the_voice__points_to_speech_settings():
    check = missing_voice_check("tl", 3, platform="win32")

    assert "Windows is installed" not in check.fix
    assert "Settings > Time & language > Speech" in check.fix


@pytest.mark.parametrize(("system", "expected"), [
    ((("gmw/en-us", "en-us"), ("aav/vi", "vi")), "none of its 2 voices"),
    (None, "no speech engine"),
])
def test_probe_voices__tagalog_missing__hint_follows_what_the_system_has(monkeypatch, system,
                                                                           expected):
    def fake_system_voices():
        if system is None:
            raise OSError("libespeak-ng.so.1: cannot open shared object file")
        return system

    monkeypatch.setattr(voices, "_system_voices", fake_system_voices)

    (check,) = voices.probe_voices(["tl"])

    assert check.name == "speech.tl"
    assert check.status is Status.WARN
    assert expected in check.detail
