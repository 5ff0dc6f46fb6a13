"""Drawing a completed application (the Japanese A4 form) and the citizen's receipt as PDF.

The geometry and texts come from :mod:`kiosk.procedures.layout` and
:mod:`kiosk.procedures.receipt`; this module only draws them with reportlab. Every character
is drawn with the first font of the chain that has it (BIZ UD, then IPAmj Mincho for 外字);
a character no font has becomes an empty square the clerk asks the citizen to hand-write,
and the page says so in a banner, so a missing glyph is never printed silently as a blank.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from devices.printer.font_chain import FontChain, form_chain, receipt_chain
from kiosk.domain.text_cleaning import strip_unsafe
from kiosk.ports import RenderReport
from kiosk.procedures.layout import Box, FilledForm, FilledSlot
from kiosk.procedures.receipt import Receipt, TicketSlip

__all__ = ["RenderReport", "render_application", "render_receipt", "render_slip"]

_PAGE_H = float(A4[1])
_MIN_PT = 6.0
_RED = (0.75, 0.1, 0.1)


def _y(top_mm: float) -> float:
    return _PAGE_H - top_mm * float(mm)


def _clean(text: str) -> str:
    # Variation selectors (IVS) are dropped: reportlab cannot select IVS glyphs, and the base
    # kanji is the legally same character on the form.
    return "".join(c for c in text if not (0xFE00 <= ord(c) <= 0xFE0F or
                                           0xE0100 <= ord(c) <= 0xE01EF))


def _runs(text: str, chain: FontChain) -> Iterator[tuple[str | None, str]]:
    """Split ``text`` into runs of one font; ``None`` marks characters no font has."""
    current: str | None = ""
    buffer = ""
    for char in _clean(text):
        font = chain.primary if char.isspace() else chain.font_for(char)
        if font != current and buffer:
            yield current, buffer
            buffer = ""
        current = font
        buffer += char
    if buffer:
        yield current, buffer


def _needs_shaping(run: str) -> bool:
    """Whether ``run`` holds a script whose letters combine (Devanagari, Thai)."""
    return any(0x0900 <= ord(char) <= 0x097F or 0x0E00 <= ord(char) <= 0x0E7F for char in run)


def _width(text: str, chain: FontChain, size: float) -> float:
    total = 0.0
    for font, run in _runs(text, chain):
        total += float(stringWidth(run, font, size)) if font else size * len(run)
    return total


class _Painter:
    def __init__(self, canvas: Canvas, chain: FontChain, report: RenderReport) -> None:
        self.canvas = canvas
        self.chain = chain
        self.report = report

    def text(self, x: float, y: float, text: str, size: float, owner: str = "") -> float:
        """Draw ``text`` at (x, y) points; return its width."""
        start = x
        # Controls and bidi overrides never reach the paper, wherever the text came from.
        for font, run in _runs(strip_unsafe(text), self.chain):
            if font is None:
                for _ in run:
                    self._handwrite_box(x, y, size)
                    x += size * 1.1
                if owner and owner not in self.report.handwrite_fields:
                    self.report.handwrite_fields.append(owner)
                continue
            if font != self.chain.primary and unicodedata.category(run[0]).startswith("Lo"):
                self.report.fallback_characters += len(run)
            self.canvas.setFont(font, size)
            # Devanagari and Thai need shaping (conjuncts, vowel signs); HarfBuzz does it.
            self.canvas.drawString(x, y, run, shaping=_needs_shaping(run))
            x += stringWidth(run, font, size)
        return x - start

    def _handwrite_box(self, x: float, y: float, size: float) -> None:
        canvas = self.canvas
        canvas.saveState()
        canvas.setStrokeColorRGB(*_RED)
        canvas.setLineWidth(0.8)
        canvas.rect(x, y - size * 0.2, size, size)
        canvas.restoreState()

    def fitted(self, box: Box, text: str, lines: int, size: float = 10.0, owner: str = "") -> None:
        """Draw ``text`` inside ``box`` on up to ``lines`` lines, shrinking the size to fit."""
        width = box.w * mm - 6
        start = size
        # One line a little smaller reads better than a wrap that leaves a lone ん behind.
        while size > start * 0.82 and _width(text, self.chain, size) > width:
            size -= 0.5
        if _width(text, self.chain, size) > width:
            size = start
        while size > _MIN_PT and _width(text, self.chain, size) > width * lines:
            size -= 0.5
        chunks = _wrap(text, self.chain, size, width, lines)
        line_h = size * 1.25
        top = _y(box.y) - (box.h * mm - line_h * len(chunks)) / 2 - size
        for index, chunk in enumerate(chunks):
            self.text(box.x * mm + 3, top - index * line_h + 2, chunk, size, owner)


def _wrap(text: str, chain: FontChain, size: float, width: float, lines: int) -> list[str]:
    chunks = [""]
    for char in text:
        if _width(chunks[-1] + char, chain, size) > width and len(chunks) < lines:
            chunks.append("")
        chunks[-1] += char
    return chunks


def _rect(canvas: Canvas, box: Box, fill: float | None = None) -> None:
    if fill is not None:
        canvas.setFillGray(fill)
    canvas.rect(box.x * mm, _y(box.y + box.h), box.w * mm, box.h * mm, stroke=1,
                fill=1 if fill is not None else 0)
    canvas.setFillGray(0)


def _qr(canvas: Canvas, box: Box, payload: str) -> None:
    code = segno.make(payload or "-", error="m", micro=False)
    matrix = code.matrix
    cell = box.w * mm / len(matrix)
    for row, bits in enumerate(matrix):
        for col, bit in enumerate(bits):
            if bit:
                canvas.rect(box.x * mm + col * cell, _y(box.y) - (row + 1) * cell, cell, cell,
                            stroke=0, fill=1)


def _slot(painter: _Painter, filled: FilledSlot) -> None:
    canvas, slot = painter.canvas, filled.slot
    _rect(canvas, slot.label_box, 0.93)
    painter.fitted(slot.label_box, slot.label, 2, 8.5)
    if slot.kind == "table":
        _table(painter, filled)
        return
    # Every row's box reaches the right margin (aligned rows); the text keeps its narrower
    # room (print_chars), which is what the overflow check measured.
    _rect(canvas, Box(slot.value_box.x, slot.value_box.y, _ROW_RIGHT - slot.value_box.x,
                      slot.value_box.h))
    painter.fitted(slot.value_box, filled.text, slot.lines, owner=slot.field_id)
    mark = "カード読取" if filled.from_card else "職員修正" if filled.clerk_changed else ""
    if mark:
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        right = (slot.value_box.x + slot.value_box.w) * mm - 2
        canvas.setFont(painter.chain.primary, 6)
        canvas.drawRightString(right, _y(slot.value_box.y) - 7, f"［{mark}］")
        canvas.setFillGray(0)


def _table(painter: _Painter, filled: FilledSlot) -> None:
    slot = filled.slot
    x, row_h = slot.value_box.x, slot.value_box.h / (slot.rows + 1)
    for index, (child_id, label, width) in enumerate(slot.columns):
        header = Box(x, slot.value_box.y, width, row_h)
        _rect(painter.canvas, header, 0.93)
        painter.fitted(header, label, 1, 8)
        for row in range(slot.rows):
            cell = Box(x, slot.value_box.y + row_h * (row + 1), width, row_h)
            _rect(painter.canvas, cell)
            texts = filled.cells[row] if row < len(filled.cells) else ()
            if index < len(texts):
                painter.fitted(cell, texts[index], 1, 9, owner=f"{slot.field_id}.{child_id}")
        x += width


def _header(painter: _Painter, filled: FilledForm) -> None:
    layout, canvas = filled.layout, painter.canvas
    painter.text(12 * mm, _y(12) - 8, layout.form_number, 8)
    title_w = _width(layout.title, painter.chain, 16)
    painter.text((210 * mm - title_w) / 2, _y(20), layout.title, 16)
    painter.text(12 * mm, _y(34), layout.addressee, 11)
    painter.text(layout.date_box.x * mm, _y(layout.date_box.y) - 12,
                 f"申請日　{filled.applied_on}", 10)
    _qr(canvas, layout.qr_box, filled.application_id)
    painter.text(layout.qr_box.x * mm, _y(layout.qr_box.y + layout.qr_box.h) - 8,
                 filled.application_id, 6)


_ROW_RIGHT = 210.0 - 12.0   # mm: the right margin of the generic layout (layout.PAGE_W - MARGIN)
_STAMPS = ("受付", "確認", "入力", "交付")
_STAMP_W = 18.0          # mm: room for a 12 mm 認印 with its label above it


def _footer(painter: _Painter, filled: FilledForm) -> None:
    """市使用欄: a labelled stamp box for each step of the office's handling."""
    canvas, box = painter.canvas, filled.layout.footer_box
    _rect(canvas, box)
    painter.text(box.x * mm + 3, _y(box.y) - 10, "市使用欄", 8)
    painter.text(box.x * mm + 3, _y(box.y) - 22,
                 f"窓口端末で作成（{filled.form_id} v{filled.form_version}）", 6.5)
    right = box.x + box.w
    for index, label in enumerate(reversed(_STAMPS)):
        cell = Box(right - (index + 1) * _STAMP_W, box.y, _STAMP_W, box.h)
        _rect(canvas, cell)
        head = Box(cell.x, cell.y, cell.w, 3.6)
        _rect(canvas, head, 0.93)
        painter.fitted(head, label, 1, 6.5)


def _signature(painter: _Painter, box: Box, png: bytes | None) -> None:
    _rect(painter.canvas, box)
    if png is None:
        painter.text(box.x * mm + 3, _y(box.y) - 10, "署名（ご本人が自署してください）", 8)
        return
    painter.text(box.x * mm + 3, _y(box.y) - 10, "署名（窓口端末で本人が自署）", 8)
    # Below the label, inside the box, keeping the pad's proportions.
    inner = Box(box.x + 2.0, box.y + 4.5, box.w - 4.0, box.h - 6.0)
    painter.canvas.drawImage(ImageReader(io.BytesIO(png)), inner.x * mm,
                             _y(inner.y + inner.h), inner.w * mm, inner.h * mm,
                             preserveAspectRatio=True, anchor="c")


def _flag(painter: _Painter) -> None:
    canvas = painter.canvas
    canvas.saveState()
    canvas.setFillColorRGB(*_RED)
    painter.text(12 * mm, _y(6) - 4,
                 "【要確認】印刷できない文字があります。□に手書きで記入してください。", 9)
    canvas.restoreState()


def _canvas(buffer: io.BytesIO, chain: FontChain) -> Canvas:
    # The initial font must be ours: reportlab's default (Helvetica) is never embedded.
    return Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=chain.primary,
                  initialFontSize=10)


def _start(chain: FontChain, title: str) -> tuple[io.BytesIO, Canvas, _Painter, RenderReport]:
    """A fresh in-memory A4 canvas with ``title``, its painter and an empty report."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, chain)
    canvas.setTitle(title)
    report = RenderReport()
    return buffer, canvas, _Painter(canvas, chain, report), report


def _save(canvas: Canvas, buffer: io.BytesIO, out: Path | BinaryIO) -> None:
    canvas.save()
    if isinstance(out, Path):
        out.write_bytes(buffer.getvalue())
    else:
        out.write(buffer.getvalue())


def render_application(filled: FilledForm, out: Path | BinaryIO) -> RenderReport:
    """Draw ``filled`` as one A4 page into ``out`` (a path or a binary stream)."""
    buffer, canvas, painter, report = _start(form_chain(), f"{filled.form_id} {filled.application_id}")
    canvas.setLineWidth(0.5)
    _header(painter, filled)
    for section in filled.layout.sections:
        title = Box(section.box.x, section.box.y, section.box.w, 6.0)
        _rect(canvas, title, 0.8)
        painter.fitted(title, section.title, 1, 9)
    for slot in filled.slots:
        _slot(painter, slot)
    if filled.layout.signature_box is not None:
        _signature(painter, filled.layout.signature_box, filled.signature_png)
    _footer(painter, filled)
    if report.needs_clerk:
        _flag(painter)
    _save(canvas, buffer, out)
    return report


_RECEIPT_SIZES = {"title": 18.0, "heading": 12.0, "total": 13.0, "body": 10.5, "note": 9.5}


def render_receipt(receipt: Receipt, out: Path | BinaryIO) -> RenderReport:
    """Draw the citizen's receipt; a line no font can draw is printed in English instead."""
    buffer, canvas, painter, report = _start(receipt_chain(), f"receipt {receipt.application_id}")
    top = 20.0
    for line in receipt.lines:
        size = _RECEIPT_SIZES.get(line.style, 10.5)
        text = line.text
        if any(painter.chain.font_for(c) is None for c in _clean(text) if not c.isspace()):
            text = line.english
            report.english_lines += 1
        top += size * 0.55 + (4.0 if line.style in ("heading", "title") else 1.5)
        box = Box(15.0, top - size * 0.45, 180.0, size * 0.5)
        painter.fitted(box, text, 3 if line.style == "note" else 2, size)
        top += size * 0.35 * (2 if len(text) > 60 else 1)
    _qr(canvas, Box(165.0, 15.0, 28.0, 28.0), receipt.qr or receipt.application_id)
    _save(canvas, buffer, out)
    return report


_SLIP_MM = (80.0, 120.0)   # an 80 mm receipt roll; an A4 printer prints it at the top of a page
_SLIP_SIZES = {"heading": 12.0, "number": 26.0, "body": 10.0, "small": 8.0}


def render_slip(slip: TicketSlip, out: Path | BinaryIO) -> RenderReport:
    """Draw the ticket slip on one 80 x 120 mm page, each line centred, the QR code below; a
    line no font can draw is printed in English instead."""
    chain = receipt_chain()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(_SLIP_MM[0] * mm, _SLIP_MM[1] * mm), pageCompression=1,
                    initialFontName=chain.primary, initialFontSize=10)
    canvas.setTitle(f"ticket {slip.label}")
    # The painter measures from the top of an A4 page: move that top onto the slip's.
    canvas.translate(0, _SLIP_MM[1] * mm - _PAGE_H)
    report = RenderReport()
    painter = _Painter(canvas, chain, report)
    top, width = 6.0, (_SLIP_MM[0] - 10.0) * mm
    for line in slip.lines:
        size = _SLIP_SIZES.get(line.style, 10.0)
        text = line.text
        if any(chain.font_for(c) is None for c in _clean(text) if not c.isspace()):
            text = line.english
            report.english_lines += 1
        height = size * 0.3528 * 1.7          # points to mm, with the line's spacing
        drawn = _width(text, chain, size)
        if drawn <= width:
            painter.text((_SLIP_MM[0] * mm - drawn) / 2, _y(top + height * 0.7), text, size)
        else:                                 # two lines, shrunk if need be
            height *= 2
            painter.fitted(Box(5.0, top, _SLIP_MM[0] - 10.0, height), text, 2, size)
        top += height + (2.5 if line.style == "body" else 0.0)   # a gap between the languages
    _qr(canvas, Box((_SLIP_MM[0] - 28.0) / 2, top + 2.0, 28.0, 28.0), slip.qr)
    _save(canvas, buffer, out)
    return report
