"""What a clerk types to find a resident, read into one kind of key, and the folding of names.

One search box takes every key the counter uses (MADO's hub, 芽室町):

* a birth date as 8 digits 西暦 (``19930101``) or 7 digits 和暦 in the 住基 era codes
  (``4050101`` = 平成5年1月1日; 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和), or written out
  (``平成5年1月1日``, ``H5.1.1``, ``1993-01-01``);
* the 宛名番号 (any other run of digits; an 8- or 7-digit one that is no date: prefix ``#``);
* a reading in katakana or hiragana (``やまだ たろう``), matched from its start;
* a name in kanji, matched from its start, with the common 異体字 folded (髙 = 高, 﨑 = 崎,
  邊 = 邉 = 辺 ...), so a clerk who types the everyday character finds the register's one.

The query is personal data: its repr shows the kind only.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.procedures.eras import JUKI_CODES, EraStyle, WarekiError, parse_date
from kiosk.procedures.kana import to_katakana

__all__ = [
    "QueryError",
    "QueryKind",
    "ResidentQuery",
    "fold_kana",
    "fold_name",
    "parse_query",
]

# 異体字 -> the everyday character, both ways round in the register and at the counter. Only
# one-to-one characters (SQL's translate() applies the same table in the copy database).
_VARIANTS = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "邊": "辺", "邉": "辺", "澤": "沢",
    "濱": "浜", "濵": "浜", "齋": "斉", "齊": "斉", "斎": "斉", "櫻": "桜", "廣": "広",
    "國": "国", "眞": "真", "實": "実", "德": "徳", "惠": "恵", "榮": "栄", "藏": "蔵",
    "龍": "竜", "瀨": "瀬", "冨": "富", "桒": "桑", "曻": "昇", "槇": "槙", "嶋": "島",
    "嶌": "島", "峯": "峰", "舘": "館", "淵": "渕", "渊": "渕", "黑": "黒", "萬": "万",
    "埜": "野", "壽": "寿", "條": "条", "團": "団", "傳": "伝", "圓": "円", "戶": "戸",
    "户": "戸", "﨔": "欅",
}
VARIANT_TABLE = str.maketrans(_VARIANTS)
# Variation selectors (IVS, SVS) pick a glyph, not a different name: a search ignores them.
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_SPACES = re.compile(r"\s+")
_KANA = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fd\u30fe]+$")
_DIGITS = re.compile(r"^\d+$")
_DATE_HINT = re.compile(r"\d.*[年./\-]|^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?\s*(元|\d)")
_JUKI = EraStyle(codes=dict(JUKI_CODES))


class QueryError(UserFacingError):
    """The typed search cannot be read (the message says what to type)."""


class QueryKind(enum.StrEnum):
    """Which key a query searches."""

    RESIDENT_ID = "id"
    BIRTH_DATE = "birth"
    KANA = "kana"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class ResidentQuery:
    """One search: its kind and its folded key (``key``), or the date for a birth date."""

    kind: QueryKind
    key: str = field(default="", repr=False)
    birth_date: date | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"ResidentQuery({self.kind.value})"


def _nfkc(text: str) -> str:
    # The check is cheaper than the normalisation, and most register text is normalised.
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC",
                                                                                       text)


def fold_name(text: str) -> str:
    """A name as the index keys it: NFKC, no spaces or variation selectors, 異体字 folded."""
    # Spaces first: NFKC turns U+3000 into a space, so a name with one is never "normalised".
    cleaned = _nfkc(_SELECTORS.sub("", _SPACES.sub("", text)))
    return _SPACES.sub("", cleaned).translate(VARIANT_TABLE)


def fold_kana(text: str) -> str:
    """A reading as the index keys it: full-width katakana (hiragana and ｶﾅ folded), no
    spaces."""
    return _SPACES.sub("", to_katakana(_nfkc(_SPACES.sub("", text))))


def parse_query(text: str) -> ResidentQuery:
    """Read what the clerk typed into one key (see the module's list).

    Raises:
        QueryError: empty, or a date that does not exist (平成31年5月1日, 4130230).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise QueryError(S_("Type a name, a reading, a birth date or a 宛名番号."))
    if cleaned.startswith("#") and _DIGITS.match(cleaned[1:]):
        return ResidentQuery(QueryKind.RESIDENT_ID, cleaned[1:])
    if _DIGITS.match(cleaned):
        return _digits(cleaned)
    if _DATE_HINT.search(cleaned):
        try:
            return ResidentQuery(QueryKind.BIRTH_DATE, birth_date=parse_date(cleaned, _JUKI))
        except WarekiError as exc:
            raise QueryError(S_("This is not a date that exists. Type the birth date as "
                                "19930101, 4050101 (平成5年1月1日) or 平成5年1月1日.")) from exc
    kana = fold_kana(cleaned)
    if _KANA.match(kana):
        return ResidentQuery(QueryKind.KANA, kana)
    return ResidentQuery(QueryKind.NAME, fold_name(cleaned))


def _digits(digits: str) -> ResidentQuery:
    """8 digits 西暦 or 7 digits 和暦 when they are a date; otherwise a 宛名番号."""
    if len(digits) == 8:
        try:
            day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            day = None
        if day is not None and day.year >= 1868:
            return ResidentQuery(QueryKind.BIRTH_DATE, birth_date=day)
    if len(digits) == 7 and digits[0] in "12345":
        try:
            return ResidentQuery(QueryKind.BIRTH_DATE, birth_date=parse_date(digits, _JUKI))
        except WarekiError as exc:
            raise QueryError(S_("These 7 digits are not a 和暦 date that exists (era 1 明治 … "
                                "5 令和, then year, month, day: 4050101 = 平成5年1月1日). "
                                "Type # before a 宛名番号.")) from exc
    return ResidentQuery(QueryKind.RESIDENT_ID, digits)
