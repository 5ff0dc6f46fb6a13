"""A definition's plain data -> an XLSForm-style workbook (``kiosk forms export ID --xlsx``).

The sheets and column names are those of :mod:`kiosk.procedures.workbook_layout`; the workbook
read back by :mod:`kiosk.procedures.workbook_read` gives the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kiosk.procedures.model import LANGUAGES
from kiosk.procedures.workbook_layout import (
    LIST_SHEETS,
    SEP,
    SURVEY_COLUMNS,
    cell_value,
    column_name,
    flatten,
)

__all__ = ["survey_rows", "write_workbook"]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SELECTS = {"select": "select_one", "multiselect": "select_multiple"}


def survey_rows(fields: Iterable[Any]) -> list[dict[str, Any]]:
    """One row (column -> YAML value) per field; a group is framed by begin/end rows."""
    rows: list[dict[str, Any]] = []
    for spec in fields:
        if not isinstance(spec, dict):
            continue
        head = {key: value for key, value in spec.items() if key != "fields"}
        kind = "repeat" if "repeat" in spec else "group"
        if spec.get("type") == "group":
            head["type"] = f"begin_{kind}"
        elif spec.get("type") in _SELECTS and isinstance(spec.get("choices"), str):
            head["type"] = f"{_SELECTS[spec['type']]} {head.pop('choices')}"
        rows.append(_columns(head))
        if spec.get("type") == "group":
            rows += survey_rows(spec.get("fields") or [])
            rows.append({"type": f"end_{kind}"})
    return rows


def _columns(item: Mapping[str, Any]) -> dict[str, Any]:
    return {column_name(key): value for key, value in flatten(item).items() if value != {}}


def _sheet(book: Workbook, title: str, rows: list[dict[str, Any]],
           standard: Iterable[str] = ()) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title)
    headers = list(dict.fromkeys([*standard, *(c for row in rows for c in row)]))
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for index, row in enumerate(rows, start=2):
        for column, name in enumerate(headers, start=1):
            if name not in row:
                continue
            cell = sheet.cell(index, column, cell_value(name, row[name]))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"          # a text, never a spreadsheet formula
    for column, name in enumerate(headers, start=1):
        wide = SEP in name or name == "label"
        sheet.column_dimensions[get_column_letter(column)].width = 40 if wide else 16
    sheet.freeze_panes = "C2" if title == "survey" else "A2"
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=False, vertical="top")
    return sheet


def _settings(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    own = {key: value for key, value in data.items()
           if key not in ("fields", "questions", "choices", *LIST_SHEETS)}
    if isinstance(own.get("print"), dict):
        own["print"] = {k: v for k, v in own["print"].items() if k != "sections"}
    return [{"setting": column_name(key), "value": value}
            for key, value in flatten(own).items() if value != {}]


def _choices(choices: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"list_name": name, **_columns(item)}
            for name, items in choices.items() for item in (items or [])
            if isinstance(item, dict)]


def write_workbook(data: Mapping[str, Any], out: Path | None = None) -> Workbook:
    """The workbook of one definition's plain data; saved to ``out`` when given."""
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    _sheet(book, "settings", _settings(data), ("setting", "value"))
    survey_key = "questions" if data.get("kind") == "bundle" else "fields"
    _sheet(book, "survey", survey_rows(data.get(survey_key) or []), SURVEY_COLUMNS)
    if "choices" in data:
        _sheet(book, "choices", _choices(data.get("choices") or {}),
               ("list_name", "value", *(f"label{SEP}{lang}" for lang in LANGUAGES)))
    for sheet, key in LIST_SHEETS.items():
        if key in data:
            _sheet(book, sheet, [_columns(item) for item in data.get(key) or []
                                 if isinstance(item, dict)])
    sections = (data.get("print") or {}).get("sections") if isinstance(data.get("print"),
                                                                         dict) else None
    if sections is not None:
        _sheet(book, "print", [_columns(item) for item in sections if isinstance(item, dict)],
               ("title", "fields"))
    if out is not None:
        book.save(out)
    return book
