"""Text to audio in any kiosk language: Open JTalk for Japanese, the system voice otherwise."""

from __future__ import annotations

from collections.abc import Callable

from devices.speech.audio import Audio
from devices.speech.open_jtalk import synthesize_japanese
from devices.speech.phrase_cache import PhraseCache
from devices.speech.system_voice import synthesize_system

__all__ = ["Synthesizer"]

Engine = Callable[[str, str], Audio]


def _japanese(text: str, language: str) -> Audio:
    return synthesize_japanese(text)


def _is_japanese(language: str) -> bool:
    # "ja" and "ja-x-easy" (やさしい日本語) are both spoken by Open JTalk.
    return language.lower().replace("_", "-").split("-", 1)[0] == "ja"


class Synthesizer:
    """Renders phrases, serving repeats from a :class:`PhraseCache`."""

    def __init__(self, cache: PhraseCache | None = None, *, japanese: Engine = _japanese,
                 other: Engine = synthesize_system) -> None:
        self.cache = cache if cache is not None else PhraseCache()
        self._japanese = japanese
        self._other = other

    def render(self, text: str, language: str) -> Audio:
        """The audio of ``text`` in ``language`` (BCP 47).

        Raises:
            devices.speech.system_voice.NoVoiceError: no voice for the language.
            kiosk.errors.DeviceError: the speech engine failed.
        """
        cached = self.cache.get(language, text)
        if cached is not None:
            return cached
        engine = self._japanese if _is_japanese(language) else self._other
        audio = engine(text, language)
        self.cache.put(language, text, audio)
        return audio
