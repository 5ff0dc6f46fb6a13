"""Settled questions: answered already by the form's default, or optional and left blank.

A run of them in a row (the certificate's kind, its scope, the items to include, the copies,
a contact phone) is shown on one screen to be checked with one tap, each with its own
"Change", rather than one Next per question: the visitor still sees every answer before the
check screen, and a question that decides what else is asked (``relationship``: who applies)
is never folded in, it keeps a screen of its own.
"""

from __future__ import annotations

from kiosk.procedures.expressions import names_in
from kiosk.procedures.model import FormDefinition
from kiosk.procedures.session import FormSession, Provenance

__all__ = ["deciders", "is_settled"]

_BLANK: tuple[object, ...] = (None, "", [])
_DECIDERS: dict[tuple[str, str], frozenset[str]] = {}


def deciders(form: FormDefinition) -> frozenset[str]:
    """The fields whose answer decides whether others are shown or required."""
    key = (form.id, form.version)
    found = _DECIDERS.get(key)
    if found is None:
        names: set[str] = set()
        for item in form.fields:
            for condition in (item.visible_if, item.required_if):
                if condition is not None:
                    names |= names_in(condition.tree)
        found = _DECIDERS[key] = frozenset(names)
    return found


def is_settled(session: FormSession, field_id: str) -> bool:
    """Whether ``field_id`` needs no tap of its own: its answer is the form's default (not
    the visitor's), or it is optional and blank; a deciding field never is."""
    if field_id in deciders(session.definition):
        return False
    value = session.value(field_id)
    if value in _BLANK:
        return not session.is_required(field_id)
    return session.provenance(field_id) is Provenance.DEFAULT
