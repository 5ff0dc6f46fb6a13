"""BER-TLV as the My Number card writes it: parse by tag, 1- to 3-byte lengths, 00/FF filler.

Pure functions over bytes. The card uses private-class tags (``DF21``..``DF25`` primitive,
``FF20`` constructed) and definite lengths in the short form or ``81 xx`` / ``82 xx xx``. The
EF behind a TLV is longer than the TLV and padded with ``00`` or ``FF``; parsing stops there.
Anything malformed raises :class:`TlvError` (a :class:`~kiosk.domain.identity.CardDataError`),
never ``IndexError`` or ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kiosk.domain.identity import CardDataError

__all__ = ["Tlv", "TlvError", "encode", "find", "parse", "parse_header"]

_MAX_TAG_BYTES = 3
_MAX_LENGTH_BYTES = 2          # after the 81/82 marker: lengths up to 65535


class TlvError(CardDataError):
    """The bytes are not valid BER-TLV; ``detail`` names the offset, never the value."""


@dataclass(frozen=True, slots=True)
class Tlv:
    """One data object: its tag, its value and where it sits in the parsed buffer.

    Attributes:
        tag: the tag as an integer (``0xDF22``).
        value: the value bytes.
        offset: offset of the tag's first byte in the buffer given to :func:`parse`.
        header_length: bytes of tag + length.
    """

    tag: int
    value: bytes
    offset: int
    header_length: int

    @property
    def constructed(self) -> bool:
        """Bit 6 of the first tag byte: the value is itself a list of TLVs."""
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)

    @property
    def end(self) -> int:
        """Offset just past the value."""
        return self.offset + self.header_length + len(self.value)

    def children(self) -> list[Tlv]:
        """The TLVs inside a constructed value (offsets relative to this value)."""
        if not self.constructed:
            raise TlvError(f"tag {self.tag:X} is primitive")
        return parse(self.value)


def _parse_tag(view: memoryview, offset: int) -> tuple[int, int]:
    """The tag at ``offset`` and the position after it."""
    if offset >= len(view):
        raise TlvError(f"no tag at offset {offset}")
    tag = view[offset]
    pos = offset + 1
    if tag & 0x1F != 0x1F:                       # single-byte tag
        return tag, pos
    while True:                                  # tag number continues while bit 8 is set
        if pos >= len(view):
            raise TlvError(f"truncated tag at offset {offset}")
        tag = (tag << 8) | view[pos]
        pos += 1
        if not view[pos - 1] & 0x80:
            return tag, pos
        if pos - offset >= _MAX_TAG_BYTES:
            raise TlvError(f"tag too long at offset {offset}")


def parse_header(data: bytes | bytearray, offset: int = 0) -> tuple[int, int, int]:
    """Decode the tag and length at ``offset``.

    Returns:
        ``(tag, header_length, value_length)``.

    Raises:
        TlvError: truncated header, a tag longer than 3 bytes, or an unsupported length form.
    """
    view = memoryview(data)
    tag, pos = _parse_tag(view, offset)
    if pos >= len(view):
        raise TlvError(f"no length at offset {offset}")
    first = view[pos]
    pos += 1
    if first < 0x80:
        return tag, pos - offset, first
    count = first & 0x7F
    if count == 0 or count > _MAX_LENGTH_BYTES:
        raise TlvError(f"unsupported length form {first:02X} at offset {offset}")
    if pos + count > len(view):
        raise TlvError(f"truncated length at offset {offset}")
    length = int.from_bytes(view[pos:pos + count], "big")
    return tag, pos + count - offset, length


def _is_filler(data: bytes, pos: int) -> bool:
    # 00 is never a tag here; FF starts a real tag (FF20) unless another FF or the end follows.
    byte = data[pos]
    if byte == 0x00:
        return True
    return byte == 0xFF and (pos + 1 >= len(data) or data[pos + 1] == 0xFF)


def _iterate(data: bytes) -> Iterator[Tlv]:
    pos = 0
    while pos < len(data) and not _is_filler(data, pos):
        tag, header_length, length = parse_header(data, pos)
        start = pos + header_length
        if start + length > len(data):
            raise TlvError(f"value of tag {tag:X} at offset {pos} runs past the data")
        yield Tlv(tag, bytes(data[start:start + length]), pos, header_length)
        pos = start + length


def parse(data: bytes | bytearray) -> list[Tlv]:
    """Parse a sequence of TLVs at one level, stopping at ``00``/``FF`` filler.

    Raises:
        TlvError: the bytes are not well-formed.
    """
    return list(_iterate(bytes(data)))


def find(tlvs: Sequence[Tlv], tag: int) -> Tlv:
    """The first TLV with ``tag``.

    Raises:
        TlvError: no TLV has that tag.
    """
    for tlv in tlvs:
        if tlv.tag == tag:
            return tlv
    raise TlvError(f"tag {tag:X} missing")


def encode(tag: int, value: bytes) -> bytes:
    """Encode one TLV with the shortest definite length (the simulator writes files with it)."""
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    length = len(value)
    if length < 0x80:
        length_bytes = bytes([length])
    elif length <= 0xFF:
        length_bytes = bytes([0x81, length])
    elif length <= 0xFFFF:
        length_bytes = bytes([0x82]) + length.to_bytes(2, "big")
    else:
        raise ValueError(f"value too long for this card: {length} bytes")
    return tag_bytes + length_bytes + value
