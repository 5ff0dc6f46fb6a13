"""Voice guidance at the tablet: what the screens say aloud, in the visit's language.

:class:`kiosk.services.visit.Visit` owns one (``visit.voice``); personal data is only spoken
through a headset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.errors import UserFacingError
from kiosk.i18n import language
from kiosk.ports import Speaker

__all__ = ["VoiceGuidance"]

_log = logging.getLogger(__name__)


class VoiceGuidance:
    """Speaks the screens' texts when the visitor turned voice guidance on.

    Args:
        speaker: the text-to-speech device (``None``: the tablet has none).
        headset: personal data may be spoken (only through a headset).
        language: the visit's language now (a catalog code).
    """

    def __init__(self, speaker: Speaker | None, headset: bool,
                 language: Callable[[], str]) -> None:
        self.speaker = speaker
        self.headset = headset
        self.enabled = speaker is not None
        self._language = language

    def say(self, text: str, *, personal: bool = False, language_code: str | None = None) -> bool:
        """Speak ``text`` when voice guidance is on; personal data only through a headset.

        Returns whether it was handed to the speaker.
        """
        if not self.enabled or self.speaker is None or not text.strip():
            return False
        if personal and not self.headset:
            return False
        bcp47 = language(language_code or self._language()).bcp47
        try:
            self.speaker.say(text, bcp47)
        except UserFacingError:
            _log.warning("voice guidance failed")
            return False
        return True
