"""Reading records back: every device's daily files in a date range, oldest first."""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.audit.usage_log import day_files, device_dirs

__all__ = ["LogRecord", "iter_records"]


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One record as read from a file, with where it stands."""

    device: str
    file: Path
    line: int
    ts: str
    kind: str
    data: dict[str, Any]


def iter_records(directory: Path, first: date | None = None, last: date | None = None,
                 *, devices: frozenset[str] = frozenset(),
                 kinds: frozenset[str] = frozenset()) -> Iterator[LogRecord]:
    """The records of the days ``first`` to ``last`` (inclusive; open ends read everything).

    Lines that are not JSON (a torn line) are skipped: ``verify`` is where they are reported.
    """
    for device_dir in device_dirs(directory):
        if devices and device_dir.name not in devices:
            continue
        for day, path in day_files(device_dir):
            if (first is not None and day < first) or (last is not None and day > last):
                continue
            yield from _file_records(device_dir.name, path, kinds)


# json.loads in a loop spends as much time in its Python wrappers (encoding detection, the
# decoder's checks) as in the C scanner; a year's report reads millions of lines.
_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _file_records(device: str, path: Path, kinds: frozenset[str]) -> Iterator[LogRecord]:
    text = path.read_bytes().decode("utf-8", "replace")
    for number, line in enumerate(text.split("\n"), 1):
        try:
            record, end = _SCAN(line, 0)
        except (ValueError, StopIteration):
            continue
        if end != len(line.rstrip()) or not isinstance(record, dict):
            continue
        kind = record.get("kind", "")
        if kinds and kind not in kinds:
            continue
        yield LogRecord(device, path, number, record.get("ts", ""), kind,
                        record.get("data", {}))
