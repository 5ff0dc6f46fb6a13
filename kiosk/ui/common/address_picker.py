"""The city's address picker: town (町) -> 字/丁目 -> 番地, no kanji typed.

The prefecture, the city and its towns come from the city's place-name file
(``forms/places/place_names.yaml``, which another municipality replaces). The 字 of each town
are data the city supplies (``districts``); without them the picker goes straight from the
town to the 番地 keypad, and the clerk completes the 字 from the 住民基本台帳.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.services.caption_vocabulary import PlaceNames, city_places
from kiosk.ui.common.numeric_keypad import NumericKeypad
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["AddressPicker"]


class AddressPicker(QWidget):
    """Emits ``changed(address)`` as each step is picked; ``address()`` is the whole text.

    ``places`` are the city's place names (the shipped file's by default).
    """

    changed = Signal(str)

    def __init__(self, target: int, districts: Mapping[str, Sequence[str]] | None = None,
                 parent: QWidget | None = None, *, places: PlaceNames | None = None) -> None:
        super().__init__(parent)
        places = places or city_places()
        self._city = places.prefecture + places.city
        self._districts = districts or {}
        self.town = ""
        self.district = ""
        self.number = ""
        self.shown = QLabel(wordWrap=True)
        self.shown.setObjectName("address-shown")
        self.steps = QStackedWidget()
        self.town_buttons: dict[str, TouchButton] = {}
        towns = QWidget()
        grid = QGridLayout(towns)
        for index, town in enumerate(places.towns):
            button = TouchButton(town, target=target, name=f"town-{index}")
            button.clicked.connect(lambda _=False, t=town: self.pick_town(t))
            grid.addWidget(button, index // 3, index % 3)
            self.town_buttons[town] = button
        self.district_page = QWidget()
        self._district_grid = QGridLayout(self.district_page)
        self._target = target
        self.keypad = NumericKeypad(target, extra="-", max_length=12)
        self.keypad.changed.connect(self._on_number)
        for page in (towns, self.district_page, self.keypad):
            self.steps.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.shown)
        layout.addWidget(self.steps)
        self._show()

    def pick_town(self, town: str) -> None:
        """Pick the town; next the 字 (when the city supplied them) or the 番地."""
        self.town, self.district = town, ""
        districts = self._districts.get(town, ())
        while self._district_grid.count():
            item = self._district_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, name in enumerate(districts):
            button = TouchButton(name, target=self._target, name=f"district-{index}")
            button.clicked.connect(lambda _=False, d=name: self.pick_district(d))
            self._district_grid.addWidget(button, index // 3, index % 3)
        self.steps.setCurrentIndex(1 if districts else 2)
        self._show()

    def pick_district(self, district: str) -> None:
        """Pick the 字/丁目; next the 番地."""
        self.district = district
        self.steps.setCurrentIndex(2)
        self._show()

    def restart(self) -> None:
        """Back to the town list."""
        self.town = self.district = ""
        self.keypad.clear()
        self.steps.setCurrentIndex(0)
        self._show()

    def _on_number(self, text: str) -> None:
        self.number = text
        self._show()

    def address(self) -> str:
        """The address picked so far (empty before a town)."""
        if not self.town:
            return ""
        return f"{self._city}{self.town}{self.district}{self.number}"

    def _show(self) -> None:
        self.shown.setText(self.address() or "…")
        self.changed.emit(self.address())
