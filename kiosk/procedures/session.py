"""Stage 4: a :class:`FormSession` runs one citizen's answers against a definition.

Answers keep their provenance (:class:`kiosk.domain.application.Provenance`, the one list the
stored applications use too; :mod:`kiosk.procedures.stored` converts to and from them). Values
read from the My Number card are locked for the citizen (the card is the authority); a clerk may
override one, and must give a reason, which is kept with the answer for the review screen and
the audit trail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.domain.application import Provenance
from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.procedures.expressions import Environment, evaluate, truthy
from kiosk.procedures.model import (
    PREFILL_SOURCES,
    Bring,
    Choice,
    FieldDef,
    FieldType,
    FormDefinition,
)
from kiosk.procedures.values import InvalidAnswerError, coerce

__all__ = [
    "Answer",
    "AnswerLockedError",
    "FormSession",
    "Provenance",
    "ValidationIssue",
]


@dataclass(frozen=True)
class Answer:
    """A value with its provenance; the repr hides the value (it may be personal data)."""

    value: Any = dataclasses.field(repr=False)
    provenance: Provenance
    locked: bool = False
    reason: str = dataclasses.field(default="", repr=False)


@dataclass(frozen=True)
class ValidationIssue:
    """Why the form cannot be submitted yet: a field and a message id with parameters."""

    field: str
    message_id: str
    params: Mapping[str, str | int | float] = dataclasses.field(default_factory=dict)
    custom: Mapping[str, str] | None = None  # a constraint's own message, per language


class AnswerLockedError(UserFacingError):
    """The citizen tried to change a value read from the card."""


class FormSession:
    """The answers of one citizen to one form, with prefill, conditions and validation.

    Args:
        definition: the validated form.
        sources: prefill sources, e.g. ``{"card.name": ..., "card.birth_date": date(...),
            "visit.moving_date": ...}``; values that do not fit their field are left out.
        today: the date of the application (for ``age()`` and ``today()``).
        application_id: printed as QR code; no personal data.
    """

    def __init__(self, definition: FormDefinition, sources: Mapping[str, Any] | None = None,
                 *, today: date, application_id: str = "") -> None:
        self.definition = definition
        self.application_id = application_id
        self._today = today
        self.answers: dict[str, Answer] = {}
        # The applicant's signature drawn on the tablet (PNG; personal data), for the 署名 box.
        self.signature_png: bytes | None = None
        self._apply_defaults()
        self._apply_prefill(sources or {})

    def __repr__(self) -> str:
        return f"FormSession({self.definition.id!r}, answered={len(self.answers)})"

    # ------------------------------------------------------------ the expression environment
    def value(self, name: str) -> Any:
        """The value of field ``name``: its answer, or its calculation."""
        try:
            item = self.definition.field(name)
        except KeyError:
            return None
        if item.calculate is not None:
            return evaluate(item.calculate.tree, self)
        answer = self.answers.get(name)
        return answer.value if answer is not None else None

    def fee(self, kind: str) -> int:
        """The fee of ``kind`` in yen (0 when the table has no such line)."""
        try:
            return self.definition.fee(kind).amount
        except KeyError:
            return 0

    def today(self) -> date:
        """The date of the application."""
        return self._today

    # ------------------------------------------------------------ prefill and answers
    def _apply_defaults(self) -> None:
        for item in self.definition.fields:
            if item.default is not None and item.type.holds_value and item.calculate is None:
                try:
                    value = coerce(item, item.default, self.definition)
                except InvalidAnswerError:
                    continue
                self.answers[item.id] = Answer(value, Provenance.DEFAULT)

    def _apply_prefill(self, sources: Mapping[str, Any]) -> None:
        for item in self.definition.fields:
            source = item.prefill
            if source is None or sources.get(source) in (None, ""):
                continue
            try:
                value = coerce(item, sources[source], self.definition)
            except InvalidAnswerError:
                # A card value that does not fit (e.g. no reading yet) is asked instead.
                continue
            from_card = source in PREFILL_SOURCES
            self.answers[item.id] = Answer(value, Provenance.CARD if from_card else Provenance.VISIT,
                                           locked=from_card)

    def set(self, field_id: str, value: Any, *, by: Provenance = Provenance.CITIZEN,
            reason: str = "") -> None:
        """Answer ``field_id``; ``None``, ``""`` or only spaces clear it.

        Raises:
            KeyError: no such field.
            AnswerLockedError: a citizen changing a card value, or a clerk without a reason.
            InvalidAnswerError: the value does not fit the field.
        """
        item = self.definition.field(field_id)
        current = self.answers.get(field_id)
        if current is not None and current.locked:
            if by is not Provenance.CLERK:
                raise AnswerLockedError(N_("This was read from your card. Please ask the clerk to "
                                      "change it."))
            if not reason.strip():
                raise AnswerLockedError(N_("Changing a value read from the card needs a reason."))
        if value in (None, "", []):
            self.answers.pop(field_id, None)
            return
        cleaned = coerce(item, value, self.definition)
        if cleaned in (None, "", []):
            # Only spaces: as good as no answer (stored, it would come back as none).
            self.answers.pop(field_id, None)
            return
        # A value the filter hides is as wrong as one that is not in the list at all.
        if item.choice_filter is not None and not self._filter_allows(field_id, cleaned):
            raise InvalidAnswerError(field_id, N_("Please choose one of the options."))
        self.answers[field_id] = Answer(cleaned, by, reason=reason.strip())

    def provenance(self, field_id: str) -> Provenance | None:
        """Where the answer of ``field_id`` came from (``None`` when unanswered)."""
        answer = self.answers.get(field_id)
        return answer.provenance if answer is not None else None

    def restore(self, answers: Mapping[str, Answer]) -> None:
        """Replace every answer with ``answers``, as they are: no defaults, prefill or checks.

        For a stored application reopened (:func:`kiosk.procedures.stored.restore`) and for
        answers put back after a change that could not be saved.
        """
        self.answers.clear()
        self.answers.update(answers)

    def revert(self, field_id: str, previous: Answer | None) -> None:
        """Put ``field_id``'s answer back to ``previous`` (``None``: unanswered), unchecked."""
        if previous is None:
            self.answers.pop(field_id, None)
        else:
            self.answers[field_id] = previous

    # ------------------------------------------------------------ conditions
    def _holds(self, item: FieldDef, key: str, default: bool, env: Environment | None = None
               ) -> bool:
        condition = getattr(item, key)
        if condition is None:
            return default
        return truthy(evaluate(condition.tree, self if env is None else env))

    def is_visible(self, field_id: str) -> bool:
        """Whether ``field_id`` is shown (and so asked and printed)."""
        return self._holds(self.definition.field(field_id), "visible_if", True)

    def is_required(self, field_id: str) -> bool:
        """Whether ``field_id`` must be answered (only ever when visible)."""
        item = self.definition.field(field_id)
        if not self.is_visible(field_id) or not item.type.holds_value or item.calculate:
            return False
        return item.required or self._holds(item, "required_if", False)

    def is_readonly(self, field_id: str) -> bool:
        """Whether the citizen may not change ``field_id`` (card values, calculations)."""
        item = self.definition.field(field_id)
        answer = self.answers.get(field_id)
        return (answer is not None and answer.locked) or item.calculate is not None or \
            self._holds(item, "readonly_if", False)

    def options(self, field_id: str) -> tuple[Choice, ...]:
        """The choices of ``field_id``, narrowed by its ``choice_filter`` tag when it has one."""
        item = self.definition.field(field_id)
        choices = self.definition.choices.get(item.choices or "", ())
        if item.choice_filter is None:
            return choices
        tag = evaluate(item.choice_filter.tree, self)
        if tag in (None, ""):
            return choices
        return tuple(c for c in choices if not c.tags or str(tag) in c.tags)

    def _filter_allows(self, field_id: str, value: Any) -> bool:
        allowed = {choice.value for choice in self.options(field_id)}
        chosen = value if isinstance(value, list) else [value]
        return all(str(one) in allowed for one in chosen)

    def bring(self) -> list[Bring]:
        """What the citizen must bring, given the answers so far."""
        return [b for b in self.definition.bring
                if b.when is None or truthy(evaluate(b.when.tree, self))]

    def total_fee(self) -> int:
        """The sum of every calculated field whose id starts with ``fee`` (in yen)."""
        total = 0
        for item in self.definition.fields:
            if item.id.startswith("fee") and item.calculate is not None and self.is_visible(item.id):
                amount = self.value(item.id)
                total += int(amount) if isinstance(amount, int | float) else 0
        return total

    # ------------------------------------------------------------ validation
    def validate(self) -> list[ValidationIssue]:
        """Everything that stops submission, in the order of the form."""
        issues: list[ValidationIssue] = []
        for item in self.definition.fields:
            if not self.is_visible(item.id) or not item.type.holds_value:
                continue
            value = self.value(item.id)
            if value in (None, "", [], False) and self.is_required(item.id):
                issues.append(ValidationIssue(item.id, N_("Please answer this item.")))
                continue
            issues.extend(self._check_group(item, value))
            if item.choice_filter is not None and value not in (None, "", []) and not \
                    self._filter_allows(item.id, value):
                # An earlier answer changed and now hides this choice.
                issues.append(ValidationIssue(item.id, N_("Please choose one of the options.")))
            if item.constraint is not None and value not in (None, "", []) and not truthy(
                    evaluate(item.constraint.condition.tree, self)):
                issues.append(ValidationIssue(item.id, N_("Please check this answer."),
                                              custom=dict(item.constraint.message.texts)))
        return issues

    def _check_group(self, item: FieldDef, value: Any) -> list[ValidationIssue]:
        if item.type is not FieldType.GROUP:
            return []
        rows = value if isinstance(value, list) else []
        issues = []
        if len(rows) < item.repeat_min and self.is_required(item.id):
            issues.append(ValidationIssue(item.id, N_("Please enter at least {count} entries."),
                                          {"count": item.repeat_min}))
        for index, row in enumerate(rows):
            scope = _RowScope(self, item, row)
            for child in item.fields:
                issues.extend(self._check_row_field(child, row.get(child.id), scope,
                                                    f"{item.id}[{index}].{child.id}"))
        return issues

    def _check_row_field(self, child: FieldDef, value: Any, scope: _RowScope, where: str
                         ) -> list[ValidationIssue]:
        """Conditions of a field inside a repeat group, evaluated against its own row."""
        if not self._holds(child, "visible_if", True, scope):
            return []
        empty = value in (None, "", [], False)
        if empty and (child.required or self._holds(child, "required_if", False, scope)):
            return [ValidationIssue(where, N_("Please answer this item."))]
        if child.constraint is not None and not empty and not truthy(
                evaluate(child.constraint.condition.tree, scope)):
            return [ValidationIssue(where, N_("Please check this answer."),
                                    custom=dict(child.constraint.message.texts))]
        return []


class _RowScope:
    """What an expression inside a repeat group sees: its row's fields first, then the form's.

    ``relation == 'child'`` in a household member's condition means that member's relation.
    """

    def __init__(self, session: FormSession, group: FieldDef, row: Mapping[str, Any]) -> None:
        self._session = session
        self._row = row
        self._own = {child.id for child in group.fields}

    def value(self, name: str) -> Any:
        """The row's answer for its own fields; the form's value otherwise."""
        return self._row.get(name) if name in self._own else self._session.value(name)

    def fee(self, kind: str) -> int:
        """The form's fee table."""
        return self._session.fee(kind)

    def today(self) -> date:
        """The date of the application."""
        return self._session.today()
