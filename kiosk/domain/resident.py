"""Residents and households as the read-only resident register (住民記録) shows them.

Everything here is personal data: the reprs show the 宛名番号 (the register's own id, which
the usage log records too) and counts, never a name, a reading, a birth date, an address or a
本籍.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["Household", "Resident", "relation_code"]


@dataclass(frozen=True, slots=True)
class Resident:
    """One resident of the register.

    ``id`` is the 宛名番号 (digits), ``kana`` the reading in full-width katakana with one
    U+3000 between family and given name, ``sex`` ``"1"`` (male) or ``"2"`` (female) as the
    forms code it, ``relation`` the 続柄 as the register writes it (世帯主, 妻, 子, 長男...).
    ``honseki`` and ``hittosha`` are empty when the extract has none or the clerk's right does
    not include them.
    """

    id: str
    household_id: str
    name: str = field(repr=False)
    kana: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: str = field(repr=False)
    relation: str = field(repr=False)
    address: str = field(default="", repr=False)
    honseki: str = field(default="", repr=False)
    hittosha: str = field(default="", repr=False)

    def __repr__(self) -> str:
        return f"Resident(id={self.id}, household={self.household_id}, <personal data hidden>)"

    @property
    def is_head(self) -> bool:
        """Whether the resident is the 世帯主 of their household."""
        return self.relation == "世帯主"


@dataclass(frozen=True, slots=True)
class Household:
    """A household (世帯): its members, the 世帯主 first, then in the register's order."""

    id: str
    members: tuple[Resident, ...] = field(repr=False)

    def __repr__(self) -> str:
        return f"Household(id={self.id}, members={len(self.members)})"

    @property
    def head(self) -> Resident | None:
        """The 世帯主, or ``None`` when the extract names none."""
        return next((member for member in self.members if member.is_head), None)


# 続柄 as the register writes it -> the value of the forms' ``family_relation`` choice. The
# register's own words are many (長男, 二女, 妻(未届)...); the forms know five.
_RELATIONS: tuple[tuple[str, str], ...] = (
    ("世帯主", "head"),
    ("妻", "spouse"), ("夫", "spouse"),
    ("父", "parent"), ("母", "parent"),
    ("子", "child"), ("男", "child"), ("女", "child"),
)


def relation_code(relation: str) -> str:
    """The forms' choice value (head, spouse, child, parent, other) of a register 続柄."""
    text = relation.strip()
    if text == "世帯主":
        return "head"
    for word, code in _RELATIONS[1:]:
        # 妻, 夫 and 父/母 are exact; 子 and 長男/二女/養子 end in 男, 女 or 子.
        if (code == "child" and text.endswith(word)) or text == word:
            return code
    return "other"
