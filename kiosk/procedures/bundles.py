"""Life-event bundles: which procedures apply, and why, from a few answers.

A bundle (転入, 出生 ...) asks a few questions; each of its rules names a procedure, a
condition over those answers, and the reason shown to the citizen and the clerk ("a child
under 15 moves in with you, so 児童手当 applies").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.procedures.expressions import evaluate, truthy
from kiosk.procedures.model import Bundle, FormDefinition, LocalText

__all__ = ["Applicable", "applicable_procedures", "visit_prefills", "visit_sources"]


@dataclass(frozen=True)
class Applicable:
    """A procedure that applies, and the reason in every language."""

    procedure: str
    reason: LocalText


class _Answers:
    def __init__(self, answers: Mapping[str, Any], today: date) -> None:
        self._answers = answers
        self._today = today

    def value(self, name: str) -> Any:
        return self._answers.get(name)

    def fee(self, kind: str) -> int:
        return 0

    def today(self) -> date:
        return self._today


def applicable_procedures(bundle: Bundle, answers: Mapping[str, Any], *,
                          today: date) -> list[Applicable]:
    """The procedures of ``bundle`` that ``answers`` make apply, in the bundle's order."""
    env = _Answers(answers, today)
    return [Applicable(rule.procedure, rule.reason) for rule in bundle.rules
            if rule.when is None or truthy(evaluate(rule.when.tree, env))]


def visit_prefills(form: FormDefinition) -> dict[str, str]:
    """``{field id: visit source}`` of ``form``: the fields an earlier form of the visit fills.

    The おくやみ forms share ``deceased_name``, ``deceased_death_date`` ... with
    ``prefill: visit.<id>``, so what the clerk types once reaches every form of the visit.
    """
    return {item.id: item.prefill for item in form.fields
            if item.prefill is not None and item.prefill.startswith("visit.")}


def visit_sources(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Prefill sources ``visit.<field id>`` from the answers given so far in one visit.

    Args:
        answers: ``{field id: value}`` of the forms already answered (the first answer of an
            id wins, as the citizen gave it first); empty values are left out.
    """
    return {f"visit.{field_id}": value for field_id, value in answers.items()
            if value not in (None, "", [])}
