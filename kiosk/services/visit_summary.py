"""What the check screen shows of a visit's forms, in the visit's language.

The answers as words (:func:`display_value`), per form the asked answers
(:func:`review_lines`), the declaration the confirm button carries, what to bring and what
stops submission. :class:`VisitSummary` asks these of a visit's question flow in the visit's
language (``visit.summary``); they keep no state of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kiosk.i18n import N_, Translator
from kiosk.procedures.era_names import latin_date
from kiosk.procedures.eras import format_date
from kiosk.procedures.kana import plain_text
from kiosk.procedures.model import FieldDef, FieldType
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.units import with_unit
from kiosk.services.question_flow import QuestionFlow

__all__ = ["ReviewLine", "VisitSummary", "blocking_issues", "declaration", "display_value", "review_lines",
           "to_bring"]


@dataclass(frozen=True)
class ReviewLine:
    """One answer as the review screen shows it."""

    field_id: str
    label: str
    value: str
    from_card: bool
    question_index: int | None   # where to go to change it; None when it cannot be changed


class VisitSummary:
    """What the check screen shows of a visit's chosen forms, in the visit's language.

    Args:
        flow: the visit's question flow (its forms and questions).
        language: the visit's language now (a catalog code) and its translator.
    """

    def __init__(self, flow: QuestionFlow, language: Callable[[], tuple[str, Translator]]) -> None:
        self._flow = flow
        self._language = language

    def review(self) -> list[tuple[str, list[ReviewLine]]]:
        """Per chosen form: its title and every asked answer."""
        code, tr = self._language()
        return review_lines(self._flow.sessions, [q.field.id for q in self._flow.questions()],
                            code, tr)

    def declaration(self) -> str:
        """The declaration the check screen's confirm button carries: the first chosen form's
        CONSENT label ('' when no chosen form asks for one)."""
        return declaration(self._flow.sessions, self._language()[0])

    def display(self, session: FormSession, item: FieldDef) -> str:
        """The answer of ``item`` in words ('' when unanswered)."""
        code, tr = self._language()
        return display_value(session, item, code, tr)

    def total_fee(self) -> int:
        """Every chosen form's fees, in yen."""
        return sum(session.total_fee() for session in self._flow.sessions)

    def to_bring(self) -> list[str]:
        """What to bring to the counter, once each."""
        return to_bring(self._flow.sessions, self._language()[0])

    def blocking_issues(self) -> list[tuple[str, str]]:
        """``(field label, message)`` for each asked answer that stops submission."""
        code, tr = self._language()
        return blocking_issues(self._flow.sessions,
                               {q.field.id for q in self._flow.questions()}, code, tr)

    def needs_signature(self) -> bool:
        """Whether a chosen form is signed by the applicant (its paper form has a 署名 box)."""
        return any(session.definition.print.signature for session in self._flow.sessions)


def review_lines(sessions: Iterable[FormSession], asked: Sequence[str], language_code: str,
                 tr: Callable[..., str]) -> list[tuple[str, list[ReviewLine]]]:
    """Per form: its title and every asked, calculated or card answer (``asked``: the field
    ids of the visit's questions, in their order)."""
    indexes = {field_id: i for i, field_id in enumerate(asked)}
    result = []
    for session in sessions:
        lines = []
        for item in session.definition.fields:
            from_card = session.provenance(item.id) is Provenance.CARD
            if item.id not in indexes and item.calculate is None and not from_card:
                continue
            if not session.is_visible(item.id) or not item.type.holds_value:
                continue
            lines.append(ReviewLine(item.id, plain_text(item.label.get(language_code)),
                                    display_value(session, item, language_code, tr), from_card,
                                    None if from_card else indexes.get(item.id)))
        result.append((plain_text(session.definition.title.get(language_code)), lines))
    return result


def declaration(sessions: Iterable[FormSession], language_code: str) -> str:
    """The first form's visible CONSENT label ('' when no form asks for one)."""
    for session in sessions:
        for item in session.definition.fields:
            if item.type is FieldType.CONSENT and session.is_visible(item.id):
                return plain_text(item.label.get(language_code))
    return ""


def to_bring(sessions: Iterable[FormSession], language_code: str) -> list[str]:
    """What to bring to the counter, once each."""
    seen: dict[str, str] = {}
    for session in sessions:
        for item in session.bring():
            seen.setdefault(item.id, plain_text(item.label.get(language_code)))
    return list(seen.values())


def blocking_issues(sessions: Iterable[FormSession], asked: Collection[str], language_code: str,
                    tr: Callable[..., str]) -> list[tuple[str, str]]:
    """``(field label, message)`` for each asked answer that stops submission."""
    issues = []
    for session in sessions:
        for issue in session.validate():
            if issue.field in asked:
                label = session.definition.field(issue.field).label.get(language_code)
                issues.append((plain_text(label), tr(issue.message_id, **issue.params)))
    return issues


def display_value(session: FormSession, item: FieldDef, language_code: str,
                  tr: Callable[..., str]) -> str:
    """The answer of ``item`` as words in ``language_code``."""
    value = session.value(item.id)
    if value in (None, "", []):
        return ""
    form = session.definition
    if item.type in (FieldType.SELECT, FieldType.MULTISELECT):
        values = value if isinstance(value, list) else [value]
        return "、".join(plain_text(form.choice_label(item.choices or "", str(v), language_code))
                        for v in values)
    if item.type in (FieldType.YES_NO, FieldType.CONSENT):
        return str(tr(N_("Yes") if value else N_("No")))
    if isinstance(value, date):
        if not language_code.startswith("ja"):
            return latin_date(value)        # "1985-04-12 (Showa 60)": the era in X's letters
        return f"{format_date(value, form.era)} ({value.isoformat()})"
    if item.unit is not None:
        return with_unit(str(value), value, plain_text(item.unit.get(language_code)))
    return str(value)

