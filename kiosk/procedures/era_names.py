"""Era names in Latin letters, for dates shown to visitors who do not read Japanese.

"Showa 60 (1985)": the era a Japanese document uses, with the Western year beside it.
"""

from __future__ import annotations

from datetime import date

from kiosk.procedures.eras import to_wareki

__all__ = ["ERA_LATIN", "era_year_latin", "latin_date"]

ERA_LATIN = {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"}


def era_year_latin(day: date) -> str:
    """The era and its year in Latin letters: ``"Showa 60"``."""
    wareki = to_wareki(day)
    return f"{ERA_LATIN.get(wareki.era.name, wareki.era.name)} {wareki.year}"


def latin_date(day: date) -> str:
    """``day`` for a reader of another language: ``"1985-04-12 (Showa 60)"``."""
    return f"{day.isoformat()} ({era_year_latin(day)})"
