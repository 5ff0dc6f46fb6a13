"""The faults of a new user's trial (issue 16), each pinned by a test on the real tablet."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from kiosk.i18n import translator
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import answer_current
from kiosk.ui.common.date_picker import DatePicker
from kiosk.ui.common.touch_button import TouchButton

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("language", "declaration"), [
    ("ja", "記載内容に誤りはありません"), ("vi", "Tôi xác nhận nội dung trên là đúng sự thật")])
def test_review__form_with_declaration__confirm_button_carries_it(make_kiosk, language,
                                                                  declaration):
    kiosk = make_kiosk()
    kiosk.to_review(language)

    assert kiosk.pilot.text("declaration") == declaration
    assert kiosk.pilot.text("submit-print") == declaration


def test_review__declaration_too_long_for_the_footer__stays_above_and_footer_keeps_its_place(
        make_kiosk):
    kiosk = make_kiosk(text_scale=150, size=(800, 1280))
    kiosk.to_review("vi")
    review_back = kiosk.pilot.find("back").geometry()
    kiosk.pilot.tap("back")
    kiosk.wait_for(Stage.FORMS)
    question_back = kiosk.pilot.find("back").geometry()

    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.REVIEW)

    assert kiosk.pilot.text("declaration") == "Tôi xác nhận nội dung trên là đúng sự thật"
    assert kiosk.pilot.text("submit-print") == translator("vi")("Send and print my ticket")
    assert review_back == question_back


def test_ticket__nobody_ahead__says_next_never_zero_minutes(make_kiosk):
    kiosk = make_kiosk()
    kiosk.to_review()

    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert kiosk.pilot.text("ahead") == "次はあなたの番です。"
    assert not kiosk.pilot.exists("wait")


def test_ticket__one_ahead__same_figures_as_the_board_before_it_was_taken(make_kiosk):
    kiosk = make_kiosk()
    kiosk.services.queue.take_ticket("A")
    [line] = kiosk.services.queue.board(["A"])
    kiosk.to_review()

    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    ticket = kiosk.tablet.visit.ticket
    assert (ticket.people_ahead, ticket.wait_minutes) == (line.waiting,
                                                          -(-line.estimated_wait_seconds // 60))
    assert str(ticket.wait_minutes) in kiosk.pilot.text("wait")


def _talk_with_keys(make_kiosk, language: str):
    """The talk page with its keyboard open, in the demo's tablet window (800 × 1040)."""
    kiosk = make_kiosk(size=(800, 1040))
    kiosk.tablet.visit.set_language(language)
    kiosk.pilot.tap("start")
    kiosk.pilot.tap("talk")
    kiosk.pilot.settle()
    kiosk.pilot.tap("talk-keyboard")
    kiosk.pilot.settle()
    return kiosk


@pytest.mark.parametrize("language", ["ja", "en", "vi", "ne", "zh_Hans", "id", "tl"])
def test_talk__opened_in_the_demo_window__does_not_grow_it(make_kiosk, language):
    kiosk = _talk_with_keys(make_kiosk, language)

    assert (kiosk.tablet.width(), kiosk.tablet.height()) == (800, 1040)
    assert kiosk.tablet.minimumSizeHint().width() <= 800


@pytest.mark.parametrize(("language", "keys", "typed"), [
    ("ja", ["kana-ト", "kana-メ"], "トメ"), ("vi", ["latin-H", "latin-I"], "Hi")])
def test_talk__free_text__typed_with_the_on_screen_keys_and_sent(make_kiosk, language, keys,
                                                                 typed):
    kiosk = _talk_with_keys(make_kiosk, language)

    for key in keys:
        kiosk.pilot.tap(key)
    page = kiosk.tablet.talk_page
    assert page.phrasebook.typed.text() == typed
    page.phrasebook.send.click()

    assert [line.text for line in kiosk.services.conversation.lines()] == [typed]
    assert page.phrasebook.typed.text() == ""


@pytest.mark.parametrize("scale", [100, 150])
def test_kana_keyboard__demo_window__every_label_whole(make_kiosk, scale):
    kiosk = make_kiosk(size=(800, 1040), text_scale=scale)
    kiosk.to_identify()
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)
    while not kiosk.pilot.exists("kana-ロ"):
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.pilot.settle()

    keys = [key for key in kiosk.tablet.findChildren(TouchButton)
            if key.objectName().startswith("kana-") and key.isVisible()]
    assert len(keys) >= 50
    for key in keys:
        assert key.displayed_lines() == [key.text()], key.objectName()
        room = key.contentsRect().width()
        assert QFontMetrics(key.font()).horizontalAdvance(key.text()) < room, key.objectName()
        assert QFontMetrics(key.font()).inFontUcs4(ord(key.text())), key.objectName()


@pytest.mark.parametrize(("language", "era"), [("ja", "昭和"), ("vi", "Showa")])
def test_birth_date__no_card__picker_starts_at_an_adult_year_in_the_visitor_language(
        make_kiosk, language, era):
    kiosk = make_kiosk()
    kiosk.to_identify(language=language)
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)
    while kiosk.tablet.visit.flow.current().field.id != "birth_date":
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.pilot.settle()

    [picker] = kiosk.tablet.findChildren(DatePicker)
    assert 1975 <= picker.value.year <= 1995
    assert kiosk.pilot.text("date-era") == era
