"""The caption panel (pytest-qt, offscreen)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.ports import Utterance
from kiosk.services.conversation import Conversation
from kiosk.ui.common.caption_panel import MAX_POINTS, MIN_POINTS, CaptionPanel

pytestmark = pytest.mark.gui


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, 9, 5, tzinfo=timezone(timedelta(hours=9)))


class Echo:
    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        return (source, target)

    def translate(self, text: str, source: str, target: str) -> str | None:
        return f"<{target}> {text}"

    def forget(self) -> None:
        pass

    def probe(self) -> list[object]:
        return []


@pytest.fixture
def setup(qtbot):  # type: ignore[no-untyped-def]
    events = EventBus()
    conversation = Conversation(events, Clock(), Echo(), "en")
    panel = CaptionPanel(conversation, events, translator("en"))
    qtbot.addWidget(panel)
    return conversation, panel


def test_panel__clerk_speech_from_audio_thread__shown_with_translation_highlighted(
        setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    conversation, panel = setup
    conversation.add_clerk_text("こんにちは。")
    worker = threading.Thread(
        target=lambda: conversation.add_clerk_speech(Utterance("住民票ですね。", "ja")))
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: panel.history.count() == 2)
    # The citizen reads the clerk in their own language first, what was said underneath.
    assert panel.latest_text() == "09:05  Staff\n<en> 住民票ですね。\n住民票ですね。"
    assert panel.history.item(1).font().bold()
    assert not panel.history.item(0).font().bold()


@pytest.mark.parametrize(("clicks", "button", "expected"), [
    (1, "larger", 32), (20, "larger", MAX_POINTS), (1, "smaller", 24), (20, "smaller", MIN_POINTS),
])
def test_panel__size_buttons__text_size_clamped(setup, qtbot, clicks: int, button: str,
                                                expected: int) -> None:  # type: ignore[no-untyped-def]
    _, panel = setup
    for _ in range(clicks):
        qtbot.mouseClick(getattr(panel, button), Qt.MouseButton.LeftButton)

    assert panel.points == expected
    assert panel.history.font().pointSize() == expected


def test_panel__delete__conversation_and_history_wiped(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    conversation, panel = setup
    conversation.add_citizen_phrase("yes")
    qtbot.waitUntil(lambda: panel.history.count() == 1)

    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: panel.history.count() == 0)
    assert conversation.lines() == ()


def test_panel__export__emits_the_conversation_text(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    conversation, panel = setup
    conversation.add_citizen_phrase("yes")

    with qtbot.waitSignal(panel.export_requested) as signal:
        qtbot.mouseClick(panel.export, Qt.MouseButton.LeftButton)

    assert signal.args[0] == conversation.export_text()
    assert "09:05 You: Yes." in signal.args[0]


def test_panel__no_model_for_language__notice_in_visitor_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    events = EventBus()
    panel = CaptionPanel(Conversation(events, Clock(), None, "vi"), events, translator("vi"))
    qtbot.addWidget(panel)

    assert not panel._notice.isHidden()
    assert "Tiếng Việt" in panel._notice.text()
