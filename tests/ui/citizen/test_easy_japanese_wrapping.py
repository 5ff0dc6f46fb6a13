"""やさしい日本語 puts a space between words: its labels break lines there, not inside words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.services.visit import Stage
from kiosk.ui.citizen.text_label import keep_words_whole

pytestmark = pytest.mark.gui

JOINER = "\u2060"


@pytest.mark.parametrize(("text", "words"), [
    ("いくつ えらんでも いいです。", ["いくつ", "えらんでも", "いいです。"]),
    ("しますか。いくつ", ["しますか。", "いくつ"]),     # a line may break after 。
    ("ばんごう（4けたの すうじ）を", ["ばんごう", "（4けたの", "すうじ）", "を"]),  # and at brackets
    ("あいうえおかきくけこさ", list("あいうえおかきくけこさ")),  # too long to hold: breakable
    ("あ", ["あ"]),
])
def test_keep_words_whole__spaced_text__joiners_only_inside_words(text, words):
    joined = keep_words_whole(text)

    assert joined.replace(JOINER, "") == text
    breakable = [part.replace(JOINER, "") for part in _breakable_parts(joined)]
    assert breakable == words


def _breakable_parts(text: str) -> list[str]:
    """Split where no joiner holds two characters together (at spaces and after 。)."""
    parts, current = [], ""
    for index, char in enumerate(text):
        if char == " ":
            parts.append(current)
            current = ""
            continue
        if current and char != JOINER and text[index - 1] not in (JOINER, " "):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [part for part in parts if part]


def test_easy_japanese_screen__labels__hold_words_together(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("ja@easy")
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)

    spaced = [label.text() for label in kiosk.tablet.current_screen().findChildren(QLabel)
              if " " in label.text()]

    assert spaced
    assert all(JOINER in text for text in spaced)
