"""The clerk's conversation tab: typed lines reach the conversation; no model means typing only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.audit import ListUsage
from kiosk.audit.events import CaptionsUsed
from kiosk.domain.counter_messages import Party
from kiosk.events import EventBus
from kiosk.i18n import staff_translator
from kiosk.ports import SystemClock, Utterance
from kiosk.services.conversation import Conversation
from kiosk.ui.clerk.conversation_tab import ConversationTab

pytestmark = pytest.mark.gui


class _FakeCaptioner:
    """Stands in for the microphone and Whisper: the test speaks through it."""

    def __init__(self) -> None:
        self.on_utterance = None
        self.stopped = False

    def start(self, on_utterance):
        self.on_utterance = on_utterance

    def stop(self):
        self.stopped = True

    def set_vocabulary(self, terms):
        pass


class _MovingClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 4, 1, 10, 0, tzinfo=timezone(timedelta(hours=9)))

    def now(self):
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def _tab(qtbot, captioner=None, *, clock=None, usage=None, visitor="ja"):
    events = EventBus()
    conversation = Conversation(events, clock or SystemClock(), None, visitor_language=visitor,
                                usage=usage or ListUsage())
    tab = ConversationTab(conversation, events, captioner, staff_translator("ja"))
    qtbot.addWidget(tab)
    return tab, conversation


def test_conversation_tab__clerk_types_and_sends__line_in_history(qtbot):
    tab, conversation = _tab(qtbot)

    tab.typed.setText("こちらの用紙をご確認ください。")
    tab.send.click()

    [line] = conversation.lines()
    assert (line.party, line.text) == (Party.CLERK, "こちらの用紙をご確認ください。")
    qtbot.waitUntil(lambda: tab.panel.history.count() == 1, timeout=2000)
    assert tab.typed.text() == ""


def test_conversation_tab__no_speech_model__captions_off_and_no_install_command_for_clerk(qtbot):
    tab, _ = _tab(qtbot)

    assert not tab.listen.isEnabled()
    assert tab.no_model.text().startswith("この端末では字幕を使えません")
    # Installing models is IT's job: the command is in `kiosk doctor`, not on the clerk's screen.
    assert "kiosk" not in tab.no_model.text()


def test_conversation_tab__captions_on__speech_becomes_lines_until_stopped(qtbot):
    captioner = _FakeCaptioner()
    tab, conversation = _tab(qtbot, captioner)

    tab.listen.setChecked(True)
    captioner.on_utterance(Utterance("番号札をお取りください", "ja"))
    tab.stop()

    assert [line.text for line in conversation.lines()] == ["番号札をお取りください"]
    assert captioner.stopped
    assert not tab.listen.isChecked()


def test_conversation_tab__listen_on_then_off__usage_log_gets_the_time_captions_ran(qtbot):
    clock, usage = _MovingClock(), ListUsage()
    tab, conversation = _tab(qtbot, _FakeCaptioner(), clock=clock, usage=usage, visitor="vi")
    conversation.set_session("0123456789abcdef")

    tab.listen.setChecked(True)
    running = conversation.captions_running
    clock.advance(42)
    tab.listen.setChecked(False)

    assert running
    assert usage.events == [CaptionsUsed("0123456789abcdef", "vi", 42.0)]
    assert not conversation.captions_running


def test_conversation_tab__desk_locks_while_listening__time_recorded(qtbot):
    clock, usage = _MovingClock(), ListUsage()
    tab, _ = _tab(qtbot, _FakeCaptioner(), clock=clock, usage=usage)
    tab.listen.setChecked(True)
    clock.advance(7)

    tab.stop()

    assert usage.events == [CaptionsUsed("", "ja", 7.0)]


def test_conversation_tab__no_speech_model__listening_never_recorded(qtbot):
    usage = ListUsage()
    tab, conversation = _tab(qtbot, usage=usage)

    tab.listen.setChecked(True)          # disabled for a click; set in code it must do nothing
    tab.listen.setChecked(False)

    assert not conversation.captions_running
    assert usage.events == []


class _VisitorMic:
    """The visitor's microphone: records its starts; the test speaks through it."""

    def __init__(self) -> None:
        self.listening = False
        self.on_utterance = None

    def start(self, language, on_utterance, *, english=False):
        self.listening, self.on_utterance = True, on_utterance

    def stop(self):
        self.listening = False

    def probe(self):
        return []


def test_conversation_tab__visitor_mic_toggled__visitor_speaks__clerk_reads_japanese_first(qtbot):
    from pair_translator import PairTranslator

    from kiosk.services.visitor_speech import VisitorSpeech

    events, mic = EventBus(), _VisitorMic()
    conversation = Conversation(events, SystemClock(), PairTranslator(), visitor_language="en")
    VisitorSpeech(conversation, events, mic)
    tab = ConversationTab(conversation, events, None, staff_translator("ja"),
                          visitor_microphone=True)
    qtbot.addWidget(tab)

    tab.visitor_mic.setChecked(True)
    mic.on_utterance(Utterance("I forgot my PIN.", "en"))

    qtbot.waitUntil(lambda: tab.panel.history.count() == 1, timeout=2000)
    assert mic.listening
    lines = tab.panel.latest_text().splitlines()
    assert lines[1:] == ["<en->ja>I forgot my PIN.", "I forgot my PIN."]
    assert "来庁者" in lines[0]


def test_conversation_tab__visit_wiped__visitor_mic_toggle_turns_off(qtbot):
    from kiosk.services.visitor_speech import VisitorSpeech

    events, mic = EventBus(), _VisitorMic()
    conversation = Conversation(events, SystemClock(), None)
    VisitorSpeech(conversation, events, mic)
    tab = ConversationTab(conversation, events, None, staff_translator("ja"),
                          visitor_microphone=True)
    qtbot.addWidget(tab)
    tab.visitor_mic.setChecked(True)

    conversation.clear()

    qtbot.waitUntil(lambda: not tab.visitor_mic.isChecked(), timeout=2000)
    assert not mic.listening


def test_conversation_tab__no_visitor_mic_and_no_tablet__toggle_disabled(qtbot):
    tab, _conversation = _tab(qtbot)

    assert not tab.visitor_mic.isEnabled()


def test_conversation_tab__ticket_procedures_followed__conversation_knows_them(qtbot):
    tab, conversation = _tab(qtbot)

    tab.follow_procedures(["juminhyo", "inkan_shomei"])
    tab.follow_procedures(["not an id!"])

    assert conversation.procedures == ("juminhyo", "inkan_shomei")
