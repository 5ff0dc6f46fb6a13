"""The Welcome as the design draws it: a welcome panel with the three steps of a visit, the
languages, and the note that help is also given in writing and sign language, naming the
header's button in the visitor's language; the start-up Welcome the same; the city's mark in
the header."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFrame, QLabel

from kiosk.i18n import translator
from kiosk.ruby import strip_ruby
from kiosk.ui.citizen.boot_screen import BootWindow
from kiosk.ui.citizen.welcome_parts import STEPS, SUPPORT, TALK
from kiosk.ui.common.pilot import KioskPilot
from kiosk.ui.common.theme import NORMAL

pytestmark = pytest.mark.gui


def _texts(frame: QFrame) -> list[str]:
    return [strip_ruby(label.text()) for label in frame.findChildren(QLabel)
            if label.isVisible() and label.text()]


def _step_labels(window) -> list[str]:
    return [text for number in (1, 2, 3)
            for text in _texts(window.findChild(QFrame, f"welcome-step-{number}"))
            if not text.isdigit()]


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_welcome__shown__panel_with_three_steps_pictures_and_support_note(make_kiosk, qtbot,
                                                                         language):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language(language)
    qtbot.wait(50)      # the Welcome is built again in the new language
    tr = translator(language)
    window = kiosk.tablet

    steps = [window.findChild(QFrame, f"welcome-step-{number}") for number in (1, 2, 3)]
    note = window.findChild(QFrame, "welcome-support")

    assert all(step is not None and step.isVisible() for step in steps)
    assert _step_labels(window) == [tr(text) for text, _picture in STEPS]
    pictures = [label for step in steps for label in step.findChildren(QLabel)
                if label.property("role") == "picture"]
    assert len(pictures) == 3
    assert all(not picture.pixmap().isNull() for picture in pictures)
    assert note is not None
    assert note.isVisible()
    # The note names the header's button as the header labels it, in the same language.
    assert tr(TALK) == kiosk.pilot.find("talk").text()
    assert _texts(note) == [tr(SUPPORT, talk=tr(TALK))]


def test_welcome__largest_text__steps_left_out_languages_in_view(make_kiosk):
    kiosk = make_kiosk(text_scale=200)

    assert kiosk.tablet.findChild(QFrame, "welcome-panel").isVisible()
    assert kiosk.tablet.findChild(QFrame, "welcome-step-1") is None
    assert kiosk.pilot.find("language-ja").isVisible()


def test_boot_window__language_tapped__steps_and_note_in_that_language(qtbot):
    boot = BootWindow(languages=("ja", "en", "vi"), language="ja", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=False)
    qtbot.addWidget(boot)
    boot.show()

    KioskPilot(boot).tap("language-vi")
    qtbot.wait(10)      # the replaced labels are deleted on the next turn

    tr = translator("vi")
    assert _step_labels(boot) == [tr(text) for text, _picture in STEPS]
    assert _texts(boot.findChild(QFrame, "welcome-support")) == [tr(SUPPORT, talk=tr(TALK))]
    assert [label.property("role") for label in boot.steps] == ["step-label"] * 3


def test_header__every_screen__city_mark_drawn_in_its_own_colours(make_kiosk):
    kiosk = make_kiosk()

    mark = kiosk.tablet.findChild(QLabel, "city-mark")

    assert mark is not None
    assert mark.isVisible()
    image = mark.pixmap().toImage()
    assert not image.isNull()
    # The mark's blue (#0017c1) at its centre-left, whatever the theme.
    assert image.pixelColor(4, image.height() // 2).name() == "#0017c1"


def test_welcome__no_step_yet__no_room_for_one_under_the_toggles(make_kiosk, qtbot):
    kiosk = make_kiosk()
    bar = kiosk.tablet.step_bar
    margins = bar.layout().contentsMargins()
    on_welcome = bar.height()

    kiosk.pilot.tap("start")
    qtbot.waitUntil(lambda: kiosk.tablet.visit.stage.value != "welcome")

    # The design draws the welcome panel right under the header: the step name and the
    # segments of the steps to come take no room yet; from the first step on they do.
    assert on_welcome == bar.voice.height() + margins.top() + margins.bottom()
    assert bar.step.isVisible()
    assert bar.height() > on_welcome


def test_boot_window__talk_button__in_its_place_as_the_note_names_it_not_yet_usable(qtbot):
    boot = BootWindow(languages=("ja", "en"), language="ja", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=False)
    qtbot.addWidget(boot)
    boot.show()

    talk = boot.header.talk
    assert talk.isVisible()
    assert not talk.isEnabled()         # the conversation needs the services
    assert talk.text() == translator("ja")(TALK)
