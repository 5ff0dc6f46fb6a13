"""Reading records back: every device's daily files in a date range, oldest first."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.audit.json_exact import RecordFields, fields_each, loads_each
from kiosk.audit.usage_log import day_files, device_dirs

__all__ = ["BLOCK_BYTES", "FieldsBlock", "LogRecord", "RecordBlock", "Records", "file_blocks",
           "file_fields", "iter_records"]


class LogRecord(NamedTuple):
    """One record as read from a file, with where it stands.

    A named tuple rather than a frozen dataclass: a year's report builds millions of them,
    and a frozen dataclass sets each field through ``object.__setattr__``.
    """

    device: str
    file: Path
    line: int
    ts: str
    kind: str
    data: dict[str, Any]


class Records(Iterator[LogRecord]):
    """What :func:`iter_records` returns: an iterator of :class:`LogRecord`, whose files can
    also be read by blocks (:meth:`files`, :func:`file_blocks`) without building a named tuple
    per record.

    The year's report reads it by blocks: millions of ``LogRecord`` cost as much as parsing.
    """

    def __init__(self, files: Iterator[tuple[str, Path]], kinds: frozenset[str]) -> None:
        self._files = files
        self.kinds = kinds
        self._records: Iterator[LogRecord] | None = None

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> LogRecord:
        if self._records is None:
            # One list per day file, chained in C: no Python frame resumes per record.
            self._records = itertools.chain.from_iterable(
                _file_records(device, path, self.kinds) for device, path in self._files)
        return next(self._records)

    def files(self) -> list[tuple[str, Path]]:
        """The (device, day file) pairs, in the order they are read, for a reader that reads
        the files itself (:func:`file_blocks`, maybe in other processes). Use one way only."""
        if self._records is not None:
            raise RuntimeError("records already read")
        self._records = iter(())
        return list(self._files)


def iter_records(directory: Path, first: date | None = None, last: date | None = None,
                 *, devices: frozenset[str] = frozenset(),
                 kinds: frozenset[str] = frozenset()) -> Records:
    """The records of the days ``first`` to ``last`` (inclusive; open ends read everything).

    Lines that are not JSON (a torn line) are skipped: ``verify`` is where they are reported.
    """
    return Records(((device_dir.name, path)
                    for device_dir in device_dirs(directory)
                    if not devices or device_dir.name in devices
                    for day, path in day_files(device_dir)
                    if (first is None or day >= first) and (last is None or day <= last)),
                   kinds)


BLOCK_BYTES = 64 * 1024
"""A day file is parsed this many bytes (of whole lines) at a time: the lines, their records
and the tallies' work on them stay in the processor's cache, and one block's memory is
reused for the next (a whole busy day at once costs half as much again; issue 18)."""


class RecordBlock(NamedTuple):
    """Consecutive lines of a day file as parsed: ``records[i]`` is line ``first_line + i``,
    ``None`` for a line that is not a record (a torn line, anything but a JSON object)."""

    first_line: int
    records: list[dict[str, Any] | None]


class FieldsBlock(NamedTuple):
    """:class:`RecordBlock` with each record's ``ts``, ``kind`` and ``data`` only."""

    first_line: int
    records: Sequence[RecordFields | None]


def file_blocks(path: Path) -> Iterator[RecordBlock]:
    """A day file's lines parsed, a block at a time, in order.

    Each line is read as ``json.loads`` reads it alone (its bytes decoded as UTF-8, bad bytes
    replaced) and is a record when that gives an object: never two lines as one value, never
    one line as two. orjson does it where it gives exactly that (kiosk.audit.json_exact),
    a block of lines in one go; a block with anything else is read by the standard library.
    """
    for number, lines, block in _line_blocks(path):
        yield RecordBlock(number, _records(lines, block))


def file_fields(path: Path) -> Iterator[FieldsBlock]:
    """:func:`file_blocks` with only the fields a reader of ``ts``, ``kind`` and ``data`` uses:
    ``RecordFields(record.get("ts", ""), record.get("kind", ""), record.get("data", {}))`` of
    each record. msgspec decodes just those where it gives exactly that (json_exact.fields_each);
    a block with anything else is read as :func:`file_blocks` reads it."""
    for number, lines, block in _line_blocks(path):
        fast = fields_each(lines)
        yield FieldsBlock(number, fast if fast is not None else [
            None if record is None else RecordFields(record.get("ts", ""), record.get("kind", ""),
                                                     record.get("data", {}))
            for record in _records(lines, block)])


def _line_blocks(path: Path) -> Iterator[tuple[int, list[bytes], bytes]]:
    """A day file's blocks of whole lines: (first line's number, lines, the block's bytes)."""
    content = path.read_bytes()
    at, number = 0, 1
    while at < len(content):
        cut = content.find(b"\n", at + BLOCK_BYTES) + 1 or len(content)
        block = content[at:cut]
        lines = block.split(b"\n")
        if block.endswith(b"\n"):
            del lines[-1]                   # (the "" after the block's last line break)
        yield number, lines, block
        at, number = cut, number + len(lines)


def _records(lines: list[bytes], block: bytes) -> list[dict[str, Any] | None]:
    records = loads_each(lines, block)
    if records is None:
        return [_parsed(line.decode("utf-8", "replace")) for line in lines]
    if not all(map(isinstance, records, itertools.repeat(dict))):
        return [record if isinstance(record, dict) else None for record in records]
    return records


def _file_records(device: str, path: Path, kinds: frozenset[str]) -> list[LogRecord]:
    return [LogRecord(device, path, number, record.ts, record.kind, record.data)
            for block in file_fields(path)
            for number, record in enumerate(block.records, block.first_line)
            if record is not None and (not kinds or record.kind in kinds)]


def _parsed(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None
