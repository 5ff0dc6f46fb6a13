"""和暦: conversion at the era boundaries, 元年, per-form era codes and patterns, typed input."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.procedures.eras import (
    JUKI_CODES,
    SHAKAI_HOKEN_CODES,
    EraStyle,
    WarekiError,
    format_date,
    from_wareki,
    parse_date,
    to_wareki,
)


@pytest.mark.parametrize(("day", "era", "year"), [
    (date(1868, 1, 25), "明治", 1),
    (date(1912, 7, 29), "明治", 45),
    (date(1912, 7, 30), "大正", 1),
    (date(1926, 12, 24), "大正", 15),
    (date(1926, 12, 25), "昭和", 1),
    (date(1989, 1, 7), "昭和", 64),
    (date(1989, 1, 8), "平成", 1),
    (date(2019, 4, 30), "平成", 31),
    (date(2019, 5, 1), "令和", 1),
    (date(2026, 4, 1), "令和", 8),
])
def test_to_wareki__boundary__gives_era_and_year(day: date, era: str, year: int) -> None:
    wareki = to_wareki(day)
    assert (wareki.era.name, wareki.year) == (era, year)


@pytest.mark.parametrize(("day", "text"), [
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(1989, 1, 8), "平成元年1月8日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2020, 1, 1), "令和2年1月1日"),
])
def test_format_date__default_style__writes_gannen(day: date, text: str) -> None:
    assert format_date(day) == text


@pytest.mark.parametrize(("codes", "day", "text"), [
    (JUKI_CODES, date(1989, 1, 7), "3-640107"),
    (JUKI_CODES, date(2019, 5, 1), "5-010501"),
    (SHAKAI_HOKEN_CODES, date(1989, 1, 8), "7-010108"),
    (SHAKAI_HOKEN_CODES, date(2019, 5, 1), "9-010501"),
])
def test_format_date__coded_style__uses_the_forms_codes(codes: dict[str, int], day: date,
                                                         text: str) -> None:
    style = EraStyle(codes, "{code}-{yy}{mm}{dd}", gannen=False)
    assert format_date(day, style) == text


def test_format_date__gannen_off__writes_1() -> None:
    assert format_date(date(2019, 5, 1), EraStyle(gannen=False)) == "令和1年5月1日"


@pytest.mark.parametrize(("text", "day"), [
    ("令和6年4月1日", date(2024, 4, 1)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("R6.4.1", date(2024, 4, 1)),
    ("h31/4/30", date(2019, 4, 30)),
    ("Ｒ６．４．１", date(2024, 4, 1)),
    ("５-０６０４０１", date(2024, 4, 1)),
    ("2024-04-01", date(2024, 4, 1)),
    ("2024年4月1日", date(2024, 4, 1)),
])
def test_parse_date__typed_forms__give_date(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", [
    "平成31年5月1日", "昭和64年1月8日", "令和元年4月30日", "令和6年2月30日", "大正0年1月1日",
    "明治1年1月1日", "X6.4.1", "tomorrow", "2-060401",
])
def test_parse_date__impossible__raises(text: str) -> None:
    with pytest.raises(WarekiError):
        parse_date(text, EraStyle(SHAKAI_HOKEN_CODES))


def test_parse_date__code_of_other_system__reads_differently() -> None:
    # 5 is 令和 in 住基 codes but 昭和 in social-insurance codes: never a global table.
    assert parse_date("5-010501", EraStyle(JUKI_CODES)) == date(2019, 5, 1)
    assert parse_date("5-640107", EraStyle(SHAKAI_HOKEN_CODES)) == date(1989, 1, 7)


def test_from_wareki__before_meiji__raises() -> None:
    with pytest.raises(WarekiError):
        to_wareki(date(1868, 1, 24))
    with pytest.raises(WarekiError):
        from_wareki("慶応", 4, 1, 1)
