"""The print layout of a form on A4, and a completed application filled into it.

Pure geometry and text (millimetres from the top-left corner of the page): the renderer in
``devices/printer`` draws exactly what this model says, and ``kiosk forms check`` uses the same
model to find sample values that would not fit their box. Order and wording follow the paper
様式: title, addressee, date, then the sections in the order the definition lists them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.procedures.eras import format_date
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.procedures.units import with_unit

__all__ = [
    "CHAR_MM",
    "Box",
    "FieldSlot",
    "FilledForm",
    "FilledSlot",
    "PageLayout",
    "SectionBlock",
    "build_layout",
    "format_value",
    "overflowing_slots",
    "text_width",
]

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
HEADER_H = 34.0
LABEL_W = 40.0
SECTION_TITLE_H = 6.0
ROW_H = 8.0
TABLE_ROW_H = 7.0
SIGNATURE_H = 22.0
FOOTER_H = 14.0
VALUE_PT = 10.0
CHAR_MM = VALUE_PT * 25.4 / 72   # one full-width character at the value size
_LINES = {FieldType.ADDRESS: 2, FieldType.TEXT: 1}


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres, ``x``/``y`` its top-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class FieldSlot:
    """Where a field is printed: its label cell, its value box and how much text fits."""

    field_id: str
    label: str
    label_box: Box
    value_box: Box
    lines: int
    kind: str                                   # "text", "table" or "note"
    columns: tuple[tuple[str, str, float], ...] = ()   # table: (child id, label, width mm)
    rows: int = 0

    @property
    def chars_per_line(self) -> float:
        """Full-width characters that fit on one line of the value box."""
        return max(1.0, (self.value_box.w - 3.0) / CHAR_MM)


@dataclass(frozen=True)
class SectionBlock:
    """A titled section of the page and its slots."""

    title: str
    box: Box
    slots: tuple[FieldSlot, ...]


@dataclass(frozen=True)
class PageLayout:
    """One A4 page of a form."""

    title: str
    form_number: str
    addressee: str
    qr_box: Box
    date_box: Box
    sections: tuple[SectionBlock, ...]
    signature_box: Box | None
    footer_box: Box
    content_bottom_mm: float
    overflow_mm: float
    width: float = PAGE_W
    height: float = PAGE_H

    def slots(self) -> Iterator[FieldSlot]:
        """Every slot in page order."""
        for section in self.sections:
            yield from section.slots


def text_width(text: str) -> float:
    """Width of ``text`` in full-width characters (half-width letters and digits count ½)."""
    return sum(0.5 if unicodedata.east_asian_width(c) in ("Na", "H") else 1.0 for c in text)


def _slot(item: FieldDef, x: float, y: float, width: float, repeat_rows: int) -> FieldSlot:
    value_w = width - LABEL_W
    if item.print_chars is not None:
        value_w = min(value_w, item.print_chars * CHAR_MM + 3.0)
    label = item.label.get("ja")
    if item.type is FieldType.GROUP:
        weights = [float(c.print_chars or 8) for c in item.fields]
        unit = (width - LABEL_W) / (sum(weights) or 1.0)
        columns = tuple((c.id, c.label.get("ja"), w * unit) for c, w in zip(item.fields, weights,
                                                                            strict=True))
        height = TABLE_ROW_H * (repeat_rows + 1)
        return FieldSlot(item.id, label, Box(x, y, LABEL_W, height),
                         Box(x + LABEL_W, y, width - LABEL_W, height), 1, "table", columns,
                         repeat_rows)
    lines = _LINES.get(item.type, 1)
    height = ROW_H + (lines - 1) * 5.0 if item.type is not FieldType.NOTE else ROW_H
    return FieldSlot(item.id, label, Box(x, y, LABEL_W, height),
                     Box(x + LABEL_W, y, value_w, height), lines,
                     "note" if item.type is FieldType.NOTE else "text")


def _sections(form: FormDefinition) -> list[tuple[str, list[FieldDef]]]:
    by_id = {item.id: item for item in form.fields}
    if form.print.sections:
        return [(s.title, [by_id[n] for n in s.fields if n in by_id]) for s in form.print.sections]
    return [(form.title.get("ja"), [f for f in form.fields if f.type is not FieldType.SIGNATURE])]


def build_layout(form: FormDefinition, repeat_rows: Mapping[str, int] | None = None) -> PageLayout:
    """Lay ``form`` out on A4; ``repeat_rows`` gives the rows of each repeat group
    (default: the group's ``repeat.max``, as on the paper form)."""
    width = PAGE_W - 2 * MARGIN
    y = MARGIN + HEADER_H
    blocks = []
    for title, items in _sections(form):
        top = y
        y += SECTION_TITLE_H
        slots = []
        for item in items:
            rows = (repeat_rows or {}).get(item.id, item.repeat_max)
            slot = _slot(item, MARGIN, y, width, rows)
            slots.append(slot)
            y += slot.label_box.h
        blocks.append(SectionBlock(title, Box(MARGIN, top, width, y - top), tuple(slots)))
        y += 2.0
    signature = None
    if form.print.signature:
        signature = Box(PAGE_W - MARGIN - 90.0, y + 2.0, 90.0, SIGNATURE_H)
        y += SIGNATURE_H + 4.0
    footer = Box(MARGIN, PAGE_H - MARGIN - FOOTER_H, width, FOOTER_H)
    limit = footer.y - 2.0
    return PageLayout(
        title=form.print.title or form.title.get("ja"), form_number=form.print.form_number,
        addressee=form.print.addressee, qr_box=Box(PAGE_W - MARGIN - 24.0, MARGIN, 24.0, 24.0),
        date_box=Box(PAGE_W - MARGIN - 90.0, MARGIN + 26.0, 64.0, 6.0), sections=tuple(blocks),
        signature_box=signature, footer_box=footer, content_bottom_mm=y,
        overflow_mm=max(0.0, y - limit))


def format_value(form: FormDefinition, item: FieldDef, value: Any, language: str = "ja") -> str:
    """``value`` as the printed form writes it: 和暦 in the form's style, choice labels, units."""
    if value is None or (isinstance(value, str | list) and not value):
        return ""
    if item.type is FieldType.DATE and isinstance(value, date):
        return format_date(value, form.era)
    if item.type is FieldType.SELECT:
        return form.choice_label(item.choices or "", str(value), language)
    if item.type is FieldType.MULTISELECT and isinstance(value, list):
        return "、".join(form.choice_label(item.choices or "", str(v), language) for v in value)
    if item.type in (FieldType.YES_NO, FieldType.CONSENT):
        return {"ja": "はい" if value else "いいえ"}.get(language, "✓" if value else "-")
    if item.type is FieldType.NUMBER:
        number = f"{value:,}" if isinstance(value, int) else str(value)
        return with_unit(number, value, item.unit.get(language)) if item.unit else number
    if item.type is FieldType.POSTAL_CODE:
        return f"〒{value}"
    return str(value)


def _sample_text(form: FormDefinition, item: FieldDef) -> str:
    if item.sample is None:
        return ""
    if item.type is FieldType.DATE and isinstance(item.sample, date):
        return format_date(item.sample, form.era)
    return format_value(form, item, item.sample)


def overflowing_slots(form: FormDefinition,
                      layout: PageLayout) -> Iterator[tuple[str, int, int]]:
    """``(field id, characters needed, characters of room)`` for samples too long for their box."""
    by_id = {item.id: item for item in form.fields}
    for slot in layout.slots():
        item = by_id.get(slot.field_id)
        if item is None or slot.kind != "text":
            continue
        needed = text_width(_sample_text(form, item))
        room = int(slot.chars_per_line * slot.lines)
        if needed > room:
            yield slot.field_id, int(needed + 0.5), room


@dataclass(frozen=True)
class FilledSlot:
    """A slot with its printed text (or table cells) and where the value came from."""

    slot: FieldSlot
    text: str = ""
    cells: tuple[tuple[str, ...], ...] = ()
    from_card: bool = False
    clerk_changed: bool = False


@dataclass(frozen=True)
class FilledForm:
    """A completed application ready to draw: layout, texts, QR payload, date of application."""

    layout: PageLayout
    application_id: str
    applied_on: str
    slots: tuple[FilledSlot, ...]
    form_id: str
    form_version: str
    signature_png: bytes | None = None   # drawn on the tablet; None: signed by hand on paper

    def __repr__(self) -> str:
        return f"FilledForm({self.form_id!r}, {self.application_id!r})"
