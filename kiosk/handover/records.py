"""One approved application as a core system's record: JSON, CSV and the manifest over both.

The record's items come in the form's order under the system's item names. The CSV has a
fixed header per procedure (a repeated group becomes numbered columns up to its maximum), so
a bulk import or an RPA robot reads every file of a procedure the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.handover.convert import Value, convert, is_empty
from kiosk.handover.mapping import ProcedureMapping, TargetSystem
from kiosk.ports import ExportBatch, ExportFile
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.procedures.stored import typed_value

__all__ = [
    "FORMAT",
    "GETA",
    "MANIFEST_FORMAT",
    "ExportRecord",
    "build_batch",
    "build_record",
    "csv_columns",
    "typed_answer",
]

FORMAT = "kiosk-export/1"
MANIFEST_FORMAT = "kiosk-export-manifest/1"
GETA = "〓"
"""Written in place of a character the target's encoding lacks (外字 in Shift_JIS), as the
core systems' own 外字 placeholders do; the manifest counts such cells for the clerk to check."""

@dataclass(frozen=True)
class ExportRecord:
    """One application for one system. ``items`` is personal data: the repr hides it."""

    system: TargetSystem = field(repr=False)
    form: FormDefinition = field(repr=False)
    mapping: ProcedureMapping = field(repr=False)
    application_id: int
    approved_at: datetime
    items: dict[str, Value] = field(repr=False)
    fields: int          # values handed on (not empty), group cells included

    @property
    def base_name(self) -> str:
        """File name stem: approval day, procedure, application (no personal data)."""
        return (f"{self.approved_at.astimezone().strftime('%Y%m%d')}_{self.form.id}_"
                f"{self.application_id:08d}")


def typed_answer(form: FormDefinition, item: FieldDef, stored: str) -> Any:
    """A stored text answer as the field's typed value (the stored text when it does not fit:
    approved as it stands, the core system's own checks see it as typed)."""
    return typed_value(form, item, stored)


def _count(value: Any) -> int:
    """Values handed on: a text, a multiple choice, or every filled cell of a group."""
    if isinstance(value, dict):
        return sum(_count(cell) for cell in value.values())
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return sum(_count(row) for row in value)
    return 1 if value else 0


def build_record(system: TargetSystem, form: FormDefinition, answers: Mapping[str, str],
                 application_id: int, approved_at: datetime) -> ExportRecord:
    """The record of ``answers`` (stored texts by field id) for ``system``.

    Raises:
        KeyError: ``system`` does not receive ``form``.
    """
    mapping = system.procedures[form.id]
    items: dict[str, Value] = {}
    for item in form.fields:
        target = mapping.items.get(item.id)
        if not item.type.holds_value or target is None or item.id in mapping.skip:
            continue
        stored = answers.get(item.id, "")
        value = None if stored == "" else typed_answer(form, item, stored)
        items[target.item] = convert(system, item, target, None if is_empty(value) else value)
    return ExportRecord(system, form, mapping, application_id, approved_at, items,
                        sum(_count(v) for v in items.values()))


def csv_columns(form: FormDefinition, mapping: ProcedureMapping) -> list[tuple[str, str, str]]:
    """``(column, item, group column)`` per CSV column: a group gives 1..max numbered columns."""
    columns: list[tuple[str, str, str]] = []
    for item in form.fields:
        target = mapping.items.get(item.id)
        if not item.type.holds_value or target is None or item.id in mapping.skip:
            continue
        if item.type is not FieldType.GROUP:
            columns.append((target.item, target.item, ""))
            continue
        children = [target.fields[c.id].item for c in item.fields if c.id in target.fields]
        columns += [(f"{target.item}{n}_{child}", target.item, child)
                    for n in range(1, item.repeat_max + 1) for child in children]
    return columns


def _text(value: Any, separator: str) -> str:
    """A cell: a multiple choice's codes joined by the system's separator."""
    if isinstance(value, list):
        return separator.join(str(v) for v in value)
    return str(value)


def _cell(record: ExportRecord, item: str, child: str, index: int) -> str:
    value: Any = record.items.get(item, "")
    if not child:
        return _text(value, record.system.separator)
    rows = value if isinstance(value, list) else []
    row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
    return _text(row.get(child, ""), record.system.separator)


def _encode(text: str, encoding: str) -> tuple[bytes, int]:
    """``text`` in ``encoding``, each cell's missing characters as 〓 (counted)."""
    try:
        return text.encode(encoding), 0
    except UnicodeEncodeError:
        missing = sum(1 for ch in text if not _encodable(ch, encoding))
        safe = "".join(ch if _encodable(ch, encoding) else GETA for ch in text)
        return safe.encode(encoding), missing


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def render_csv(record: ExportRecord) -> tuple[bytes, int]:
    """The CSV file (header and one row) in the system's encoding, and the 〓 count."""
    columns = csv_columns(record.form, record.mapping)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")    # CRLF: what Windows-side imports expect
    writer.writerow(["申請番号", "手続", *[c for c, _, _ in columns]])
    cells = []
    for column, item, child in columns:
        # A group column is "<item><n>_<child>": n counts the rows from 1.
        index = int(column[len(item):].split("_")[0]) - 1 if child else 0
        cells.append(_cell(record, item, child, index))
    writer.writerow([str(record.application_id), record.form.id, *cells])
    return _encode(out.getvalue(), record.system.encoding)


def render_json(record: ExportRecord, exported_at: datetime) -> bytes:
    """The JSON file: what, for whom, how dates are written, and the items."""
    body = {
        "format": FORMAT, "system": record.system.id, "system_name": record.system.name,
        "standard": record.system.standard, "procedure": record.form.id,
        "procedure_version": record.form.version,
        "procedure_title": record.form.title.get("ja"), "application": record.application_id,
        "approved_at": record.approved_at.isoformat(), "exported_at": exported_at.isoformat(),
        "dates": record.system.dates, "items": record.items,
    }
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _entry(file: ExportFile, media_type: str) -> dict[str, Any]:
    return {"name": file.name, "sha256": hashlib.sha256(file.data).hexdigest(),
            "bytes": len(file.data), "media_type": media_type}


def build_batch(record: ExportRecord, exported_at: datetime) -> ExportBatch:
    """The files of ``record`` and the manifest that lists them with their SHA-256."""
    data, replaced = render_csv(record)
    json_file = ExportFile(f"{record.base_name}.json", render_json(record, exported_at))
    csv_file = ExportFile(f"{record.base_name}.csv", data)
    key = f"{record.system.id}-{record.application_id}"
    manifest = {
        "format": MANIFEST_FORMAT, "key": key,
        "system": record.system.id, "procedure": record.form.id,
        "application": record.application_id, "exported_at": exported_at.isoformat(),
        "fields": record.fields, "unencodable_cells": replaced,
        "files": [_entry(json_file, "application/json"),
                  _entry(csv_file, f"text/csv; charset={record.system.encoding}")],
    }
    manifest_file = ExportFile(f"{record.base_name}.manifest.json",
                               (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
                               .encode("utf-8"))
    return ExportBatch(key, record.system.id, (json_file, csv_file), manifest_file)
