"""A life event of a visit (引っ越し, おくやみ): its few questions and the procedures they lead to.

:class:`kiosk.services.visit.Visit` owns one (``visit.life_event``); the life-event screen
answers its questions and, accepted, the procedures that apply join the chosen ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kiosk.procedures.bundles import Applicable, applicable_procedures
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.model import Bundle, FormDefinition, LocalText
from kiosk.procedures.values import coerce

__all__ = ["LifeEventStep"]


class LifeEventStep:
    """The life event a visitor chose and their answers to its questions.

    Args:
        forms: the life events and procedures offered.
        today: today's date (the answers' age checks).
        shown: called when the life event or its answers changed (the visit shows its screen).
        accepted: gets the procedures that apply, with the reason, when the visitor accepts.
    """

    def __init__(self, forms: FormCatalog, today: Callable[[], date], shown: Callable[[], None],
                 accepted: Callable[[list[Applicable]], None]) -> None:
        self._forms = forms
        self._today = today
        self._shown = shown
        self._accepted = accepted
        self.bundle: Bundle | None = None
        self.answers: dict[str, Any] = {}

    def reset(self) -> None:
        """Forget the life event and its answers (the visit ended)."""
        self.bundle = None
        self.answers = {}

    def choose(self, bundle_id: str) -> None:
        """Start the few questions of a life event."""
        self.bundle = self._forms.bundles[bundle_id]
        self.answers = {}
        self._shown()

    def answer(self, question_id: str, value: Any) -> None:
        """Answer one question of the life event.

        Raises:
            InvalidAnswerError: the value does not fit the question.
        """
        if self.bundle is None:
            return
        question = next(q for q in self.bundle.questions if q.id == question_id)
        self.answers[question_id] = coerce(question, value, _bundle_form(self.bundle))
        self._shown()

    def procedures(self) -> list[Applicable]:
        """The procedures the life event's answers make apply, with the reason."""
        if self.bundle is None:
            return []
        return [a for a in applicable_procedures(self.bundle, self.answers, today=self._today())
                if a.procedure in self._forms.forms]

    def accept(self) -> None:
        """Choose the life event's procedures (keeping any chosen before) and go on."""
        self._accepted(self.procedures())


def _bundle_form(bundle: Bundle) -> FormDefinition:
    """A throwaway definition so life-event answers use the same coercions as forms."""
    return FormDefinition(bundle.id, bundle.version, bundle.title, LocalText(), "", "",
                          bundle.file, choices=bundle.choices, fields=bundle.questions)
