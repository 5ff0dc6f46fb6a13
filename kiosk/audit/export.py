"""``kiosk audit export``: the records of a date range as one CSV file for the auditor.

One row per record; the columns are the record's place (device, file, line), its time and
kind, then every field any event type has, in a fixed order, so files of different years
line up in a spreadsheet. A field named like one of the first columns (``PrintDone.kind``)
gets the prefix ``data_`` (``data_kind``): every column name is unique.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import IO, Any

from kiosk.audit.events import EVENT_TYPES, event_fields
from kiosk.audit.reader import iter_records

__all__ = ["DATA_COLUMNS", "PLACE_COLUMNS", "export_csv"]

PLACE_COLUMNS: tuple[str, ...] = ("device", "file", "line", "ts", "kind")
DATA_COLUMNS: tuple[str, ...] = tuple(sorted({
    name for cls in EVENT_TYPES.values() for name in event_fields(cls)}))


def _header(name: str) -> str:
    return f"data_{name}" if name in PLACE_COLUMNS else name


def export_csv(directory: Path, first: date | None, last: date | None, out: IO[str]) -> int:
    """Write the records of ``first``..``last`` to ``out`` as CSV; returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*PLACE_COLUMNS, *(_header(name) for name in DATA_COLUMNS)])
    rows = 0
    for record in iter_records(directory, first, last):
        writer.writerow([record.device, record.file.name, record.line, record.ts, record.kind,
                         *(_cell(record.data.get(name)) for name in DATA_COLUMNS)])
        rows += 1
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return " ".join(str(one) for one in value)
    return str(value)
