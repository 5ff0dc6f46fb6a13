"""Pictograms on the "What do you need?" screen: every procedure and life event has its picture,
drawn in the theme's colours; a missing or broken picture leaves a text-only button."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

from kiosk.procedures.pictures import picture_path
from kiosk.services.visit import Stage
from kiosk.ui.common.picture_button import PictureButton, picture_icon
from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL, Theme
from kiosk.ui.common.touch_button import TouchButton

pytestmark = pytest.mark.gui


def _colours(icon: QIcon, side: int, mode: QIcon.Mode, state: QIcon.State) -> set[str]:
    image = icon.pixmap(QSize(side, side), mode, state).toImage()
    return {QColor(image.pixel(x, y)).name() for x in range(image.width())
            for y in range(image.height()) if QColor.fromRgba(image.pixel(x, y)).alpha() == 255}


def _to_choose(kiosk, language: str = "ja") -> None:
    kiosk.tablet.visit.set_language(language)
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)


@pytest.mark.parametrize("language", ["ja", "vi", "ne"])
def test_choose_screen__every_procedure_and_life_event__shows_its_picture(make_kiosk, language):
    kiosk = make_kiosk()
    _to_choose(kiosk, language)
    visit = kiosk.tablet.visit
    names = [f"procedure-{form.id}" for form in visit.offered_forms()]
    names += [f"event-{bundle_id}" for bundle_id in visit.forms.bundles]

    buttons = {name: kiosk.pilot.find(name) for name in names}

    assert len(buttons) >= 13
    assert {name for name, button in buttons.items()
            if not (isinstance(button, PictureButton) and button.has_picture())} == set()


def test_choose_screen__bigger_text__bigger_pictures(make_kiosk):
    sides = {}
    for scale in (100, 200):
        kiosk = make_kiosk(text_scale=scale)
        _to_choose(kiosk)
        button = kiosk.pilot.find("procedure-juminhyo")
        sides[scale] = button.iconSize().width()

    assert sides[200] > sides[100] >= 40


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=["normal", "high-contrast"])
def test_picture_icon__theme__drawn_in_the_buttons_text_colours(theme: Theme, qtbot):
    path = picture_path("seal")
    assert path is not None
    icon = picture_icon(path, theme, 64)

    normal = _colours(icon, 64, QIcon.Mode.Normal, QIcon.State.Off)
    checked = _colours(icon, 64, QIcon.Mode.Normal, QIcon.State.On)

    assert normal == {theme.surface_text}
    assert checked == {theme.selected_text}


def test_choose_screen__high_contrast__picture_follows_the_theme(make_kiosk):
    kiosk = make_kiosk(high_contrast=True)
    _to_choose(kiosk)
    button = kiosk.pilot.find("procedure-kokuho")

    colours = _colours(button.icon(), button.iconSize().width(), QIcon.Mode.Normal,
                       QIcon.State.Off)

    assert colours == {HIGH_CONTRAST.surface_text}


def test_screen_button__unknown_picture__is_a_plain_touch_button(make_kiosk):
    kiosk = make_kiosk()
    screen = kiosk.tablet.screens[Stage.CHOOSE]

    button = screen.button("Something", "x", picture="no-such-picture")

    assert type(button) is TouchButton


def test_picture_button__broken_svg__text_only_without_room_for_it(make_kiosk, tmp_path: Path):
    kiosk = make_kiosk()
    kiosk.pilot.settle()        # the choice, built ahead while the Welcome waits
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg", encoding="utf-8")
    button = PictureButton("住民票の写し", target=kiosk.tablet.target, picture=broken,
                           theme=NORMAL)
    kiosk.tablet.screens[Stage.CHOOSE].layout().addWidget(button)
    button.show()
    kiosk.pilot.settle()

    assert not button.has_picture()
    assert button.label_width() == button.contentsRect().width()
    assert button.text() == "住民票の写し"


def test_choose_screen__tap_picture_button__chooses_the_procedure(make_kiosk):
    kiosk = make_kiosk()
    _to_choose(kiosk)

    kiosk.pilot.tap("procedure-juminhyo")

    assert kiosk.tablet.visit.chosen == ["juminhyo"]
    assert kiosk.pilot.find("procedure-juminhyo").isChecked()
