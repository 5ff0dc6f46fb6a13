"""A finished :class:`FormSession` filled into its :class:`PageLayout` (pure; no reportlab)."""

from __future__ import annotations

from kiosk.procedures.eras import format_date
from kiosk.procedures.layout import FieldSlot, FilledForm, FilledSlot, build_layout, format_value
from kiosk.procedures.model import FieldType
from kiosk.procedures.session import FormSession, Provenance

__all__ = ["fill_form"]


def _filled(session: FormSession, slot: FieldSlot) -> FilledSlot:
    form = session.definition
    item = form.field(slot.field_id)
    answer = session.answers.get(item.id)
    from_card = answer is not None and answer.provenance is Provenance.CARD
    changed = answer is not None and answer.provenance is Provenance.CLERK and bool(answer.reason)
    if not session.is_visible(item.id) or item.type is FieldType.NOTE:
        return FilledSlot(slot, item.label.get("ja") if item.type is FieldType.NOTE else "")
    value = session.value(item.id)
    if item.type is FieldType.GROUP:
        rows = value if isinstance(value, list) else []
        cells = tuple(tuple(format_value(form, child, row.get(child.id)) for child in item.fields)
                      for row in rows)
        return FilledSlot(slot, cells=cells)
    return FilledSlot(slot, format_value(form, item, value), from_card=from_card,
                      clerk_changed=changed)


def fill_form(session: FormSession) -> FilledForm:
    """The printable form of ``session``: texts in Japanese, dates in the form's era style.

    Repeat groups get as many rows as the paper form has (``repeat.max``), or more when the
    citizen entered more.
    """
    form = session.definition
    rows = {}
    for item in form.fields:
        if item.type is FieldType.GROUP:
            value = session.value(item.id)
            rows[item.id] = max(item.repeat_max if item.repeat_max <= 6 else 6,
                                len(value) if isinstance(value, list) else 0)
    layout = build_layout(form, rows)
    slots = tuple(_filled(session, slot) for slot in layout.slots())
    return FilledForm(layout, session.application_id, format_date(session.today(), form.era),
                      slots, form.id, form.version,
                      session.signature_png if form.print.signature else None)
