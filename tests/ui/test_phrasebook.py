"""The phrasebook (pytest-qt, offscreen): phrases per procedure and field, pictures, typing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.counter_messages import LineKind
from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.services.conversation import Conversation
from kiosk.services.phrasebook import PHRASES
from kiosk.ui.common.phrasebook import PICTURES, PhrasebookPanel, draw_picture

pytestmark = pytest.mark.gui


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def book(qtbot):  # type: ignore[no-untyped-def]
    conversation = Conversation(EventBus(), Clock(), None, "vi")
    panel = PhrasebookPanel(conversation, translator("vi"))
    qtbot.addWidget(panel)
    return conversation, panel


def test_phrasebook__tap_phrase__citizen_line_with_japanese_for_clerk(book, qtbot) -> None:  # type: ignore[no-untyped-def]
    conversation, panel = book
    qtbot.mouseClick(panel.buttons["no_card"], Qt.MouseButton.LeftButton)

    [line] = conversation.lines()
    assert line.kind is LineKind.PHRASE
    assert line.text == translator("vi")("I do not have my My Number card with me.")
    assert line.translation == translator("ja")("I do not have my My Number card with me.")
    assert panel.buttons["no_card"].text() == line.text


def test_phrasebook__typed_answer__sent_and_field_emptied(book, qtbot) -> None:  # type: ignore[no-untyped-def]
    conversation, panel = book
    panel.typed.setText("Tôi hiểu")     # QTest.keyClicks aborts on non-ASCII offscreen
    qtbot.keyClick(panel.typed, Qt.Key.Key_Return)

    assert [line.text for line in conversation.lines()] == ["Tôi hiểu"]
    assert panel.typed.text() == ""


@pytest.mark.parametrize(("procedure", "field", "present", "absent"), [
    ("inkan_toroku", None, "no_seal", "forgot_pin"),
    ("juminhyo", "pin", "forgot_pin", "no_seal"),
    ("kokuho", None, "have_insurance", "have_seal"),
])
def test_phrasebook__context__phrases_of_procedure_and_field(book, procedure: str, field: str | None,
                                                             present: str, absent: str) -> None:  # type: ignore[no-untyped-def]
    _, panel = book
    panel.set_context(procedure, field)

    assert present in panel.buttons
    assert absent not in panel.buttons
    assert all(button.minimumSizeHint().height() >= 64 for button in panel.buttons.values())


@pytest.mark.parametrize("kind", sorted({p.picture for p in PHRASES}))
def test_draw_picture__every_phrase_picture__drawn_not_blank(kind: str, qapp) -> None:  # type: ignore[no-untyped-def]
    image = draw_picture(kind, 64).toImage()
    painted = sum(image.pixelColor(x, y).alpha() > 0 for x in range(64) for y in range(64))

    assert kind in PICTURES
    assert painted > 100
