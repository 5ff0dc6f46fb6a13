"""A citizen's visit at the tablet: the chosen language, from Welcome to the ticket.

The visit is the model the citizen screens bind to. It lives only in memory and is wiped
when the visit ends, so nothing personal outlives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.events import Event, EventBus
from kiosk.i18n import Translator, language, translator

__all__ = ["LanguageChanged", "Visit"]


@dataclass(frozen=True, slots=True)
class LanguageChanged(Event):
    """The citizen picked another language (a catalog code such as ``"vi"``)."""

    code: str


class Visit:
    """One citizen's session at a tablet."""

    def __init__(self, events: EventBus, default_language: str) -> None:
        self._events = events
        self._default_language = default_language
        self.language = default_language
        self.tr: Translator = translator(default_language)

    def set_language(self, code: str) -> None:
        """Switch language; everything already answered is kept."""
        language(code)  # raises KeyError for a language the kiosk does not know
        if code == self.language:
            return
        self.language = code
        self.tr = translator(code)
        self._events.publish(LanguageChanged(code))

    def end(self) -> None:
        """Forget the visit and return to the default language."""
        self.set_language(self._default_language)
