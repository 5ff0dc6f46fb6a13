"""和暦: Japanese era dates, era codes and the date styles of printed forms.

Era codes are not universal: the 住民基本台帳 systems number 明治..令和 as 1..5 while social
insurance forms use 1, 3, 5, 7, 9. Each form therefore carries its own :class:`EraStyle`; there
is deliberately no global code table in use, only presets a form may name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date

import msgspec

__all__ = [
    "ERAS",
    "JUKI_CODES",
    "SHAKAI_HOKEN_CODES",
    "Era",
    "EraStyle",
    "WarekiDate",
    "WarekiError",
    "format_date",
    "from_wareki",
    "parse_date",
    "to_wareki",
]


# Frozen msgspec structs, as the model's (kiosk.procedures.model): made in C at import.
class Era(msgspec.Struct, frozen=True):
    """An era: its name in kanji, its initial (M T S H R) and its first day."""

    name: str
    initial: str
    start: date


# The first day of each era as the counters use it (明治 from the Gregorian start of 1868).
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)

JUKI_CODES: Mapping[str, int] = {"明治": 1, "大正": 2, "昭和": 3, "平成": 4, "令和": 5}
SHAKAI_HOKEN_CODES: Mapping[str, int] = {"明治": 1, "大正": 3, "昭和": 5, "平成": 7, "令和": 9}


class WarekiError(ValueError):
    """A 和暦 date that does not exist (before its era, after the next one began, bad day)."""


class WarekiDate(msgspec.Struct, frozen=True):
    """A date as era, era year, month and day."""

    era: Era
    year: int
    month: int
    day: int


class EraStyle(msgspec.Struct, frozen=True):
    """How one form writes dates: its era codes and its pattern.

    ``pattern`` placeholders: ``{era}`` (令和), ``{initial}`` (R), ``{code}`` (per form),
    ``{year}`` (元 for year 1 when ``gannen``), ``{yy}`` ``{mm}`` ``{dd}`` (two digits),
    ``{month}`` ``{day}``, ``{western}`` (2024).
    """

    codes: Mapping[str, int] = msgspec.field(default_factory=lambda: dict(JUKI_CODES))
    pattern: str = "{era}{year}年{month}月{day}日"
    gannen: bool = True


def _era_of(day: date) -> Era:
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise WarekiError(f"{day.isoformat()} is before the Meiji era")


def to_wareki(day: date) -> WarekiDate:
    """The 和暦 of ``day``.

    Raises:
        WarekiError: ``day`` is before 明治.
    """
    era = _era_of(day)
    return WarekiDate(era, day.year - era.start.year + 1, day.month, day.day)


def from_wareki(era_name: str, year: int, month: int, day: int) -> date:
    """The Gregorian date of era ``era_name`` (name or initial), ``year``, ``month``, ``day``.

    Raises:
        WarekiError: the era is unknown or the date lies outside it (e.g. 平成31年5月1日).
    """
    era = next((e for e in ERAS if era_name in (e.name, e.initial, e.initial.lower())), None)
    if era is None:
        raise WarekiError(f"unknown era {era_name!r}")
    if year < 1:
        raise WarekiError("era year must be 1 or more")
    try:
        result = date(era.start.year + year - 1, month, day)
    except ValueError as exc:
        raise WarekiError(str(exc)) from exc
    if _era_of(result) != era:
        raise WarekiError(f"{era.name}{year}年{month}月{day}日 is outside the era")
    return result


def format_date(day: date, style: EraStyle | None = None) -> str:
    """``day`` written in ``style`` (default: 令和6年4月1日 with 元年)."""
    style = style or EraStyle()
    wareki = to_wareki(day)
    year = "元" if wareki.year == 1 and style.gannen else str(wareki.year)
    return style.pattern.format(
        era=wareki.era.name, initial=wareki.era.initial, code=style.codes.get(wareki.era.name, ""),
        year=year, yy=f"{wareki.year:02d}", month=day.month, day=day.day,
        mm=f"{day.month:02d}", dd=f"{day.day:02d}", western=day.year)


_WAREKI = re.compile(
    r"^(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?\s*(?P<year>元|\d{1,2})\s*[年./-]\s*"
    r"(?P<month>\d{1,2})\s*[月./-]\s*(?P<day>\d{1,2})\s*日?$")
_CODED = re.compile(r"^(?P<code>\d)-?(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})$")
_WESTERN = re.compile(r"^(?P<year>\d{4})\s*[年./-]\s*(?P<month>\d{1,2})\s*[月./-]\s*"
                      r"(?P<day>\d{1,2})\s*日?$")


def parse_date(text: str, style: EraStyle | None = None) -> date:
    """Read a date typed at the counter: 令和6年4月1日, 令和元年5月1日, R6.4.1, H31/4/30,
    a coded date in the form's era codes (5-060401), or 2024-04-01. Full-width digits are fine.

    Raises:
        WarekiError: the text is not a date or not a real one.
    """
    style = style or EraStyle()
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if match := _WAREKI.match(cleaned):
        year = 1 if match["year"] == "元" else int(match["year"])
        return from_wareki(match["era"].upper() if len(match["era"]) == 1 else match["era"],
                           year, int(match["month"]), int(match["day"]))
    if match := _CODED.match(cleaned):
        names = [name for name, code in style.codes.items() if code == int(match["code"])]
        if not names:
            raise WarekiError(f"era code {match['code']} is not used on this form")
        return from_wareki(names[0], int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _WESTERN.match(cleaned):
        try:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError as exc:
            raise WarekiError(str(exc)) from exc
    raise WarekiError("not a date")
