"""The one converter between a form session's typed answers and the stored text answers.

An application is stored (sealed) as text: dates in ISO form, lists, numbers and yes/no as
JSON, everything else as typed. :func:`to_stored` writes a session's answers that way with their
provenance; :func:`restore` reads them back into a session for the clerk's review, and
:func:`typed_value` reads one stored text (the review's "before" value, the export's records).
A stored text that no longer fits its field (the form changed) is kept as stored: the clerk
sees it and corrects it, and approval validates again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from kiosk.domain.application import Provenance, StoredAnswer
from kiosk.errors import UserFacingError
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition
from kiosk.procedures.session import Answer, FormSession
from kiosk.procedures.values import coerce

__all__ = ["restore", "restored_answers", "session_provenance", "to_stored", "to_text",
           "typed_value"]

# Field types whose values are stored as JSON (the others are stored as their text).
_JSON_TYPES = frozenset({FieldType.MULTISELECT, FieldType.YES_NO, FieldType.CONSENT,
                         FieldType.NUMBER, FieldType.GROUP})


def to_text(value: Any) -> str:
    """One typed value as stored text: a date in ISO form, a text as it is, the rest as JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def to_stored(session: FormSession, card: Provenance = Provenance.CARD
              ) -> dict[str, StoredAnswer]:
    """The session's answers as stored text answers, each with its provenance and reason.

    ``card`` is what the card's answers are stored as: ``CARD_UNVERIFIED`` when the card was
    not verified against the issuer.
    """
    return {field_id: StoredAnswer(to_text(answer.value),
                                   card if answer.provenance is Provenance.CARD
                                   else answer.provenance, reason=answer.reason)
            for field_id, answer in session.answers.items()}


def typed_value(form: FormDefinition, item: FieldDef, stored: str) -> Any:
    """A stored text answer as ``item``'s typed value (the stored text when it does not fit)."""
    raw: Any = stored
    if item.type in _JSON_TYPES:
        with contextlib.suppress(ValueError):   # stored as plain text after all
            raw = json.loads(stored)
    try:
        return coerce(item, raw, form)
    except UserFacingError:
        return stored


def session_provenance(stored: Provenance) -> Provenance:
    """Where a stored answer came from, as the session knows it: a card is a card (whether its
    issuer was verified is the application's fact, not the answer's)."""
    return Provenance.CARD if stored is Provenance.CARD_UNVERIFIED else stored


def restored_answers(form: FormDefinition, stored: Mapping[str, StoredAnswer]
                     ) -> dict[str, Answer]:
    """The stored answers as typed session answers; the card's stay locked.

    An answer of a field ``form`` does not have (an older form version, a signature) and a
    field a clerk cleared (stored empty, to keep the reason) are left out.
    """
    answers = {}
    for field_id, answer in stored.items():
        try:
            item = form.field(field_id)
        except KeyError:
            continue
        if answer.value == "":
            continue
        provenance = session_provenance(answer.provenance)
        answers[field_id] = Answer(typed_value(form, item, answer.value), provenance,
                                   locked=provenance is Provenance.CARD, reason=answer.reason)
    return answers


def restore(form: FormDefinition, stored: Mapping[str, StoredAnswer], *, today: date,
            application_id: str = "") -> FormSession:
    """A session of ``form`` holding the stored answers (no defaults or prefill added)."""
    session = FormSession(form, today=today, application_id=application_id)
    session.restore(restored_answers(form, stored))
    return session
