"""Reading records back: every device's daily files in a date range, oldest first."""

from __future__ import annotations

import itertools
import json
import json.scanner
import operator
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.audit.usage_log import day_files, device_dirs

__all__ = ["LogRecord", "RecordBatch", "Records", "file_batch", "iter_records"]


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


class RecordBatch(NamedTuple):
    """The records of one day file as parsed: ``records[i]`` is line ``i + 1``, ``None`` for
    a line that is not a record (a torn line, the empty string after the last line break)."""

    device: str
    file: Path
    records: list[dict[str, Any] | None]


class Records(Iterator[LogRecord]):
    """What :func:`iter_records` returns: an iterator of :class:`LogRecord`, which can also
    be read a day file at a time (:meth:`batches`) without building a named tuple per record.

    The year's report reads it by batches: millions of ``LogRecord`` cost as much as parsing.
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

    def batches(self) -> Iterator[RecordBatch]:
        """Every file's records, unfiltered by kind (for a reader that dispatches on the kind
        itself); the same files, in the same order, as iterating. Use one way or the other."""
        if self._records is not None:
            raise RuntimeError("records already read one by one")
        self._records = iter(())
        return (file_batch(device, path) for device, path in self._files)

    def files(self) -> list[tuple[str, Path]]:
        """The (device, day file) pairs, in the order they are read, for a reader that reads
        the files itself (:func:`file_batch`, maybe in other processes). Use one way only."""
        if self._records is not None:
            raise RuntimeError("records already read")
        self._records = iter(())
        return list(self._files)


def file_batch(device: str, path: Path) -> RecordBatch:
    """One day file's records as :meth:`Records.batches` gives them."""
    return RecordBatch(device, path, _file_dicts(path))


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


# json.loads in a loop spends as much time in its Python wrappers (encoding detection, the
# decoder's checks) as in the C scanner; a year's report reads millions of lines.
_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
_orjson_loads: Callable[[bytes], Any] | None
try:
    from orjson import loads as _orjson_loads
except ImportError:                      # an install without it reads with the stdlib
    _orjson_loads = None


def _file_records(device: str, path: Path, kinds: frozenset[str]) -> list[LogRecord]:
    return [LogRecord(device, path, number, record.get("ts", ""), record.get("kind", ""),
                      record.get("data", {}))
            for number, record in enumerate(_file_dicts(path), 1)
            if record is not None and (not kinds or record.get("kind", "") in kinds)]


def _file_dicts(path: Path) -> list[dict[str, Any] | None]:
    """The file's lines parsed, ``None`` for a line that is not a record."""
    content = path.read_bytes()
    records = _whole_file_fast(content)
    if records is None:
        text = content.decode("utf-8", "replace")
        lines = text.split("\n")
        records = _whole_file(text, len(lines))
        if records is None:              # a torn or foreign line: line by line, skipping it
            records = [_parsed(line) for line in lines]
    return records


# A record's line is {"prev":"<64 hex>","seq":N,...,"data":{...},"hash":"<64 hex>"} with its
# keys in that order (kiosk.audit.chain): this slice is "seq":N,...,"data":{...}, what the
# report reads, without the two hashes (nearly half the bytes, and two strings a record).
_READ = slice(len('{"prev":"') + 64 + len('",'), -len(',"hash":"') - 64 - len('"}'))
_SEQ = operator.itemgetter("seq")
_slice: Callable[[bytes, slice], bytes] = operator.getitem  # type: ignore[assignment]


def _whole_file_fast(content: bytes) -> list[dict[str, Any] | None] | None:
    """:func:`_whole_file` with orjson, when installed, without the ``prev`` and ``hash`` of
    the records (verify checks them; no reader uses them). ``None`` when orjson refuses the
    file (bad UTF-8, NaN, huge integers, a line not in the record layout ...) or when a
    record's ``seq`` is not its line number (a slice not where the layout puts it): the
    stdlib then reads it as it always did."""
    if _orjson_loads is None:
        return None
    lines = (content[:-1] if content.endswith(b"\n") else content).split(b"\n")
    try:
        records = _orjson_loads(b"[{" + b"},{".join(map(_slice, lines,
                                                          itertools.repeat(_READ))) + b"}]")
    except ValueError:
        return None
    if len(records) != len(lines) or \
            not all(map(isinstance, records, itertools.repeat(dict))):
        return None
    try:
        if list(map(_SEQ, records)) != list(range(1, len(records) + 1)):
            return None
    except KeyError:
        return None
    return [*records, None] if content.endswith(b"\n") else records


def _whole_file(text: str, count: int) -> list[dict[str, Any] | None] | None:
    """Every line's record, parsed as one JSON array in one call of the C scanner.

    A record's JSON never holds a raw line break (the encoder escapes them), so the lines
    joined by commas are an array of the records, one per line. ``None`` when the file is
    not exactly that (a torn line, a line of two values, a value that is not an object).
    """
    body = text[:-1] if text.endswith("\n") else text
    try:
        records, end = _SCAN("[" + body.replace("\n", ",") + "]", 0)
    except (ValueError, StopIteration):
        return None
    if end != len(body) + 2 or len(records) != count - text.endswith("\n") or \
            not all(isinstance(record, dict) for record in records):
        return None
    return [*records, None] if text.endswith("\n") else records   # the "" after the last \n


def _parsed(line: str) -> dict[str, Any] | None:
    try:
        record, end = _SCAN(line, 0)
    except (ValueError, StopIteration):
        return None
    if end != len(line.rstrip()) or not isinstance(record, dict):
        return None
    return record
