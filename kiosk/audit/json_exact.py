"""JSON read by orjson wherever it gives exactly what ``json.loads`` gives.

orjson parses several times faster than the standard library. Where it refuses a text that
the standard library reads (NaN, infinities, a lone surrogate, a byte-order mark, nesting
deeper than 1,024) the caller falls back to the standard library, so nothing changes there.
It *accepts* one thing differently: an integer beyond 64 bits becomes a float, where
``json.loads`` keeps it exact (a ticket number or a page count would then differ, and a
float is another dictionary key than the int). :func:`fast_loads` refuses such a text too.

orjson is optional at run time (pyproject): without it, everything goes to the standard
library.

The year's report reads only three fields of a record (``ts``, ``kind``, ``data``):
:func:`fields_each` decodes just those with msgspec, which checks the rest of the line's syntax
without building its values (two hashes of 64 characters), twice as fast again as orjson. msgspec
keeps integers of any length exact, and refuses NaN, infinities and lone surrogates where it
builds values; where it only checks the syntax, it accepts what ``json.loads`` refuses only in
long lines (an integer beyond 4,300 digits, nesting beyond the recursion limit), which are left
to the exact way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec

__all__ = ["LONGEST_FAST_LINE", "RecordFields", "fast_loads", "fields_each", "has_long_integer",
           "loads", "loads_each"]

_orjson_loads: Callable[[bytes], Any] | None
try:
    from orjson import loads as _orjson_loads
except ImportError:                      # an install without it reads with the stdlib
    _orjson_loads = None

# orjson keeps integers from -2**63 to 2**64 - 1; anything outside has at least 19 digits.
# Every byte is masked in one pass: a digit as "0", what may stand before a number (":", ","
# "[", a minus, white space) as "p", anything else as "x"; a run of 19 digits is then searched
# and is a number where a "p" (or the start) stands before it. (A regular expression such as
# [:,\[]\s*-?\d{19} tries every position and costs twenty times as much; searching "p" and
# 19 zeros, twice as much as 19 zeros: numbers are many, long runs of digits few.)
_MASK = bytes(ord("0") if byte in b"0123456789" else ord("p") if byte in b":,[- \t\n\r"
              else ord("x") for byte in range(256))
_RUN = b"0" * 19
_BEFORE = ord("p")


def has_long_integer(text: bytes) -> bool:
    """Whether ``text`` may hold a JSON integer of 19 digits or more: 19 digits where a
    number may start (after ``:``, ``,``, ``[``, a minus or white space, or at the start).
    A string holding such digits only sends the text to the standard library."""
    masked = text.translate(_MASK)
    found = masked.find(_RUN)
    while found >= 0:               # (runs in hex strings follow a letter or a quote)
        if not found or masked[found - 1] == _BEFORE:
            return True
        found = masked.find(_RUN, found + 1)
    return False


def fast_loads(text: bytes) -> Any:
    """``json.loads(text)`` by orjson.

    Raises:
        ValueError: orjson is not installed, refuses ``text``, or would not give exactly
            what ``json.loads`` gives (an integer beyond 64 bits).
    """
    if _orjson_loads is None:
        raise ValueError("orjson is not installed")
    if has_long_integer(text):
        raise ValueError("an integer orjson would read as a float")
    return _orjson_loads(text)           # (orjson.JSONDecodeError is a ValueError)


def loads(text: bytes) -> Any:
    """``json.loads(text)``, by orjson where that gives the same."""
    try:
        return fast_loads(text)
    except ValueError:
        return json.loads(text)


def loads_each(texts: list[bytes], joined: bytes) -> list[Any] | None:
    """``[json.loads(text) for text in texts]`` by orjson, one call a text in C; ``None``
    where that would not give exactly it (orjson missing or refusing a text, or an integer
    beyond 64 bits). ``joined``: the texts' bytes in one, searched for long integers at once.
    """
    if _orjson_loads is None or has_long_integer(joined):
        return None
    try:
        return list(map(_orjson_loads, texts))
    except ValueError:
        return None


class RecordFields(msgspec.Struct, gc=False):
    """The fields of a record its readers use, as ``record.get(name, default)`` gives them."""

    ts: str = ""
    kind: str = ""
    data: dict[str, Any] = {}


LONGEST_FAST_LINE = 1024
"""Longer lines go the exact way: msgspec checks the syntax of the fields it skips but not
Python's limits (4,300 digits an integer, the recursion depth), which need longer lines.
A record is some 300 bytes."""

_decode_fields = msgspec.json.Decoder(RecordFields).decode


def fields_each(texts: list[bytes]) -> list[RecordFields] | None:
    """The fields of each text's record: where ``json.loads(text)`` gives an object whose ``ts``
    and ``kind`` are strings and ``data`` an object, ``RecordFields(ts, kind, data)`` with what
    ``json.loads`` gives for them. ``None`` where any text is something else (a torn line, not
    an object, other types, NaN, a lone surrogate, bytes that are not UTF-8 in these fields) or
    longer than :data:`LONGEST_FAST_LINE`: the caller reads those texts the exact way."""
    if max(map(len, texts), default=0) > LONGEST_FAST_LINE:
        return None
    try:
        return list(map(_decode_fields, texts))
    except (ValueError, RecursionError):        # (msgspec.DecodeError is a ValueError)
        return None
