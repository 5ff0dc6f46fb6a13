"""JSON read by orjson wherever it gives exactly what ``json.loads`` gives.

orjson parses several times faster than the standard library. Where it refuses a text that
the standard library reads (NaN, infinities, a lone surrogate, a byte-order mark, nesting
deeper than 1,024) the caller falls back to the standard library, so nothing changes there.
It *accepts* one thing differently: an integer beyond 64 bits becomes a float, where
``json.loads`` keeps it exact (a ticket number or a page count would then differ, and a
float is another dictionary key than the int). :func:`fast_loads` refuses such a text too.

orjson is optional at run time (pyproject): without it, everything goes to the standard
library.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["fast_loads", "has_long_integer", "loads"]

_orjson_loads: Callable[[bytes], Any] | None
try:
    from orjson import loads as _orjson_loads
except ImportError:                      # an install without it reads with the stdlib
    _orjson_loads = None

# orjson keeps integers from -2**63 to 2**64 - 1; anything outside has at least 19 digits.
# Found by masking every digit as "0" and searching 19 of them: a regular expression
# (\d{19}) tries every position and costs fifteen times as much.
_MASK = bytes.maketrans(b"123456789", b"000000000")
_RUN = b"0" * 19
_BEFORE_NUMBER = frozenset(b":,[")
_SPACE = frozenset(b" \t\n\r")
_DIGITS = frozenset(b"0123456789")


def has_long_integer(text: bytes) -> bool:
    """Whether ``text`` may hold a JSON integer of 19 digits or more.

    A run of 19 digits is an integer where it stands as a value: after ``:``, ``,`` or ``[``
    (maybe with a minus and white space between) or at the start. Runs inside strings (a
    seal's MAC, a hex id) mostly stand after a letter or a quote and are not counted; one
    that looks like a value only sends the text to the standard library.
    """
    masked = text.translate(_MASK)
    found = masked.find(_RUN)
    while found >= 0:
        at = found - 1
        if at < 0 or text[at] not in _DIGITS:     # (else the rest of a run looked at)
            if at >= 0 and text[at] == ord("-"):
                at -= 1
            while at >= 0 and text[at] in _SPACE:
                at -= 1
            if at < 0 or text[at] in _BEFORE_NUMBER:
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
