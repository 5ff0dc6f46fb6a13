"""The tablet's pages (a scroll area with a finger scroller each) are made the first time their
screen is shown; until then each screen waits hidden, with the tablet as its Qt parent."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton

from kiosk.services.visit import Stage
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.ruby_label import RubyLabel, RubyText

pytestmark = pytest.mark.gui


def test_new_tablet__only_the_welcome_paged__the_other_screens_held_hidden_by_the_tablet(
        make_kiosk):
    kiosk = make_kiosk()
    tablet = kiosk.tablet

    assert set(tablet._pages) == {Stage.WELCOME}
    waiting = [screen for stage, screen in tablet.screens.items() if stage is not Stage.WELCOME]
    assert all(screen.parent() is tablet and not screen.isVisible() for screen in waiting)
    assert tablet.language_sheet.parent() is tablet
    assert not tablet.language_sheet.isVisible()


def test_screen_shown__its_page_made_then__the_screen_visible_in_it(make_kiosk, qtbot):
    kiosk = make_kiosk()
    tablet = kiosk.tablet
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)

    page = tablet._pages[Stage.CHOOSE]
    choose = tablet.screens[Stage.CHOOSE]
    assert tablet.stack.currentWidget() is page
    assert page.widget() is choose
    qtbot.waitUntil(choose.isVisible)
    assert any(button.isVisible() and button.objectName().startswith("procedure-")
               for button in choose.findChildren(QAbstractButton))


def test_language_sheet_opened__paged_then__closed_back_to_the_screen(make_kiosk, qtbot):
    kiosk = make_kiosk()
    tablet = kiosk.tablet
    kiosk.pilot.tap("language")

    assert tablet.stack.currentWidget().objectName() == "page-language"
    qtbot.waitUntil(tablet.language_sheet.isVisible)



def test_language_sheet__japanese_hint__broken_at_a_phrase_not_before_the_last_kana(
        make_kiosk, qtbot):
    kiosk = make_kiosk()
    tablet = kiosk.tablet
    kiosk.pilot.tap("language")
    hint = tablet.language_sheet.findChild(RubyLabel, "language-sheet-hint")

    assert hint is not None
    qtbot.waitUntil(hint.isVisible)
    lines = RubyText(hint.text()).plain_lines(hint.font(), hint.contentsRect().width())
    assert "".join(lines) == "えらぶと、すぐに切りかわります。入力した内容は消えません。"
    assert all(len(line.rstrip("。、")) > 1 for line in lines), lines


def test_language_sheet__english__plain_label_then_japanese_again(make_kiosk, qtbot):
    kiosk = make_kiosk()
    tablet = kiosk.tablet
    kiosk.pilot.tap("language")
    kiosk.pilot.tap("language-en")

    sheet = tablet.language_sheet
    kiosk.pilot.tap("language")
    assert type(sheet.hint) is LeadedLabel
    assert sheet.hint.text() == "The screen changes at once. Your answers are kept."
    kiosk.pilot.tap("language-ja")
    kiosk.pilot.tap("language")
    assert isinstance(sheet.hint, RubyLabel)
    assert sheet.findChildren(RubyLabel, "language-sheet-hint") == [sheet.hint]
