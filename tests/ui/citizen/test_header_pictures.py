"""The header's buttons carry the design's pictures: a globe beside the language, a person
beside "talk with the clerk", drawn in the buttons' own colour in both themes, greyed where
the button cannot be used yet (the start-up Welcome), and left of the words."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from kiosk.ui.citizen.boot_screen import BootWindow
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL

pytestmark = pytest.mark.gui


def _colours_left_of_words(button) -> set[str]:
    """The colours drawn in the button's left third, inside its border (where the picture is:
    the words are centred with it, and the left third holds no word's pixels)."""
    image = button.grab().toImage()
    border = 6
    return {QColor(image.pixel(x, y)).name()
            for x in range(border, image.width() // 3)
            for y in range(border, image.height() - border)}


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_header__tablet__globe_and_person_in_the_outline_colour(make_kiosk, high_contrast):
    kiosk = make_kiosk(high_contrast=high_contrast)
    theme = HIGH_CONTRAST if high_contrast else NORMAL
    kiosk.pilot.settle()
    header = kiosk.tablet.header

    for button in (header.language, header.talk):
        assert not button.icon().isNull(), button.objectName()
        assert theme.outline.lower() in _colours_left_of_words(button), button.objectName()


def test_header__start_up_welcome__pictures_greyed_until_the_tablet_takes_over(qtbot):
    boot = BootWindow(languages=("ja", "en"), language="ja", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=False)
    qtbot.addWidget(boot)
    boot.show()
    qtbot.waitExposed(boot)

    for button in (boot.header.language, boot.header.talk):
        colours = _colours_left_of_words(button)
        assert NORMAL.disabled_text.lower() in colours, button.objectName()
        assert NORMAL.outline.lower() not in colours, button.objectName()


@pytest.mark.parametrize(("language", "scale"), [("ja", 200), ("vi", 100), ("en", 150)])
def test_header__pictures_would_push_words_to_a_second_line__left_out(make_kiosk, language,
                                                                      scale):
    kiosk = make_kiosk(text_scale=scale)
    kiosk.tablet.visit.set_language(language)
    kiosk.pilot.settle()
    header = kiosk.tablet.header

    for button in (header.language, header.talk):
        assert button.icon().isNull(), button.objectName()
        # As many lines as the words alone take at the button's width.
        assert len(button.displayed_lines()) == button.lines_for(
            button.text(), button.width(), icon_room=0), button.objectName()
