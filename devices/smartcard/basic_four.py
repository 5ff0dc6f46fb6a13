"""Parsing EF 0002 (基本4情報) into an :class:`~kiosk.domain.identity.Identity`.

Layout (reference §A5.2)::

    FF20 { DF21 offset table (4 x u16, from the start of the file),
           DF22 氏名 UTF-8, DF23 住所 UTF-8, DF24 生年月日 "YYYYMMDD", DF25 性別 "1"/"2"/"9"/"0" }

Fields are found by tag, not by position. Name and address are cleaned on the way in
(:func:`~kiosk.domain.text_cleaning.clean_card_text`). The offset table is checked against where the
TLVs really are: a mismatch means a transport or parse error, not data to trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.smartcard.tlv import TlvError, find, parse
from kiosk.domain.identity import Identity, Sex
from kiosk.domain.text_cleaning import clean_card_text

__all__ = [
    "TAG_ADDRESS",
    "TAG_BASIC_FOUR",
    "TAG_BIRTH",
    "TAG_NAME",
    "TAG_OFFSETS",
    "TAG_SEX",
    "BasicFour",
    "parse_basic_four",
]

TAG_BASIC_FOUR = 0xFF20
TAG_OFFSETS = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH = 0xDF24
TAG_SEX = 0xDF25
_FIELD_TAGS = (TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX)


@dataclass(frozen=True, repr=False)
class BasicFour:
    """The parsed file: the identity and the exact bytes its digest (DF32) covers."""

    identity: Identity
    digest_source: bytes       # the DF22..DF25 TLVs as read, without the DF21 table

    def __repr__(self) -> str:
        return "BasicFour(***)"


def _text(value: bytes, tag: int) -> str:
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TlvError(f"tag {tag:X} is not UTF-8") from exc
    # Cleaned on the way in (controls and bidi overrides removed, NFC, 外字 kept); the digest
    # is checked over the bytes as read, so cleaning never hides a tampered file.
    return clean_card_text(text)


def _birth_date(value: bytes) -> date:
    if len(value) != 8 or not value.isdigit():
        raise TlvError(f"tag {TAG_BIRTH:X} is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise TlvError(f"tag {TAG_BIRTH:X} is not a valid date") from exc


def _sex(value: bytes) -> Sex:
    try:
        return Sex(value.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TlvError(f"tag {TAG_SEX:X} is not a sex code") from exc


def parse_basic_four(data: bytes | bytearray) -> BasicFour:
    """Parse EF 0002 (trailing filler allowed).

    Raises:
        TlvError: malformed TLV, a missing field, an offset table that does not match, text
            that is not UTF-8, an impossible date or an unknown sex code.
    """
    outer = find(parse(data), TAG_BASIC_FOUR)
    if not outer.constructed:
        raise TlvError(f"tag {TAG_BASIC_FOUR:X} is not constructed")
    children = outer.children()
    base = outer.offset + outer.header_length
    table = find(children, TAG_OFFSETS).value
    if len(table) != 2 * len(_FIELD_TAGS):
        raise TlvError(f"tag {TAG_OFFSETS:X} has {len(table)} bytes, expected 8")
    fields = [find(children, tag) for tag in _FIELD_TAGS]
    for index, tlv in enumerate(fields):
        announced = int.from_bytes(table[2 * index:2 * index + 2], "big")
        if announced != base + tlv.offset:
            raise TlvError(f"offset table entry {index} does not match tag {tlv.tag:X}")
    start = fields[0].offset
    end = max(tlv.end for tlv in fields)
    identity = Identity(
        name=_text(fields[0].value, TAG_NAME),
        address=_text(fields[1].value, TAG_ADDRESS),
        birth_date=_birth_date(fields[2].value),
        sex=_sex(fields[3].value),
    )
    return BasicFour(identity, outer.value[start:end])
