"""A number with its unit, as a person reads it: "1 copy", "2 copies", "1 通".

A form's unit may give two forms, ``"copy|copies"``: the first for exactly one, the second
otherwise (English plurals). A unit without ``|`` is one word for every count, as in Japanese,
Chinese, Vietnamese, Indonesian, Tagalog and Nepali counters.
"""

from __future__ import annotations

__all__ = ["with_unit"]


def with_unit(shown: str, count: object, unit: str) -> str:
    """``shown`` (the number as written) followed by ``unit`` in the form ``count`` takes."""
    one, _, other = unit.partition("|")
    word = one if not other or _is_one(count) else other
    return f"{shown} {word}"


def _is_one(count: object) -> bool:
    try:
        return float(str(count).replace(",", "")) == 1
    except ValueError:
        return False
