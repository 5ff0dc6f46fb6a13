"""The question flow of a visit: which questions the tablet asks, the answers, where it is.

One question per field id across the chosen forms (an answer reaches every form that asks the
same field), card answers not asked again, ``prefill: visit.<id>`` fields carried over from
what was typed, settled runs the visitor checks at once, the reading of a name proposed for
the visitor to confirm. :class:`kiosk.services.visit.Visit` owns one and, told by its ``moved``
callback, shows the questions or the review by what :meth:`QuestionFlow.current` says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.i18n import N_
from kiosk.ports import ReadingProposer
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
    """The chosen forms' sessions and the index of the question on screen.

    Args:
        moved: called after an answer or a move (the visit shows the question or the review).
        reading: proposes the reading of a name for the citizen to confirm (never silently).
    """

    def __init__(self, moved: Callable[[], None] = lambda: None,
                 reading: ReadingProposer | None = None) -> None:
        self._moved = moved
        self._reading = reading
        self.sessions: list[FormSession] = []
        self.index = 0
        self._proposals: dict[str, str | None] = {}   # name -> proposed reading, this visit only

    def load(self, sessions: list[FormSession]) -> None:
        """Ask the questions of ``sessions`` from the first (proposals already made are kept)."""
        self.sessions = sessions
        self.index = 0

    def reset(self) -> None:
        """Forget the forms, their answers and the proposed readings (the visit ended)."""
        self.load([])
        self._proposals = {}

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

    def answer(self, value: Any) -> None:
        """Answer the current question in every chosen form that asks the same field.

        Raises:
            InvalidAnswerError: the value does not fit; nothing was changed.
            kiosk.procedures.session.AnswerLockedError: the value came from the card.
        """
        question = self.current()
        if question is None:
            return
        for session in self._sessions_with(question.field.id):
            if not session.is_readonly(question.field.id):
                session.set(question.field.id, value)
        self._carry_over()
        self._moved()

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
        """Go to the next question, or to the review after the last one.

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
        self._moved()

    def skip(self) -> None:
        """Leave the current optional question unanswered (a phone number the citizen would
        rather not give) and go on; a required question cannot be skipped.

        Raises:
            InvalidAnswerError: the question is required.
        """
        question = self.current()
        if question is not None and not self.session_of(question).is_required(question.field.id):
            for session in self._sessions_with(question.field.id):
                if not session.is_readonly(question.field.id):
                    session.set(question.field.id, None)
        self.next()

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
        """The visitor checked the settled questions from the current one: go past them all
        (at least the current one; to the review after the last question)."""
        self.index += max(1, len(self.settled_run()))
        self._moved()

    def go_to(self, index: int) -> None:
        """Jump back to question ``index`` (kept within the questions; to change an answer
        from the review)."""
        self.index = max(0, min(index, len(self.questions()) - 1))
        self._moved()

    def is_optional(self, question: Question) -> bool:
        """Whether ``question`` may be left unanswered."""
        return not self.session_of(question).is_required(question.field.id)

    def is_from_card(self, question: Question) -> bool:
        """Whether the answer of ``question`` was read from the card (and is locked)."""
        return self.session_of(question).provenance(question.field.id) is Provenance.CARD

    def proposed_reading(self, question: Question) -> str | None:
        """A reading to offer for an unanswered reading question, from the name before it.

        The proposal is only shown: it becomes an answer (of the citizen, not of the card)
        when the citizen confirms it or types over it.
        """
        item, session = question.field, self.session_of(question)
        if item.type is not FieldType.READING or session.value(item.id) not in (None, ""):
            return None
        name = None
        for other in session.definition.fields:
            if other.id == item.id:
                break
            if other.type is FieldType.NAME:
                name = session.value(other.id)   # the nearest name asked before the reading
        return self.propose(name) if isinstance(name, str) and name.strip() else None

    def propose(self, name: str) -> str | None:
        """The reading proposed for ``name`` (looked up once a visit; ``None``: none)."""
        if self._reading is None:
            return None
        if name not in self._proposals:
            self._proposals[name] = self._reading.propose(name)
        return self._proposals[name]

    def confirm_reading(self, reading: str) -> None:
        """The citizen confirmed the proposed ``reading`` with one tap: answer it and go on.

        Raises:
            InvalidAnswerError: the reading does not fit the field.
        """
        self.answer(reading)
        self.next()

    def declare(self) -> None:
        """The visitor confirmed the check screen: every visible declaration is given."""
        for session in self.sessions:
            for item in session.definition.fields:
                if item.type is FieldType.CONSENT and session.is_visible(item.id) and \
                        not session.is_readonly(item.id):
                    session.set(item.id, True)

    def _sessions_with(self, field_id: str) -> Iterable[FormSession]:
        for session in self.sessions:
            if any(item.id == field_id for item in session.definition.fields):
                yield session
