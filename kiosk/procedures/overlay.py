"""Values placed onto the city's own 様式 PDF (``print.background`` and each field's ``place``).

Pure text and geometry, like :mod:`kiosk.procedures.layout`: which text goes into which box of
which page. ``devices/printer/overlay_render`` draws it over the blank 様式; fields without a
place are not printed on the 様式 (they stay on the generic layout, the fallback).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.procedures.layout import format_value
from kiosk.procedures.model import FieldType, FormDefinition, Place
from kiosk.procedures.session import FormSession

__all__ = ["OverlayText", "calibration_texts", "overlay_texts"]


@dataclass(frozen=True)
class OverlayText:
    """A text in a box of the 様式 (``field_id`` names it for reports, never its value)."""

    field_id: str
    text: str
    place: Place

    def __repr__(self) -> str:
        return f"OverlayText({self.field_id!r}, page {self.place.page})"


def overlay_texts(session: FormSession) -> list[OverlayText]:
    """The printed text of every visible, placed field of ``session`` (Japanese, 和暦)."""
    form = session.definition
    texts = []
    for item in form.fields:
        if item.place is None or item.type is FieldType.GROUP or not session.is_visible(item.id):
            continue
        text = format_value(form, item, session.value(item.id))
        if text:
            texts.append(OverlayText(item.id, text, item.place))
    return texts


def calibration_texts(form: FormDefinition) -> list[OverlayText]:
    """Every placed field with its id and Japanese label, for ``kiosk forms calibrate``."""
    return [OverlayText(item.id, f"{item.id} {item.label.get('ja')}", item.place)
            for item in form.fields if item.place is not None]
