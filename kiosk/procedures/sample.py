"""Sample answers for a definition: for ``kiosk forms print --sample`` and the overflow check.

A field's ``sample:`` wins; otherwise a plausible value of its type is made up. The sample
person is fictitious (登米 花子), never a real resident.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from kiosk.domain.signature import Signature, Stroke
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError

__all__ = ["SAMPLE_CARD", "sample_session", "sample_signature", "sample_value"]

SAMPLE_CARD: dict[str, Any] = {
    "card.name": "登米\u3000花子",
    "card.reading": None,   # today's cards carry no reading
    "card.address": "宮城県登米市迫町佐沼字中江二丁目６番地１",
    "card.birth_date": date(1989, 1, 8),
    "card.sex": "2",
}

_DEFAULTS: dict[FieldType, Any] = {
    FieldType.NAME: "登米\u3000花子", FieldType.READING: "とめ　はなこ",
    FieldType.DATE: date(2019, 5, 1), FieldType.POSTAL_CODE: "9870511",
    FieldType.ADDRESS: "宮城県登米市迫町佐沼字中江二丁目６番地１", FieldType.PHONE: "0220-22-2111",
    FieldType.TEXT: "サンプル", FieldType.YES_NO: True, FieldType.CONSENT: True,
    FieldType.MY_NUMBER: "123456789018",
}


def sample_value(form: FormDefinition, item: FieldDef) -> Any:
    """A value of ``item``'s type (its ``sample:`` when it has one)."""
    if item.sample is not None:
        return item.sample
    if item.type in (FieldType.SELECT, FieldType.MULTISELECT):
        choices = form.choices.get(item.choices or "", ())
        if not choices:
            return None
        return choices[0].value if item.type is FieldType.SELECT else [choices[0].value]
    if item.type is FieldType.NUMBER:
        return int(item.minimum) if item.minimum is not None else 1
    if item.type is FieldType.GROUP:
        return [{child.id: sample_value(form, child) for child in item.fields}
                for _ in range(max(1, item.repeat_min))]
    return _DEFAULTS.get(item.type)


def sample_session(form: FormDefinition, *, today: date = date(2026, 4, 1),
                   application_id: str = "SAMPLE-0001") -> FormSession:
    """A session answered with sample values, prefilled from the fictitious sample card."""
    session = FormSession(form, SAMPLE_CARD, today=today, application_id=application_id)
    for item in form.fields:
        if item.id in session.answers or item.calculate is not None or not item.type.holds_value:
            continue
        value = sample_value(form, item)
        try:
            session.set(item.id, value, by=Provenance.CITIZEN)
        except InvalidAnswerError:
            continue
    return session


def sample_signature(width: int = 700, height: int = 236) -> Signature:
    """A fictitious signature (two looping strokes) for samples, screenshots and benchmarks."""
    def stroke(x0: float, x1: float, t0: int, phase: float) -> Stroke:
        count = 40
        points = []
        for i in range(count):
            f = i / (count - 1)
            x = x0 + (x1 - x0) * f
            y = 0.5 + 0.25 * math.sin(f * 9.0 + phase) * (1.0 - 0.5 * f)
            points.append((round(x * width), round(y * height), t0 + i * 12))
        return Stroke(tuple(points))
    return Signature(width, height, (stroke(0.08, 0.48, 0, 0.0), stroke(0.52, 0.92, 700, 1.5)))
