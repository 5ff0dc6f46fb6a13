"""The visitor speaks too: their microphone at the counter, captioned for both sides.

The visitor presses "speak" on the tablet's talk page (or the clerk turns on 来庁者のマイク);
the device of the counter that has the visitor's microphone (``[models]
visitor_microphone``) opens it and recognises what is said in the language the visitor chose.
Each utterance becomes a line of the :class:`~kiosk.services.conversation.Conversation`: the
visitor reads it as they said it, the clerk reads it in Japanese, translated by a direct
model or, where none exists, from Whisper's own English through English -> Japanese.

Same rules as the clerk's captions: no audio is kept anywhere (the microphone's samples live
in the recognizer's queue only), the text lives in the conversation only and goes with the
visit's wipe, which also closes the microphone. Nothing here logs what was said.
"""

from __future__ import annotations

import logging
import threading

from kiosk.errors import KioskError
from kiosk.events import EventBus, Subscription
from kiosk.i18n import language
from kiosk.ports import SpeechListener, Utterance
from kiosk.services.conversation import Conversation, ConversationCleared, VisitorLanguageChanged
from kiosk.services.counter_signals import VisitorMicRequested

__all__ = ["VisitorSpeech"]

_log = logging.getLogger(__name__)


class VisitorSpeech:
    """Opens and closes the visitor's microphone on request and captions what it hears.

    Args:
        conversation: the visit's conversation (gets the lines, tells both screens the state).
        events: where :class:`VisitorMicRequested`, :class:`VisitorLanguageChanged` and
            :class:`ConversationCleared` arrive (from this device or through the relay).
        listener: the visitor's microphone and its recognizer.
    """

    def __init__(self, conversation: Conversation, events: EventBus,
                 listener: SpeechListener) -> None:
        self._conversation = conversation
        self._listener = listener
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = [
            events.subscribe(VisitorMicRequested, lambda e: self.start() if e.on else self.stop()),
            events.subscribe(VisitorLanguageChanged, lambda _e: self._restart()),
            events.subscribe(ConversationCleared, lambda _e: self.stop()),
        ]

    @property
    def listening(self) -> bool:
        """Whether the visitor's microphone is open."""
        return self._listener.listening

    def start(self) -> None:
        """Open the microphone in the visitor's language (again, if it was open)."""
        code = self._conversation.visitor_language
        with self._lock:
            try:
                self._listener.start(language(code).bcp47, self._on_utterance,
                                     english=self._conversation.needs_english())
            except KioskError:
                # No microphone: the screens keep showing it closed; the class only is logged.
                _log.warning("visitor microphone did not open", exc_info=True)
                return
        self._conversation.signals.microphone_changed(True)

    def stop(self) -> None:
        """Close the microphone (the visit ended, or someone closed it)."""
        with self._lock:
            was_open = self._listener.listening
            self._listener.stop()
        if was_open:
            self._conversation.signals.microphone_changed(False)

    def close(self) -> None:
        """Stop and unsubscribe (the device shuts down)."""
        self.stop()
        for subscription in self._subscriptions:
            subscription.close()

    def _restart(self) -> None:
        if self._listener.listening:
            self.start()

    def _on_utterance(self, utterance: Utterance) -> None:
        # The listener's thread: the conversation publishes, the screens draw on their own.
        self._conversation.add_citizen_speech(utterance, utterance.english)
