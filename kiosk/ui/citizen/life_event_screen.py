"""A life event's few questions, and the procedures they pick with the reason shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.procedures.model import FieldDef, FieldType
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen

__all__ = ["LifeEventScreen"]


class LifeEventScreen(CitizenScreen):
    """Yes/no and count questions of the chosen life event."""

    def build(self, layout: QVBoxLayout) -> None:
        """Questions and the procedures that apply."""
        visit, tr, lang = self.visit, self.marked, self.visit.language
        if visit.life_event.bundle is None:
            return
        layout.addWidget(self.label(visit.life_event.bundle.title.get(lang), role="title"))
        for question in visit.life_event.bundle.questions:
            layout.addWidget(self.label(question.label.get(lang), role="heading"))
            layout.addLayout(self._answers(question, visit.life_event.answers.get(question.id)))
        applicable = visit.life_event.procedures()
        layout.addWidget(self.label(tr(N_("These procedures apply to you:")), role="heading"))
        for item in applicable:
            title = visit.forms.forms[item.procedure].title.get(lang)
            layout.addWidget(self.label(f"• {title}: {item.reason.get(lang)}"))

    def footer_actions(self) -> Actions:
        """Back to the choice; accept once a procedure applies."""
        applies = self.visit.life_event.bundle is not None and bool(self.visit.life_event.procedures())
        return Actions(self.action(N_("Back"), "back", self._on_back, mark="back"),
                       self.action(N_("Choose these"), "accept", self._on_accept,
                                   enabled=applies, mark="forward"))

    def _answers(self, question: FieldDef, current: Any) -> QHBoxLayout:
        tr = self.marked
        row = QHBoxLayout()
        if question.type is FieldType.NUMBER:
            count = int(current or 0)
            minus = self.button("－", f"q-{question.id}-minus")
            minus.clicked.connect(lambda: self._on_answer(question.id, max(count - 1, 0)))
            shown = self.label(str(count), role="heading", name=f"q-{question.id}-value")
            plus = self.button("＋", f"q-{question.id}-plus")
            plus.clicked.connect(lambda: self._on_answer(question.id, count + 1))
            for widget in (minus, shown, plus):
                row.addWidget(widget)
            return row
        for value, text in ((True, tr(N_("Yes"))), (False, tr(N_("No")))):
            button = self.button(text, f"q-{question.id}-{'yes' if value else 'no'}",
                                 checkable=True, checked=current is value)
            button.clicked.connect(lambda _=False, v=value: self._on_answer(question.id, v))
            row.addWidget(button)
        return row

    def _on_answer(self, question_id: str, value: Any) -> None:
        try:
            self.visit.life_event.answer(question_id, value)
        except UserFacingError:
            return   # out of range (the +/- buttons stay within it); nothing to change

    def _on_back(self) -> None:
        self.visit.back()

    def _on_accept(self) -> None:
        self.visit.life_event.accept()
