"""Checking many records of the hash chain at once (``verify``'s usual case).

A day file that nobody touched is checked a block of lines at a time: for every line of the
block the same tests as :func:`~kiosk.audit.chain.check_line` and the chain (its own hash,
the previous record's hash in ``prev``, its line number in ``seq``), each test done over the
whole block at once in C. Only the log's own records (the anchor, seals, purges) then need
the detailed way, and they are few. Any fault, anywhere, makes :func:`chained_file` answer
``None``: ``verify`` then reads the file line by line and names the first bad line.

Blocks of about 128 KiB rather than the whole file: the lines of a block, their hashes and the
joined strings stay in the processor's cache, and the memory of one block is reused for the
next. A whole busy day (2 MB, 7,000 lines) at once costs nearly twice as much, half of it in
the kernel giving fresh pages and taking them back (measured, issue 18).
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.audit.chain import LineFault, ParsedLine, check_line

__all__ = ["BLOCK_BYTES", "LOG_KIND", "ChainedFile", "batch_digest", "chained_file"]

BLOCK_BYTES = 128 * 1024
LOG_KIND = b'"kind":"log.'
"""What every record of the log's own (``log.anchor``, ``log.seal`` ...) holds."""

_SEQ_AT = len(b'{"prev":"') + 64 + len(b'","seq":')
_HEAD = slice(len(b'{"prev":"') + 64)
_TAIL_LEN = len(b',"hash":"') + 64 + len(b'"}')
_hexdigest: Callable[[Any], str] = type(hashlib.sha256()).hexdigest
_slice: Callable[[bytes, slice], bytes] = operator.getitem  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class ChainedFile:
    """A day file whose records after the first all passed the batch check.

    Attributes:
        count: its lines, every one a record (the file ends with a line break).
        first: line 1, checked by :func:`check_line`, numbered 1.
        specials: line 1 and every line holding :data:`LOG_KIND`, as (index, line), in order.
        last_hash: the hash of the last record.
    """

    count: int
    first: ParsedLine
    specials: list[tuple[int, bytes]]
    last_hash: str


def chained_file(content: bytes) -> ChainedFile | None:
    """``content`` checked a block at a time; ``None`` on any fault (or fewer than 2 lines)."""
    # A record never holds a raw \r (the encoder escapes it): a file with one is read line
    # by line, where bytes.splitlines breaks at it as the detailed check does.
    if not content.endswith(b"\n") or b"\r" in content:
        return None
    at = content.index(b"\n") + 1
    if at == len(content):
        return None
    try:
        first = check_line(content[:at])
    except LineFault:
        return None
    if first.seq != 1:
        return None
    specials = [(0, content[:at])]
    last, expected = first.hash, 2
    while at < len(content):
        cut = content.find(b"\n", at + BLOCK_BYTES) + 1 or len(content)
        part = content[at:cut].split(b"\n")       # (faster than splitlines; no \r here)
        del part[-1]                                # the "" after the block's last break
        digest = batch_digest(part, expected, last, "")
        if digest is None:
            return None
        last = digest
        specials += _log_records(content, at, cut)
        expected += len(part)
        at = cut
    return ChainedFile(expected - 1, first, specials, last)


def _log_records(content: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """The lines holding :data:`LOG_KIND` between ``start`` and ``end`` (whole lines that
    passed the batch check, so a line's ``seq`` is its line number)."""
    found = content.find(LOG_KIND, start, end)
    records = []
    while found >= 0:
        begin = content.rfind(b"\n", 0, found) + 1
        stop = content.index(b"\n", found) + 1
        seq = int(content[begin + _SEQ_AT:content.index(b",", begin + _SEQ_AT)])
        records.append((seq - 1, content[begin:stop]))
        found = content.find(LOG_KIND, stop, end)
    return records


def batch_digest(part: list[bytes], expected: int, last_hash: str, end: str = "\n"
                 ) -> str | None:
    """The hash of the last line of ``part`` when every line is a whole record hashing right,
    chained from ``last_hash`` and numbered from ``expected``; otherwise ``None``.

    ``end``: what every line ends with (``"\n"``, or ``""`` for lines split at their breaks).
    Each test is one comparison of the lines' joined slices with what they must be: every
    line's tail is ``,"hash":"<its own SHA-256>"}<end>`` and its head ``{"prev":"<the hash of
    the line before>`` (a slice of a short line is short, so the joined lengths differ).
    Per line this costs the hash and two slices, each done by ``map`` in C.
    """
    tail = slice(-_TAIL_LEN - len(end), None)
    body = map(operator.add, map(_slice, part, itertools.repeat(slice(tail.start))),
               itertools.repeat(b"}"))
    digests = list(map(_hexdigest, map(hashlib.sha256, body)))
    if not digests:
        return last_hash
    tails = f'"}}{end},"hash":"'.join(digests)
    heads = '{"prev":"'.join([last_hash, *digests[:-1]])
    if (b"".join(map(_slice, part, itertools.repeat(tail)))
            == f',"hash":"{tails}"}}{end}'.encode("ascii")
            and b"".join(map(_slice, part, itertools.repeat(_HEAD)))
            == f'{{"prev":"{heads}'.encode("ascii")
            and all(map(bytes.startswith, part, seq_marks(expected, len(part)),
                        itertools.repeat(_HEAD.stop)))):
        return digests[-1]
    return None


_SEQ_MARKS: list[bytes] = []


def seq_marks(first: int, count: int) -> list[bytes]:
    """``","seq":<n>,`` for ``n`` from ``first``, ``count`` of them (kept: every file
    numbers its lines from 1, so each file needs the same ones)."""
    if len(_SEQ_MARKS) < first + count:
        _SEQ_MARKS.extend(b'","seq":%d,' % n for n in range(len(_SEQ_MARKS), first + count))
    return _SEQ_MARKS[first:first + count]
