"""How a form definition is laid out as a workbook (XLSForm's lesson): sheets, columns, cells.

A definition's plain data (what :func:`~kiosk.procedures.source.parse_yaml` gives) becomes rows:
``survey`` (one row per field, groups between ``begin_repeat`` and ``end_repeat`` rows),
``choices`` (``list_name`` + one row per choice), ``settings`` (``setting``/``value`` rows for
the form's own keys), and one sheet per list (``fees``, ``bring``, ``print`` sections, a bundle's
``procedures``). A nested mapping is spelt with ``::`` in the column name (``label::ja``,
``label::use`` for a shared text, ``effective::from``), so every key the YAML can hold has a
column and a workbook written from a definition reads back to the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import yaml

from kiosk.procedures.model import LANGUAGES

__all__ = [
    "LIST_SHEETS",
    "NULL",
    "SEP",
    "SURVEY_COLUMNS",
    "cell_value",
    "column_name",
    "flatten",
    "key_of",
    "plain_value",
    "unflatten",
]

SEP = "::"
NULL = "null"            # an explicit YAML null (``prefill: null`` removes a shared prefill)
# Sheets holding a top-level list of mappings, by kind of definition: sheet -> data key.
LIST_SHEETS: Mapping[str, str] = {"fees": "fees", "bring": "bring", "procedures": "procedures"}
# Column names staff know from XLSForm, for the keys the YAML spells otherwise.
_RENAMES: tuple[tuple[str, str], ...] = (
    ("id", "name"), ("visible_if", "relevant"), ("constraint::expr", "constraint"),
    ("constraint::message", "constraint_message"), ("repeat::min", "repeat_min"),
    ("repeat::max", "repeat_max"),
)
_LIST_COLUMNS = frozenset({"tags", "fields"})


def _texts(key: str) -> list[str]:
    return [f"{key}{SEP}{language}" for language in (*LANGUAGES, "use")]


# Written even when no row uses them, so that staff see every column the form may fill.
SURVEY_COLUMNS: tuple[str, ...] = (
    "type", "name", "use", *_texts("label"), *_texts("hint"), "required", "relevant",
    "required_if", "readonly_if", "constraint", *_texts("constraint_message")[:-1], "calculate",
    "default", "prefill", "choice_filter", *_texts("unit"), "min", "max", "max_length",
    "repeat_min", "repeat_max", "sample", "legal_basis", "print_chars",
)


def _renamed(name: str, pairs: Iterable[tuple[str, str]]) -> str:
    for source, target in pairs:
        if name == source or name.startswith(source + SEP):
            return target + name[len(source):]
    return name


def column_name(key: str) -> str:
    """``constraint::message::ja`` -> ``constraint_message::ja`` (XLSForm's names)."""
    return _renamed(key, _RENAMES)


def key_of(column: str) -> str:
    """The inverse of :func:`column_name`."""
    return _renamed(column, ((target, source) for source, target in _RENAMES))


def flatten(item: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"label": {"ja": "氏名"}}`` -> ``{"label::ja": "氏名"}`` (keys, not yet column names)."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, name + SEP))
        else:
            flat[name] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`flatten`."""
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        parts = name.split(SEP)
        target = nested
        for part in parts[:-1]:
            child = target.setdefault(part, {})
            if not isinstance(child, dict):       # "a" and "a::b" both given: keep the mapping
                child = target[part] = {}
            target = child
        target[parts[-1]] = value
    return nested


def _is_list_column(column: str) -> bool:
    return column.rsplit(SEP, maxsplit=1)[-1] in _LIST_COLUMNS


def cell_value(column: str, value: Any) -> Any:
    """A YAML value as a cell holds it: ``None`` -> ``null``, a list of names -> ``a, b``
    (in ``tags`` and ``fields``; elsewhere a list keeps its YAML spelling ``[a, b]``)."""
    if value is None:
        return NULL
    if isinstance(value, list):
        if _is_list_column(column):
            return ", ".join(str(item) for item in value)
        return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()
    return value


def plain_value(column: str, value: Any) -> Any:
    """A cell's value as the YAML had it (the inverse of :func:`cell_value`)."""
    if value == NULL:
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str) and _is_list_column(column):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    if isinstance(value, date | bool | int | float | str):
        return value
    return str(value)
