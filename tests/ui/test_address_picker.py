"""The address picker offers the towns of the city's place-name file, not Tome's in code."""

from __future__ import annotations

import pytest

from kiosk.services.caption_vocabulary import PlaceNames, city_places
from kiosk.ui.common.address_picker import AddressPicker

pytestmark = pytest.mark.gui


def test_address_picker__another_citys_places__its_towns_under_its_prefecture_and_city(qtbot):
    places = PlaceNames("大崎市", ["古川", "岩出山"], prefecture="宮城県")
    picker = AddressPicker(48, places=places)
    qtbot.addWidget(picker)

    picker.town_buttons["岩出山"].click()
    for key in "1-2":
        picker.keypad.keys[key].click()

    assert list(picker.town_buttons) == ["古川", "岩出山"]
    assert picker.address() == "宮城県大崎市岩出山1-2"


def test_address_picker__no_places_given__the_shipped_files_towns_in_its_order(qtbot):
    picker = AddressPicker(48)
    qtbot.addWidget(picker)

    picker.town_buttons["迫町"].click()

    assert list(picker.town_buttons) == list(city_places().towns)
    assert picker.address() == "宮城県登米市迫町"
