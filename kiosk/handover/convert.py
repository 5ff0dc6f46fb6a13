"""Answers as a core system reads them: dates in its era codes, choices as its codes.

The input is an answer as the review holds it (typed: ``date``, ``bool``, lists); the output
is text (a list for a multiple choice, rows for a repeated group). Nothing here logs a value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.handover.mapping import ItemMap, TargetSystem
from kiosk.procedures.eras import to_wareki
from kiosk.procedures.kana import normalize_reading
from kiosk.procedures.model import FieldDef, FieldType

__all__ = ["Value", "convert", "format_date_for", "is_empty"]

Value = str | list[str] | list[dict[str, Any]]
"""An exported value: text, the codes of a multiple choice, or a group's rows."""


def format_date_for(system: TargetSystem, day: date) -> str:
    """``day`` as ``system`` writes dates (see :data:`kiosk.handover.mapping.DATE_STYLES`)."""
    if system.dates == "iso":
        return day.isoformat()
    if system.dates == "western8":
        return day.strftime("%Y%m%d")
    wareki = to_wareki(day)
    if system.dates == "wareki7":
        # 7 digits: one digit of era code, then YYMMDD (4050101 = 平成5年1月1日 in 住基 codes).
        code = system.eras.get(wareki.era.name, 0)
        return f"{code}{wareki.year:02d}{wareki.month:02d}{wareki.day:02d}"
    return f"{wareki.era.name}{wareki.year}年{wareki.month}月{wareki.day}日"


def is_empty(value: Any) -> bool:
    """Whether an answer is missing (nothing to hand on)."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def convert(system: TargetSystem, item: FieldDef, target: ItemMap, value: Any) -> Value:
    """``value`` of ``item`` as ``system`` expects it under ``target``."""
    if is_empty(value):
        return [] if item.type in (FieldType.MULTISELECT, FieldType.GROUP) else ""
    kind = item.type
    if kind is FieldType.DATE and isinstance(value, date):
        return format_date_for(system, value)
    if kind in (FieldType.SELECT, FieldType.MULTISELECT):
        if isinstance(value, list):
            return [target.codes.get(str(v), str(v)) for v in value]
        return target.codes.get(str(value), str(value))
    if kind in (FieldType.YES_NO, FieldType.CONSENT):
        return system.yes if value else system.no
    if kind is FieldType.READING:
        return normalize_reading(str(value))   # the standards read フリガナ as full-width katakana
    if kind is FieldType.GROUP and isinstance(value, list):
        return [_row(system, item, target, row) for row in value if isinstance(row, dict)]
    return _number(value) if kind is FieldType.NUMBER else str(value)


def _row(system: TargetSystem, item: FieldDef, target: ItemMap,
         row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in item.fields:
        mapped = target.fields.get(child.id)
        if mapped is not None and child.type.holds_value:
            out[mapped.item] = convert(system, child, mapped, row.get(child.id))
    return out
