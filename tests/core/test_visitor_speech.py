"""The visitor's microphone: opened on request (here or from the other device), recognised in
the visitor's language, shown to the clerk in Japanese, closed with the visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pair_translator import PairTranslator

from devices.audio.scripted_listener import ScriptedListener
from kiosk.domain.counter_messages import LineKind, Party
from kiosk.events import EventBus
from kiosk.ports import Utterance
from kiosk.services.conversation import Conversation
from kiosk.services.counter_signals import VisitorMicState
from kiosk.services.presence import LocalRelay
from kiosk.services.visitor_speech import VisitorSpeech


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, 10, 30, tzinfo=UTC)


class Listener:
    """Records how it was started; says one line in English and one as said."""

    def __init__(self) -> None:
        self.started: list[tuple[str, bool]] = []
        self.listening = False
        self._say: Callable[[Utterance], None] | None = None

    def start(self, language: str, on_utterance: Callable[[Utterance], None], *,
              english: bool = False) -> None:
        self.started.append((language, english))
        self.listening = True
        self._say = on_utterance

    def say(self, text: str, english: str = "") -> None:
        assert self._say is not None
        self._say(Utterance(text, "vi", english=english))

    def stop(self) -> None:
        self.listening = False

    def probe(self) -> list[object]:
        return []


@pytest.mark.parametrize(("code", "said", "english", "started", "clerk_reads"), [
    # No vi->ja pack: Whisper's own English goes through en->ja.
    ("vi", "Xin cảm ơn", "Thank you", ("vi", True), "<en->ja>Thank you"),
    # A zh-Hans->ja pack: no English asked for, the words are translated directly.
    ("zh_Hans", "谢谢", "", ("zh-Hans", False), "<zh-Hans->ja>谢谢"),
])
def test_visitor_speech__visitor_says_a_line__clerk_reads_it_in_japanese(
        code: str, said: str, english: str, started: tuple[str, bool], clerk_reads: str) -> None:
    events, listener = EventBus(), Listener()
    conversation = Conversation(events, Clock(), PairTranslator(), code)
    VisitorSpeech(conversation, events, listener)

    conversation.signals.request_microphone(True)
    listener.say(said, english=english)

    line = conversation.lines()[0]
    assert listener.started == [started]
    assert (line.party, line.kind, line.language) == (Party.CITIZEN, LineKind.SPOKEN, code)
    assert (line.text, line.translation) == (said, clerk_reads)


def test_visitor_speech__language_changes_while_open__reopens_in_the_new_language():
    events, listener = EventBus(), Listener()
    conversation = Conversation(events, Clock(), PairTranslator(), "vi")
    VisitorSpeech(conversation, events, listener)

    conversation.signals.request_microphone(True)
    conversation.set_visitor_language("en")

    assert listener.started == [("vi", True), ("en", False)]


def test_visitor_speech__visit_wiped__microphone_closed_and_lines_gone():
    events, listener = EventBus(), Listener()
    conversation = Conversation(events, Clock(), PairTranslator(), "en")
    VisitorSpeech(conversation, events, listener)
    states: list[bool] = []
    events.subscribe(VisitorMicState, lambda event: states.append(event.listening))
    conversation.signals.request_microphone(True)
    listener.say("I have my card")

    conversation.clear()

    assert listener.listening is False
    assert conversation.lines() == ()
    assert states == [True, False]


def test_visitor_speech__speak_pressed_on_the_tablet__clerk_pcs_microphone_opens():
    relay = LocalRelay()
    tablet_events, clerk_events = EventBus(), EventBus()
    tablet = Conversation(tablet_events, Clock(), None, "en", relay=relay)
    clerk = Conversation(clerk_events, Clock(), PairTranslator(), "en", relay=relay)
    listener = ScriptedListener({"en": ["Where should I go next?"]})
    VisitorSpeech(clerk, clerk_events, listener)
    tablet_states: list[bool] = []
    tablet_events.subscribe(VisitorMicState, lambda event: tablet_states.append(event.listening))

    tablet.signals.request_microphone(True)
    listener.wait_until_said()

    assert tablet_states == [True]
    assert [line.text for line in tablet.lines()] == ["Where should I go next?"]
    assert clerk.lines()[0].translation == "<en->ja>Where should I go next?"
