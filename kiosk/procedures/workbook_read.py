"""An XLSForm-style workbook -> the plain data of a definition, remembering every value's cell.

Stage 1 of loading for a workbook, beside :func:`~kiosk.procedures.source.parse_yaml`: the
result is the same :class:`~kiosk.procedures.source.SourceDocument` the YAML gives (so the same
builder and lint rules run), whose ``lines`` are row numbers, plus :class:`CellMap` to name
``survey!C12`` in every message.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from kiosk.procedures.issues import FormIssue, IssueCode, Location
from kiosk.procedures.source import PathKey, SourceDocument, path_text
from kiosk.procedures.workbook_layout import (
    LIST_SHEETS,
    SEP,
    column_name,
    key_of,
    plain_value,
    unflatten,
)

__all__ = ["CellMap", "read_workbook"]

_SELECT = re.compile(r"^(select_one|select_multiple)\s+(\S+)$")
_FIRST = ("id", "use", "value", "kind", "procedure", "type", "choices")
_SELECT_TYPES = {"select_one": "select", "select_multiple": "multiselect"}


@dataclass
class CellMap:
    """Where each value of the data came from: path text -> ``sheet!C12``, and row -> sheet."""

    cells: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)      # first path key -> sheet name
    headers: dict[str, dict[str, str]] = field(default_factory=dict)   # sheet -> column -> letter

    def cell(self, path: str, line: int) -> str:
        """The cell of an issue at ``path`` (dotted, as issues print it) on row ``line``."""
        if path in self.cells:
            return self.cells[path]
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        sheet = self.sheets.get(top, "settings")
        letters = self.headers.get(sheet, {})
        keys = [part for part in re.split(r"[.\[\]]+", path) if part and not part.isdigit()]
        for size in range(min(3, len(keys)), 0, -1):
            letter = _letter_for(letters, SEP.join(keys[-size:]))
            if letter:
                return f"{sheet}!{letter}{line}" if line else f"{sheet}!{letter}"
        return f"{sheet}!A{line}" if line else sheet


def _letter_for(letters: dict[str, str], key: str) -> str | None:
    name = column_name(key)
    if name in letters:
        return letters[name]
    if key == "choices" and "type" in letters:
        return letters["type"]
    for column, letter in letters.items():
        if column.startswith(name + SEP):
            return letter
    return None


class _Reader:
    def __init__(self, file: str) -> None:
        self.doc = SourceDocument(file, {})
        self.map = CellMap()
        self.issues: list[FormIssue] = []

    def problem(self, where: str, problem: str) -> None:
        self.issues.append(FormIssue(IssueCode.WORKBOOK, Location(f"{self.doc.file}:{where}"),
                                     {"problem": problem}))

    def rows(self, sheet: Worksheet) -> list[tuple[int, dict[str, Any]]]:
        """``(row number, {column: value})`` for every non-empty row under the header."""
        header = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
        self.map.headers[sheet.title] = {name: get_column_letter(i + 1)
                                         for i, name in enumerate(header) if name}
        result = []
        for number, line in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            values = {header[i]: plain_value(header[i], value) for i, value in enumerate(line)
                      if i < len(header) and header[i] and value is not None and value != ""}
            if values:
                result.append((number, values))
        return result

    def remember(self, sheet: str, row: int, path: PathKey, values: dict[str, Any],
                 alias: str = "") -> None:
        """Note the row of ``path`` and the cell of each value; ``alias`` is the same place
        as the lint rules name it (``fields.kouki_event``, ``bring.id_document``)."""
        letters = self.map.headers[sheet]
        self.doc.lines.setdefault(path, row)
        if alias:
            self.map.cells[alias] = f"{sheet}!A{row}"
        for column in values:
            keys = key_of(column).split(SEP)
            key_path = (*path, *keys)
            for depth in range(len(path) + 1, len(key_path) + 1):
                self.doc.lines.setdefault(key_path[:depth], row)
            cell = f"{sheet}!{letters[column]}{row}"
            names = [path_text(key_path)] + ([".".join([alias, *keys])] if alias else [])
            if column == "type":
                names += [path_text((*path, "choices"))] + ([f"{alias}.choices"] if alias else [])
            self.map.cells.update(dict.fromkeys(names, cell))

    def item(self, values: dict[str, Any]) -> dict[str, Any]:
        spec = unflatten({key_of(column): value for column, value in values.items()})
        first = {key: spec.pop(key) for key in _FIRST if key in spec}
        return {**first, **spec}


def _survey(reader: _Reader, sheet: Worksheet, key: str) -> list[Any]:
    reader.map.sheets[key] = sheet.title
    top: list[Any] = []
    stack: list[tuple[list[Any], PathKey, int]] = [(top, (key,), 0)]
    aliases = [f"{key}."]
    for row, values in reader.rows(sheet):
        kind = str(values.get("type", ""))
        target, prefix, _ = stack[-1]
        if kind.startswith("end_"):
            if len(stack) == 1:
                reader.problem(f"{sheet.title}!A{row}", f"'{kind}' without a begin row")
            else:
                stack.pop()
                aliases.pop()
            continue
        path = (*prefix, len(target))
        spec = reader.item(values)
        name = str(spec.get("id") or spec.get("use") or "")
        alias = f"{aliases[-1]}{name}" if name else ""
        reader.remember(sheet.title, row, path, values, alias)
        match = _SELECT.match(kind)
        if match:
            spec.update(type=_SELECT_TYPES[match[1]], choices=match[2])
        if kind.startswith("begin_"):
            spec["type"], spec["fields"] = "group", []
            stack.append((spec["fields"], (*path, "fields"), row))
            aliases.append(f"{alias}[].")
        target.append(spec)
    for _, _, row in stack[1:]:
        reader.problem(f"{sheet.title}!A{row}", "a group is not closed by an end row")
    return top


def _choices(reader: _Reader, sheet: Worksheet) -> dict[str, list[Any]]:
    reader.map.sheets["choices"] = sheet.title
    lists: dict[str, list[Any]] = {}
    for row, values in reader.rows(sheet):
        name = str(values.pop("list_name", ""))
        if not name:
            reader.problem(f"{sheet.title}!A{row}", "the row has no list_name")
            continue
        items = lists.setdefault(name, [])
        reader.remember(sheet.title, row, ("choices", name, len(items)), values,
                        f"choices.{name}.{values.get('value', '')}")
        items.append(reader.item(values))
    return lists


def _list(reader: _Reader, sheet: Worksheet, path: PathKey) -> list[Any]:
    reader.map.sheets[str(path[0])] = sheet.title
    items: list[Any] = []
    for row, values in reader.rows(sheet):
        name = values.get("name") or values.get("use") or values.get("kind") or ""
        reader.remember(sheet.title, row, (*path, len(items)), values,
                        f"{path[0]}.{name}" if name and len(path) == 1 else "")
        items.append(reader.item(values))
    return items


def _settings(reader: _Reader, sheet: Worksheet) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for row, values in reader.rows(sheet):
        name = str(values.get("setting", ""))
        if not name:
            continue
        if "value" not in values:
            reader.problem(f"{sheet.title}!B{row}", f"setting '{name}' has no value")
            continue
        key = key_of(name)
        flat[key] = values["value"]
        path = tuple(key.split(SEP))
        for depth in range(1, len(path) + 1):
            reader.doc.lines.setdefault(path[:depth], row)
        reader.map.cells[path_text(path)] = f"{sheet.title}!B{row}"
    return unflatten(flat)


def read_workbook(path: Path, name: str | None = None) -> tuple[SourceDocument, CellMap,
                                                                 list[FormIssue]]:
    """Read ``path`` into plain data; ``name`` is how messages call the file (its name)."""
    reader = _Reader(name or path.name)
    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        reader.problem("", f"not a readable .xlsx workbook ({type(exc).__name__})")
        reader.doc.data = None
        return reader.doc, reader.map, reader.issues
    for needed in ("settings", "survey"):
        if needed not in book.sheetnames:
            reader.problem(needed, f"the workbook has no '{needed}' sheet")
    data: dict[str, Any] = _settings(reader, book["settings"]) if "settings" in book else {}
    if "survey" in book:
        key = "questions" if data.get("kind") == "bundle" else "fields"
        data[key] = _survey(reader, book["survey"], key)
    if "choices" in book:
        data["choices"] = _choices(reader, book["choices"])
    for sheet, key in LIST_SHEETS.items():
        if sheet in book:
            data[key] = _list(reader, book[sheet], (key,))
    if "print" in book:
        sections = _list(reader, book["print"], ("print", "sections"))
        printed = data.setdefault("print", {})
        if isinstance(printed, dict):
            printed["sections"] = sections
    reader.doc.data = data
    return reader.doc, reader.map, reader.issues
