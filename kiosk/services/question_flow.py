"""The question flow of a visit: which questions the tablet asks, the answers, where it is.

One question per field id across the chosen forms (an answer reaches every form that asks the
same field), card answers not asked again, ``prefill: visit.<id>`` fields carried over from
what was typed, settled runs the visitor checks at once. :class:`kiosk.services.visit.Visit`
owns one per visit and moves between its stages by what :meth:`QuestionFlow.current` says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.i18n import N_
from kiosk.procedures.bundles import visit_sources
from kiosk.procedures.model import FieldDef, FieldType
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError
from kiosk.services.settled import is_settled

__all__ = ["Question", "QuestionFlow"]

# Field types the tablet asks itself; household tables and the 個人番号 are filled in with the
# clerk (a repeat group is too much for one touch screen, the My Number is 特定個人情報).
# The declaration (記載内容に誤りはありません, a CONSENT field) is no question either: it is given
# by the confirm button of the check screen, once the visitor has seen every answer.
_ASKED_AT_TABLET = frozenset(FieldType) - {
    FieldType.GROUP, FieldType.MY_NUMBER, FieldType.NOTE, FieldType.SIGNATURE, FieldType.CONSENT}


@dataclass(frozen=True)
class Question:
    """One question of the forms: a field of the first form that asks it."""

    form_index: int
    field: FieldDef


class QuestionFlow:
    """The chosen forms' sessions and the index of the question on screen."""

    def __init__(self, sessions: list[FormSession] | None = None) -> None:
        self.sessions: list[FormSession] = sessions or []
        self.index = 0

    def questions(self) -> list[Question]:
        """The questions still to show, once per field id across the chosen forms."""
        seen: set[str] = set()
        asked = []
        for index, session in enumerate(self.sessions):
            for item in session.definition.fields:
                if item.id in seen or item.type not in _ASKED_AT_TABLET or \
                        item.calculate is not None or not session.is_visible(item.id):
                    continue
                if session.provenance(item.id) is Provenance.CARD:
                    # Read from the card and locked: shown on the review, not asked again.
                    continue
                seen.add(item.id)
                asked.append(Question(index, item))
        return asked

    def current(self) -> Question | None:
        """The question on screen (``None`` past the last one)."""
        asked = self.questions()
        return asked[self.index] if self.index < len(asked) else None

    def session_of(self, question: Question) -> FormSession:
        """The form session that holds ``question``."""
        return self.sessions[question.form_index]

    def answer(self, value: Any) -> bool:
        """Answer the current question in every form that asks the same field; ``False``
        when there is no current question.

        Raises:
            InvalidAnswerError: the value does not fit; nothing was changed.
            kiosk.procedures.session.AnswerLockedError: the value came from the card.
        """
        question = self.current()
        if question is None:
            return False
        for session in self._sessions_with(question.field.id):
            if not session.is_readonly(question.field.id):
                session.set(question.field.id, value)
        self._carry_over()
        return True

    def _carry_over(self) -> None:
        """Fill ``prefill: visit.<id>`` fields from the answers given so far in this visit.

        The おくやみ forms name the deceased under other ids (the owner in 評価証明書, the previous
        head in 世帯主変更): what was typed once reaches them, unless the citizen answered them
        themselves; a carried value follows the answer it came from when that one changes.
        """
        given: dict[str, Any] = {}
        for session in self.sessions:
            for field_id, answer in session.answers.items():
                if answer.provenance is not Provenance.VISIT:
                    given.setdefault(field_id, answer.value)
        sources = visit_sources(given)
        for session in self.sessions:
            for item in session.definition.fields:
                source = item.prefill
                if source is None or not source.startswith("visit.") or \
                        session.provenance(item.id) not in (None, Provenance.VISIT):
                    continue
                try:
                    session.set(item.id, sources.get(source), by=Provenance.VISIT)
                except InvalidAnswerError:
                    continue    # a value that does not fit this field is asked instead

    def next(self) -> None:
        """Go past the current question.

        Raises:
            InvalidAnswerError: the current question is required and unanswered.
        """
        question = self.current()
        if question is not None:
            session = self.session_of(question)
            # "No" (False) answers a yes/no question: only no value at all is unanswered.
            if session.is_required(question.field.id) and \
                    session.value(question.field.id) in (None, "", []):
                raise InvalidAnswerError(question.field.id, N_("Please answer this item."))
        self.index += 1

    def clear_if_optional(self) -> None:
        """Leave the current question unanswered when it is optional (in every form)."""
        question = self.current()
        if question is not None and not self.session_of(question).is_required(question.field.id):
            for session in self._sessions_with(question.field.id):
                if not session.is_readonly(question.field.id):
                    session.set(question.field.id, None)

    def settled_run(self, start: int | None = None) -> list[Question]:
        """The settled questions one after another from ``start`` (the current one): answered
        by the form's default or optional and blank (:mod:`kiosk.services.settled`)."""
        asked = self.questions()
        run = []
        for question in asked[self.index if start is None else start:]:
            if not is_settled(self.session_of(question), question.field.id):
                break
            run.append(question)
        return run

    def accept_settled(self) -> None:
        """Go past the settled run from the current question (at least the current one)."""
        self.index += max(1, len(self.settled_run()))

    def go_to(self, index: int) -> None:
        """Jump to question ``index`` (kept within the questions)."""
        self.index = max(0, min(index, len(self.questions()) - 1))

    def is_optional(self, question: Question) -> bool:
        """Whether ``question`` may be left unanswered."""
        return not self.session_of(question).is_required(question.field.id)

    def is_from_card(self, question: Question) -> bool:
        """Whether the answer of ``question`` was read from the card (and is locked)."""
        return self.session_of(question).provenance(question.field.id) is Provenance.CARD

    def _sessions_with(self, field_id: str) -> Iterable[FormSession]:
        for session in self.sessions:
            if any(item.id == field_id for item in session.definition.fields):
                yield session
