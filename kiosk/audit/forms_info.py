"""What the report needs to know about each form: its paper fields, a character estimate, and
whether it is a certificate the convenience store could issue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition

__all__ = ["FormInfo", "form_infos"]

# Characters a citizen writes by hand for one field of each kind on the paper form (a tick or
# a circle counts as one or two strokes' worth). An estimate for the report, stated as such.
_CHARS: dict[FieldType, int] = {
    FieldType.NAME: 8, FieldType.READING: 10, FieldType.DATE: 8, FieldType.POSTAL_CODE: 7,
    FieldType.ADDRESS: 24, FieldType.PHONE: 11, FieldType.TEXT: 12, FieldType.SELECT: 1,
    FieldType.MULTISELECT: 2, FieldType.YES_NO: 1, FieldType.NUMBER: 2, FieldType.CONSENT: 1,
    FieldType.MY_NUMBER: 12,
}


@dataclass(frozen=True)
class FormInfo:
    """One procedure as the report sees it."""

    form_id: str
    title: str              # Japanese title
    service: str
    paper_fields: int       # fields the citizen fills on the paper 様式
    paper_chars: int        # estimated characters of those fields
    certificate: bool       # a certificate the convenience store can issue with the card

    @property
    def chars_per_field(self) -> float:
        """Mean estimated characters per paper field."""
        return self.paper_chars / self.paper_fields if self.paper_fields else 0.0


def _written(item: FieldDef) -> bool:
    return item.type.holds_value and item.type is not FieldType.GROUP and item.calculate is None


def _chars(item: FieldDef) -> int:
    return item.print_chars or _CHARS.get(item.type, 4)


def info_of(form: FormDefinition) -> FormInfo:
    """The :class:`FormInfo` of one definition (print sections, or every field without them)."""
    printed = {name for section in form.print.sections for name in section.fields}
    top = [item for item in form.fields if not printed or item.id in printed]
    items: list[FieldDef] = []
    for item in top:
        # A repeat group prints one row of its fields on paper: count that row once.
        members = item.fields if item.type is FieldType.GROUP else (item,)
        items.extend(member for member in members if _written(member))
    return FormInfo(form.id, form.title.get("ja"), form.service, len(items),
                    sum(_chars(item) for item in items), form.certificate)


def form_infos(catalog: FormCatalog) -> Mapping[str, FormInfo]:
    """Every loaded procedure's :class:`FormInfo`, by form id."""
    return {form_id: info_of(form) for form_id, form in catalog.forms.items()}
