"""Drawing values onto the city's own blank 様式 PDF (the generic layout is the fallback).

reportlab draws the values on a transparent page of the 様式's size; pypdf lays that page over
the 様式's page. Horizontal text shrinks to fit its box; vertical text (縦書き) runs top to
bottom, one character under the other. ``outline=True`` (``kiosk forms calibrate``) draws
every box in red with its field's id and label, so staff can correct the placement.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from devices.printer.font_chain import FontChain, form_chain
from kiosk.procedures.overlay import OverlayText

__all__ = ["render_on_background"]

_MIN_PT = 5.0
_PAD_MM = 0.8


def _font(chain: FontChain, char: str) -> str:
    return (chain.font_for(char) if not char.isspace() else None) or chain.primary


def _width(chain: FontChain, text: str, size: float) -> float:
    return sum(float(stringWidth(c, _font(chain, c), size)) for c in text)


def _horizontal(canvas: Canvas, chain: FontChain, item: OverlayText, height: float) -> None:
    place = item.place
    room = (place.w - 2 * _PAD_MM) * mm
    size = min(place.size, (place.h - 2 * _PAD_MM) * mm / 1.1)
    while size > _MIN_PT and _width(chain, item.text, size) > room:
        size -= 0.5
    x = (place.x + _PAD_MM) * mm
    baseline = height - (place.y + place.h / 2) * mm - size * 0.35
    for char in item.text:
        canvas.setFont(_font(chain, char), size)
        canvas.drawString(x, baseline, char)
        x += stringWidth(char, _font(chain, char), size)


def _vertical(canvas: Canvas, chain: FontChain, item: OverlayText, height: float) -> None:
    place = item.place
    chars = [c for c in item.text if not c.isspace()] or [" "]
    size = min(place.size, (place.w - 2 * _PAD_MM) * mm,
               (place.h - 2 * _PAD_MM) * mm / (len(chars) * 1.05))
    size = max(size, _MIN_PT)
    centre = (place.x + place.w / 2) * mm
    top = height - (place.y + _PAD_MM) * mm
    for index, char in enumerate(chars):
        canvas.setFont(_font(chain, char), size)
        canvas.drawCentredString(centre, top - (index + 1) * size * 1.05 + size * 0.15, char)


def _outline(canvas: Canvas, chain: FontChain, item: OverlayText, height: float) -> None:
    place = item.place
    canvas.saveState()
    canvas.setStrokeColorRGB(0.85, 0.1, 0.1)
    canvas.setFillColorRGB(0.85, 0.1, 0.1)
    canvas.setLineWidth(0.6)
    canvas.rect(place.x * mm, height - (place.y + place.h) * mm, place.w * mm, place.h * mm)
    x, label_y = place.x * mm, height - place.y * mm + 1.5
    for char in item.text[:40]:
        canvas.setFont(_font(chain, char), 5.5)
        canvas.drawString(x, label_y, char)
        x += stringWidth(char, _font(chain, char), 5.5)
    canvas.restoreState()


def _overlay(items: Sequence[OverlayText], size: tuple[float, float], chain: FontChain,
             outline: bool) -> PdfReader:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, initialFontName=chain.primary, pageCompression=1)
    for item in items:
        if outline:
            _outline(canvas, chain, item, size[1])
        elif item.place.vertical:
            _vertical(canvas, chain, item, size[1])
        else:
            _horizontal(canvas, chain, item, size[1])
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return PdfReader(buffer)


def render_on_background(items: Sequence[OverlayText], background: Path, out: Path, *,
                         outline: bool = False) -> None:
    """Write ``background`` (the blank 様式) with ``items`` drawn in their boxes to ``out``.

    Raises:
        OSError, pypdf.errors.PdfReadError: the 様式 file is missing or not a PDF.
    """
    chain = form_chain()
    writer = PdfWriter(clone_from=PdfReader(background))
    for number, page in enumerate(writer.pages, start=1):
        on_page = [item for item in items if item.place.page == number]
        if not on_page:
            continue
        box = page.mediabox
        size = (float(box.width), float(box.height))
        page.merge_page(_overlay(on_page, size, chain, outline).pages[0])
    with out.open("wb") as stream:
        writer.write(stream)
