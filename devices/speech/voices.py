"""Which voices this machine has for each kiosk language (for ``kiosk doctor`` and the speaker).

Japanese is spoken by Open JTalk (pyopenjtalk-plus; its dictionary comes with the wheel or is
installed by IT, see :mod:`devices.speech.japanese_dictionary`), because
espeak-ng reads every kanji as "Chinese letter". Other languages use pyttsx3: SAPI5 voices on
Windows, espeak-ng on Linux.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from devices.speech.japanese_dictionary import (
    FRONTEND_OPTIONS,
    INSTALL_HINT,
    DictionaryMissing,
    load_pyopenjtalk,
)
from devices.speech.voice_hints import missing_voice_check
from kiosk.doctor import Check, Status

__all__ = ["find_voices", "probe_voices", "system_voice_id", "system_voice_tag"]

# BCP 47 primary tag -> the language tags the system voices use for it.
_SYSTEM_TAGS: dict[str, tuple[str, ...]] = {
    "en": ("en-us", "en-gb", "en"),
    "vi": ("vi",),
    "zh": ("cmn", "zh"),
    "ne": ("ne",),
    "id": ("id",),
    "tl": ("tl", "fil"),
    "ko": ("ko",),
    "pt": ("pt-br", "pt"),
    "th": ("th",),
    "es": ("es-419", "es"),
}


def _primary(tag: str) -> str:
    return tag.split("-", maxsplit=1)[0].split("_", maxsplit=1)[0].lower()


@functools.lru_cache(maxsize=1)
def _system_voices() -> tuple[tuple[str, str], ...]:
    """``(voice id, language tag)`` of every pyttsx3 voice, lower-case tags."""
    import pyttsx3  # noqa: PLC0415 - loads a native speech library

    engine = pyttsx3.init()
    found: list[tuple[str, str]] = []
    for voice in engine.getProperty("voices"):
        for raw in voice.languages or []:
            text = raw.decode(errors="ignore") if isinstance(raw, bytes) else str(raw)
            found.append((str(voice.id), text.strip("\x05").lower()))
    return tuple(found)


def _open_jtalk_ready() -> str | None:
    """The Open JTalk dictionary loads and reads kanji; ``None`` when it does not."""
    return None if _open_jtalk_problem() else "Open JTalk (pyopenjtalk-plus)"


def _open_jtalk_problem() -> str:
    """Why Open JTalk cannot speak Japanese here ('' when it can)."""
    try:
        pyopenjtalk = load_pyopenjtalk()
        reading = pyopenjtalk.g2p("窓口", kana=True, **FRONTEND_OPTIONS)
    except DictionaryMissing:
        return "Japanese reading dictionary not installed"
    except Exception as exc:  # any failure (broken wheel, unreadable dictionary): no voice
        return f"Open JTalk failed: {type(exc).__name__}: {exc}"
    return "" if reading else "Open JTalk read nothing"


def _system_match(language: str) -> tuple[str, str] | None:
    """``(voice id, language tag)`` of the system voice for a BCP 47 tag, if any."""
    try:
        voices = _system_voices()
    except Exception:  # no speech library at all: no voice
        return None
    return _match(voices, _primary(language))


def _match(voices: tuple[tuple[str, str], ...], primary: str) -> tuple[str, str] | None:
    """The voice for a primary language tag: an exact tag first, then one with a region.

    espeak-ng names its voices "vi", "cmn", "en-us"; SAPI5 (Windows) reports the region with
    every language ("vi-vn", "zh-cn", "ko-kr"), which an exact match would never find.
    """
    wanted = _SYSTEM_TAGS.get(primary, (primary,))
    exact = next(((vid, lang) for want in wanted for vid, lang in voices if lang == want), None)
    if exact is not None:
        return exact
    return next(((vid, lang) for want in wanted for vid, lang in voices
                 if lang.split("-", 1)[0] == want), None)


def system_voice_id(language: str) -> str | None:
    """The pyttsx3 voice id that speaks ``language`` (BCP 47), or ``None``."""
    match = _system_match(language)
    return match[0] if match else None


def system_voice_tag(language: str) -> str | None:
    """The system's language tag for ``language`` (what ``espeak-ng -v`` takes), or ``None``."""
    match = _system_match(language)
    return match[1] if match else None


def find_voices(languages: Iterable[str]) -> dict[str, str | None]:
    """For each BCP 47 tag, a description of the voice that would speak it, or ``None``."""
    result: dict[str, str | None] = {}
    voices: tuple[tuple[str, str], ...] | None = None
    for tag in languages:
        primary = _primary(tag)
        if primary == "ja":
            result[tag] = _open_jtalk_ready()
            continue
        if voices is None:
            try:
                voices = _system_voices()
            except Exception:  # no speech library at all: every language reports "no voice"
                voices = ()
        match = _match(voices, primary)
        result[tag] = f"system voice {match[0]}" if match else None
    return result


def probe_voices(languages: Iterable[str]) -> list[Check]:
    """One check per configured language; a missing voice is a warning (text still shows)."""
    checks = []
    for tag, voice in find_voices(dict.fromkeys(languages)).items():
        if voice:
            checks.append(Check(f"speech.{tag}", Status.OK, voice))
        elif _primary(tag) == "ja":
            checks.append(Check(f"speech.{tag}", Status.WARN,
                                f"{_open_jtalk_problem()}: shown as text only",
                                f"Install the dictionary: {INSTALL_HINT}."))
        else:
            checks.append(missing_voice_check(tag, _installed_voice_count()))
    return checks


def _installed_voice_count() -> int | None:
    """How many system voices there are; ``None`` when there is no speech engine."""
    try:
        voices = _system_voices()
    except Exception:  # no speech library or engine at all
        return None
    return len({voice_id for voice_id, _tag in voices}) or None
