"""What one device of a counter signals to the other beside the conversation's lines.

Someone asks to open or close the visitor's microphone (the visitor's speak button, the
clerk's 来庁者のマイク toggle) and the device that has it says when it opened or closed; the clerk
shows the visitor a fixed notice (an application went back to them). Each is published here as
an event and sent through the conversation's :class:`~kiosk.services.presence.CounterLink` to
the other device, which publishes the same event there. The conversation
(:class:`kiosk.services.conversation.Conversation`) owns one (``conversation.signals``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.counter_messages import MicChanged, MicRequested, NoticeShown, RelayMessage
from kiosk.events import Event, EventBus
from kiosk.i18n import language
from kiosk.services.presence import CounterLink

__all__ = ["CounterNotice", "CounterSignals", "VisitorMicRequested", "VisitorMicState"]


@dataclass(frozen=True, slots=True)
class VisitorMicRequested(Event):
    """Someone (the visitor's speak button, the clerk's 来庁者のマイク toggle) asked to open or
    close the visitor's microphone; the device that has it acts
    (:class:`~kiosk.services.visitor_speech.VisitorSpeech`)."""

    on: bool


@dataclass(frozen=True, slots=True)
class VisitorMicState(Event):
    """The visitor's microphone opened or closed (on whichever device of the counter has it)."""

    listening: bool


@dataclass(frozen=True, slots=True)
class CounterNotice(Event):
    """A fixed notice for the visitor, from the clerk (an application went back to them).

    ``message_id`` is a catalog message id, never free text: the visitor's screen shows its
    human translation in ``language`` (the catalog code they applied in).
    """

    message_id: str
    language: str


class CounterSignals:
    """The visitor's microphone and the clerk's notices, on both devices of a counter.

    Args:
        link: this device's end of the counter's relay.
        events: where :class:`VisitorMicRequested`, :class:`VisitorMicState` and
            :class:`CounterNotice` are published.
    """

    def __init__(self, link: CounterLink, events: EventBus) -> None:
        self._link = link
        self._events = events

    def request_microphone(self, on: bool) -> None:
        """Ask the device of the counter that has the visitor's microphone to open (or close)
        it: this one, or the other one through the relay."""
        self._events.publish(VisitorMicRequested(on))
        self._link.send(MicRequested(self._link.origin, on))

    def microphone_changed(self, listening: bool) -> None:
        """The visitor's microphone on this device opened or closed: both screens show it."""
        self._events.publish(VisitorMicState(listening))
        self._link.send(MicChanged(self._link.origin, listening))

    def notice(self, message_id: str, language_code: str) -> None:
        """Show the visitor a fixed notice (a catalog message id) in ``language_code``, on
        this device and on the other device of the counter (the citizen's tablet).

        Raises:
            KeyError: an unknown language code.
        """
        language(language_code)
        self._events.publish(CounterNotice(message_id, language_code))
        self._link.send(NoticeShown(self._link.origin, message_id, language_code))

    def receive(self, message: RelayMessage) -> bool:
        """Publish what the other device signalled; ``False`` when ``message`` is no signal.

        Raises:
            KeyError: a notice in a language this build does not know.
        """
        match message:
            case NoticeShown(message_id=message_id, language=code):
                language(code)
                self._events.publish(CounterNotice(message_id, code))
            case MicRequested(on=on):
                self._events.publish(VisitorMicRequested(on))
            case MicChanged(listening=listening):
                self._events.publish(VisitorMicState(listening))
            case _:
                return False
        return True
