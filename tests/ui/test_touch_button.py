"""Touch buttons wrap their labels: by words, by characters for Japanese, never splitting marks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPixmap

from kiosk.ui.common.leaded_label import line_pitch
from kiosk.ui.common.ruby_label import RubyText
from kiosk.ui.common.touch_button import TouchButton, wrap_label

pytestmark = pytest.mark.gui


@pytest.fixture
def metrics(qapp):
    return QFontMetrics(QFont("BIZ UDGothic", 20))


def test_wrap_label__spaced_words__break_between_words(metrics):
    width = metrics.horizontalAdvance("Send and print")
    lines = wrap_label("Send and print my ticket", metrics, width)

    assert lines == ["Send and print", "my ticket"]


def test_wrap_label__hyphenated_word_wider_than_a_line__breaks_after_the_hyphen(metrics):
    width = metrics.horizontalAdvance("Makipag-us")
    lines = wrap_label("Makipag-usap sa kawani", metrics, width)

    assert lines == ["Makipag-", "usap sa", "kawani"]


def test_wrap_label__code_with_a_hyphen__kept_whole(metrics):
    width = metrics.horizontalAdvance("Ticket A-0")
    lines = wrap_label("Ticket A-001", metrics, width)

    assert lines == ["Ticket", "A-001"]


def test_wrap_label__japanese_without_phrase_boundary__breaks_between_characters(metrics):
    width = metrics.horizontalAdvance("住民票写し")
    lines = wrap_label("住民票写交付申請書", metrics, width)

    assert "".join(lines) == "住民票写交付申請書"
    assert all(metrics.horizontalAdvance(line) <= width for line in lines)
    assert len(lines) == 2


@pytest.mark.parametrize(("text", "fits", "expected"), [
    ("ふりがな：あり", "ふりがな：あ", ["ふりがな：", "あり"]),       # after punctuation
    ("職員と話す", "職員と話", ["職員と", "話す"]),                   # particle, then kanji
    ("窓口でマイナンバー", "窓口でマイナ", ["窓口で", "マイナンバー"]),  # particle, then katakana
])
def test_wrap_label__japanese_phrase_boundary_near__breaks_there(metrics, text, fits, expected):
    assert wrap_label(text, metrics, metrics.horizontalAdvance(fits)) == expected


def test_wrap_label__last_line__never_one_lone_character(metrics):
    # Broken between characters, 書 alone would end the label (券面記載事項変更 / 届 on the tablet).
    lines = wrap_label("住民票写交付申請書", metrics, metrics.horizontalAdvance("住民票写交付申請"))

    assert lines == ["住民票写交付申", "請書"]


def test_wrap_label__phrase_boundary_too_early__breaks_between_characters(metrics):
    # Breaking after あ would leave one character on the line: the width is used instead.
    lines = wrap_label("あ日本語を印刷する", metrics, metrics.horizontalAdvance("あ日本語を"))

    assert lines == ["あ日本語を", "印刷する"]


def test_wrap_label__closing_bracket__never_starts_a_line(metrics):
    text = "代理人（委任状が必要）"
    width = metrics.horizontalAdvance("代理人（委任状が必要")

    lines = wrap_label(text, metrics, width)

    assert not any(line.startswith("）") for line in lines)


def test_wrap_label__thai_vowel_marks__stay_with_their_letter(metrics):
    lines = wrap_label("พิมพ์บัตรคิว", metrics, metrics.horizontalAdvance("พิม"))

    assert "".join(lines) == "พิมพ์บัตรคิว"
    for line in lines[1:]:
        assert line[0] not in "ิ์ั"


def test_touch_button__narrow__wraps_yet_text_is_the_label(qtbot):
    button = TouchButton("送信して番号札を印刷", target=40)
    qtbot.addWidget(button)
    button.show()
    button.resize(120, 40)
    qtbot.waitUntil(lambda: button.width() == 120, timeout=1000)

    assert button.text() == "送信して番号札を印刷"
    assert len(button.displayed_lines()) > 1
    assert button.heightForWidth(120) > button.heightForWidth(1000)


@pytest.mark.parametrize("text", ["マイナンバーカード 券面記載事項変更届", "住民票 写交付申請書"])
def test_ruby_text__space_before_a_run_that_fits_a_line__breaks_at_the_space(metrics, text):
    # Laid out by RubyText (the picture buttons, Japanese labels): the run after the space
    # went to the next line split, as 券面記載事項変 / 更届, though it fitted whole.
    font = QFont("BIZ UDGothic", 20)
    head, tail = text.split(" ")
    width = metrics.horizontalAdvance(head + " " + tail[:-2])

    assert RubyText(text).plain_lines(font, width) == [head, tail]


def test_touch_button__icon_and_several_lines__icon_drawn_and_lines_at_the_pitch(qtbot):
    """The talk page's phrases (an icon, a label of several lines) were set solid, touching;
    drawn a line at a time, the icon must still be drawn beside them."""
    red = QPixmap(40, 40)
    red.fill(QColor("#ff0000"))
    button = TouchButton("Could you say that again, please?", target=40)
    button.setIcon(QIcon(red))
    button.setIconSize(QSize(40, 40))
    qtbot.addWidget(button)
    button.show()
    button.resize(260, button.heightForWidth(260))
    qtbot.waitUntil(lambda: button.width() == 260, timeout=1000)

    lines, pitch = button.line_layout()
    image = button.grab().toImage()
    reds = sum(QColor(image.pixel(x, y)).name() == "#ff0000"
               for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))

    assert lines > 1
    assert pitch >= line_pitch(button.font()) - 1
    assert reds > 100          # the icon's 40 x 40, sampled every other pixel: some 400
