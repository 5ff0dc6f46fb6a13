"""The 和暦/西暦 date picker: steps, ten-year steps, era jumps, clamped impossible dates."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.ui.common.date_picker import DatePicker

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("start", "taps", "expected"), [
    (date(2026, 4, 1), ["year-10", "year-10", "year-10", "year-", "year-"], date(1994, 4, 1)),
    (date(1985, 4, 12), ["year+10"], date(1995, 4, 12)),
    (date(2024, 2, 29), ["year+"], date(2025, 2, 28)),       # no 29 February in 2025
    (date(2026, 1, 31), ["month+"], date(2026, 2, 28)),
    (date(2026, 4, 1), ["day-"], date(2026, 3, 31)),
])
def test_date_picker__taps__reach_the_expected_date(qtbot, start, taps, expected):
    picker = DatePicker(48, start)
    qtbot.addWidget(picker)
    seen = []
    picker.changed.connect(seen.append)

    for tap in taps:
        picker.buttons[tap].click()

    assert picker.value == expected
    assert seen[-1] == expected
    assert len(seen) == len(taps)


def test_date_picker__era_minus_from_reiwa__jumps_to_the_first_day_of_heisei(qtbot):
    picker = DatePicker(48, date(2026, 4, 1))
    qtbot.addWidget(picker)

    picker.buttons["era-"].click()

    assert picker.value == date(1989, 1, 8)


def test_date_picker__vietnamese__era_in_latin_letters_with_the_western_year(qapp) -> None:  # type: ignore[no-untyped-def]
    picker = DatePicker(48, date(1985, 4, 12), language="vi", toggle_text="Năm dương lịch")

    shown = [picker.labels[part].text() for part in ("era", "year", "month", "day")]

    assert shown == ["Showa", "60 (1985)", "4", "12"]
    assert picker.text() == "1985-04-12 (Showa 60)"
    assert picker.toggle.text() == "Năm dương lịch"
