"""A line translated while its visit ends goes with that visit; a failing translator still
shows the line, untranslated, and logs no text."""

from __future__ import annotations

import logging

from kiosk.events import EventBus
from kiosk.services.conversation import Conversation

from .test_captions import FakeTranslator, FixedClock


class WipingTranslator(FakeTranslator):
    """Ends the visit in the middle of a translation, as a card pulled at that moment would."""

    def __init__(self) -> None:
        super().__init__()
        self.conversation: Conversation | None = None

    def translate(self, text: str, source: str, target: str) -> str | None:
        assert self.conversation is not None
        self.conversation.clear()
        return super().translate(text, source, target)


class BrokenTranslator(FakeTranslator):
    def translate(self, text: str, source: str, target: str) -> str | None:
        raise RuntimeError(f"cannot translate {text!r}")


def test_conversation__visit_wiped_during_translation__line_dropped_not_relayed():
    translator = WipingTranslator()
    conversation = Conversation(EventBus(), FixedClock(), translator, "vi")
    translator.conversation = conversation
    relayed: list[dict[str, object]] = []
    conversation.link._relay.subscribe(relayed.append)

    line = conversation.add_clerk_text("住民票ですね")

    assert line is None
    assert conversation.lines() == ()
    assert [message["type"] for message in relayed] == ["cleared"]


def test_conversation__translator_fails__line_shown_untranslated_text_not_logged(caplog):
    conversation = Conversation(EventBus(), FixedClock(), BrokenTranslator(), "vi")

    with caplog.at_level(logging.WARNING):
        line = conversation.add_clerk_text("住民票ですね")

    assert line is not None
    assert (line.text, line.translation, line.missing_model) == ("住民票ですね", None, True)
    assert "住民票" not in caplog.text
    assert "RuntimeError" in caplog.text
