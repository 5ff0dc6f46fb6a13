"""A date picker for birth dates and moving dates: 和暦 (令和6年) or 西暦 (2024), big +/- steps.

Era boundaries are the core's (:mod:`kiosk.procedures.eras`): 平成31年4月30日 is followed by
令和元年5月1日, and a date outside its era cannot be picked.
"""

from __future__ import annotations

import calendar
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.procedures.era_names import ERA_LATIN, latin_date
from kiosk.procedures.eras import ERAS, to_wareki
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["DatePicker"]


class DatePicker(QWidget):
    """Year, month and day with large +/- buttons; ``changed(date)`` after every step."""

    changed = Signal(object)

    def __init__(self, target: int, initial: date, parent: QWidget | None = None, *,
                 language: str = "ja", toggle_text: str = "西暦 / 和暦") -> None:
        super().__init__(parent)
        self.value = initial
        self.western = False
        # Japanese readers see 昭和60年4月12日; others "Showa" and "60 (1985)", no kanji.
        self.japanese = language.startswith("ja")
        grid = QGridLayout(self)
        self.labels: dict[str, QLabel] = {}
        self.buttons: dict[str, TouchButton] = {}
        for column, part in enumerate(("era", "year", "month", "day")):
            plus = TouchButton("＋", target=target, name=f"date-{part}-plus")
            minus = TouchButton("－", target=target, name=f"date-{part}-minus")
            label = QLabel()
            label.setObjectName(f"date-{part}")
            plus.clicked.connect(lambda _=False, p=part: self.step(p, 1))
            minus.clicked.connect(lambda _=False, p=part: self.step(p, -1))
            grid.addWidget(plus, 0, column)
            grid.addWidget(label, 1, column)
            grid.addWidget(minus, 2, column)
            self.labels[part] = label
            self.buttons[f"{part}+"], self.buttons[f"{part}-"] = plus, minus
        # Ten years at a time: a birth year is decades away from today (41 taps became 14).
        for column, (name, text, delta) in enumerate((("date-year-minus10", "－10", -10),
                                                      ("date-year-plus10", "＋10", 10))):
            button = TouchButton(text, target=target, name=name)
            button.clicked.connect(lambda _=False, d=delta: self.step("year", d))
            grid.addWidget(button, 3, 1 + column)
            self.buttons[f"year{'+' if delta > 0 else '-'}10"] = button
        self.toggle = TouchButton(toggle_text, target=target, name="date-toggle")
        self.toggle.clicked.connect(self._on_toggle)
        grid.addWidget(self.toggle, 4, 0, 1, 4)
        self._show()

    def set_value(self, value: date) -> None:
        """Show ``value``."""
        self.value = value
        self._show()

    def step(self, part: str, delta: int) -> None:
        """Move ``part`` (era, year, month, day) by ``delta``; impossible dates are clamped."""
        wareki = to_wareki(self.value)
        year, month, day = self.value.year, self.value.month, self.value.day
        if part == "era":
            index = min(max(ERAS.index(wareki.era) + delta, 0), len(ERAS) - 1)
            self.value = ERAS[index].start       # the first day of the era picked
        elif part == "year":
            self.value = _clamp(year + delta, month, day)
        elif part == "month":
            total = year * 12 + (month - 1) + delta
            self.value = _clamp(total // 12, total % 12 + 1, day)
        else:
            self.value = date.fromordinal(self.value.toordinal() + delta)
        self.value = max(self.value, ERAS[0].start)
        self._show()
        self.changed.emit(self.value)

    def _on_toggle(self) -> None:
        self.western = not self.western
        self._show()

    def text(self) -> str:
        """The date as shown (和暦 or 西暦; for other languages ISO with the era in Latin)."""
        if not self.japanese:
            return latin_date(self.value)
        if self.western:
            return f"{self.value.year}年{self.value.month}月{self.value.day}日"
        wareki = to_wareki(self.value)
        year = "元" if wareki.year == 1 else str(wareki.year)
        return f"{wareki.era.name}{year}年{wareki.month}月{wareki.day}日"

    def _show(self) -> None:
        wareki = to_wareki(self.value)
        if not self.japanese:
            self._show_latin()
            return
        self.labels["era"].setText("西暦" if self.western else wareki.era.name)
        self.buttons["era+"].setEnabled(not self.western)
        self.buttons["era-"].setEnabled(not self.western)
        year = self.value.year if self.western else ("元" if wareki.year == 1 else wareki.year)
        self.labels["year"].setText(f"{year}年")
        self.labels["month"].setText(f"{self.value.month}月")
        self.labels["day"].setText(f"{self.value.day}日")


    def _show_latin(self) -> None:
        wareki = to_wareki(self.value)
        self.labels["era"].setText("AD" if self.western else
                                   ERA_LATIN.get(wareki.era.name, wareki.era.name))
        self.buttons["era+"].setEnabled(not self.western)
        self.buttons["era-"].setEnabled(not self.western)
        self.labels["year"].setText(str(self.value.year) if self.western
                                    else f"{wareki.year} ({self.value.year})")
        self.labels["month"].setText(str(self.value.month))
        self.labels["day"].setText(str(self.value.day))


def _clamp(year: int, month: int, day: int) -> date:
    """The date, with the day pulled back into short months (31 -> 30, 29 February -> 28)."""
    year = min(max(year, ERAS[0].start.year), 9999)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
