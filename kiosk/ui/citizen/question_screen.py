"""One question per screen, with the touch input its field type needs.

Choices are answered with a tap; typed answers (kana, digits, dates, addresses) are answered
when the citizen taps Next, so a half-typed phone number is never called wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.procedures.model import FieldType
from kiosk.services.visit import Question, Stage, Visit
from kiosk.ui.citizen.frame import STACK_ABOVE_SCALE
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen
from kiosk.ui.common.address_picker import AddressPicker
from kiosk.ui.common.date_picker import DatePicker
from kiosk.ui.common.kana_keyboard import KanaKeyboard
from kiosk.ui.common.numeric_keypad import NumericKeypad
from kiosk.ui.common.tokens import SPACE, option_height

__all__ = ["QuestionScreen"]

_TYPED = (FieldType.READING, FieldType.NAME, FieldType.TEXT)
_DIGITS = (FieldType.PHONE, FieldType.POSTAL_CODE)


_ADULT_YEARS = 40   # where a birth-date picker starts: the middle of the adult years
_SHOWS_ITSELF = frozenset({FieldType.SELECT, FieldType.MULTISELECT, FieldType.YES_NO,
                           FieldType.CONSENT})


class QuestionScreen(CitizenScreen):
    """The current question of the visit."""

    def __init__(self, visit: Visit, target: int, parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        self.error = ""
        self._pending: Callable[[], Any] | None = None
        self.echo: QLabel | None = None
        # The settled question the visitor opened with its "Change": shown alone.
        self.opened: int | None = None
        self._kana: KanaKeyboard | None = None
        self._digits: NumericKeypad | None = None

    def _kana_keyboard(self) -> KanaKeyboard:
        """The kana keyboard, built on first use and kept (its text is set on every use)."""
        if self._kana is None:
            self._kana = KanaKeyboard(self.target, self)
            self._kana.setProperty("personal", True)
            self._kana.changed.connect(self._on_echo)
            self.kept.add(self._kana)
        return self._kana

    def _digit_keypad(self) -> NumericKeypad:
        """The keypad of phone numbers and postal codes, built on first use and kept."""
        if self._digits is None:
            self._digits = NumericKeypad(self.target, max_length=13, parent=self)
            self._digits.setProperty("personal", True)
            self._digits.changed.connect(self._on_echo)
            self.kept.add(self._digits)
        return self._digits

    def showing_settled(self) -> bool:
        """Whether the screen shows a run of settled questions to check at once."""
        return self.opened != self.visit.flow.index and len(self.visit.flow.settled_run()) > 1

    def build(self, layout: QVBoxLayout) -> None:
        """Progress, the question and its input; or several settled questions to check."""
        visit, tr = self.visit, self.marked
        question = visit.flow.current()
        self._pending = None
        if question is None:
            return
        if self.showing_settled():
            self._settled(layout)
            return
        item, session = question.field, visit.flow.session_of(question)
        layout.addWidget(self.label(tr(N_("Question {number} of {total}"),
                                       number=visit.flow.index + 1,
                                       total=len(visit.flow.questions())), role="muted"))
        layout.addWidget(self.label(item.label.get(visit.language), role="title",
                                    name="question"))
        if item.hint is not None:
            layout.addWidget(self.label(item.hint.get(visit.language), role="muted"))
        # Skipping is offered while an optional question is unanswered (a contact phone).
        # The hint stays once answered (it is still true): a hint that vanished with the
        # first tap moved every option under the visitor's finger.
        if visit.flow.is_optional(question):
            layout.addWidget(self.label(tr(N_("You may leave this blank.")), role="muted",
                                        name="optional"))
        optional = visit.flow.is_optional(question) and visit.summary.display(session, item) == ""
        if self.error:
            layout.addWidget(self.label("⚠ " + self.error, role="error", name="error"))
        current = visit.summary.display(session, item)
        self.echo = self.label(current, role="heading", name="answer",
                               personal=item.type not in (FieldType.SELECT, FieldType.MULTISELECT,
                                                          FieldType.YES_NO, FieldType.NUMBER,
                                                          FieldType.CONSENT))
        # A choice shows itself (the option is ticked): an echo that appeared with the first
        # tap moved the options under the finger.
        self.echo.setVisible(item.type not in _SHOWS_ITSELF)
        if item.type in _SHOWS_ITSELF:
            layout.addWidget(self.echo)
        else:
            layout.addWidget(_entry_box(self.echo))
        self._input(layout, question)
        if optional:
            skip = self.button(tr(N_("Skip")), "skip")
            skip.clicked.connect(self._on_skip)
            layout.addWidget(skip)

    def _settled(self, layout: QVBoxLayout) -> None:
        """The settled questions in a row, each answer with its "Change" (one tap for all)."""
        visit, tr = self.visit, self.marked
        run = visit.flow.settled_run()
        layout.addWidget(self.label(tr(N_("Question {number} of {total}"),
                                       number=visit.flow.index + 1,
                                       total=len(visit.flow.questions())), role="muted"))
        layout.addWidget(self.label(tr(N_("Please check your answers.")), role="title",
                                    name="settled"))
        for offset, question in enumerate(run):
            item, session = question.field, visit.flow.session_of(question)
            text = f"{item.label.get(visit.language)}: {visit.summary.display(session, item) or '—'}"
            row = QHBoxLayout() if self.text_scale <= STACK_ABOVE_SCALE else QVBoxLayout()
            row.addWidget(self.label(text, name=f"settled-{item.id}"), 1)
            change = self.button(tr(N_("Change")), f"change-{item.id}")
            change.clicked.connect(lambda _=False, i=visit.flow.index + offset:
                                   self._on_open(i))
            row.addWidget(change, 0, Qt.AlignmentFlag.AlignRight)
            layout.addLayout(row)

    def footer_actions(self) -> Actions:
        """Back and Next, on every question."""
        return Actions(self.action(N_("Back"), "back", self._on_back, mark="back"),
                       self.action(N_("Next"), "next", self._on_next, mark="forward"))

    def _input(self, layout: QVBoxLayout, question: Question) -> None:
        item = question.field
        if item.type in (FieldType.SELECT, FieldType.MULTISELECT):
            layout.addLayout(self._choices(question))
        elif item.type in (FieldType.YES_NO, FieldType.CONSENT):
            layout.addLayout(self._yes_no(question))
        elif item.type is FieldType.NUMBER:
            layout.addLayout(self._number(question))
        elif item.type is FieldType.DATE:
            self._date(layout, question)
        elif item.type is FieldType.ADDRESS:
            picker = AddressPicker(self.target)
            picker.setProperty("personal", True)
            picker.changed.connect(self._on_echo)
            self._pending = picker.address
            layout.addWidget(picker)
        elif item.type in _DIGITS:
            keypad = self._digit_keypad()
            keypad.set_text(str(self.visit.flow.session_of(question).value(item.id) or ""))
            self._pending = lambda: keypad.text
            layout.addWidget(keypad)
            keypad.show()
        elif item.type in _TYPED:
            if item.type is not FieldType.READING:
                layout.addWidget(self.label(self.marked(N_(
                    "Please write it in kana. The clerk will help with the kanji.")),
                    role="muted"))
            proposal = self.visit.flow.proposed_reading(question)
            if proposal is not None:
                self._proposal(layout, proposal)
            keyboard = self._kana_keyboard()     # its text echoed: the proposal shows
            keyboard.set_text(proposal or str(self.visit.flow.session_of(question).value(item.id)
                                              or ""))
            self._pending = lambda: keyboard.text
            layout.addWidget(keyboard)
            keyboard.show()

    def _proposal(self, layout: QVBoxLayout, proposal: str) -> None:
        """The proposed reading, confirmed with one tap (never taken silently)."""
        tr = self.marked
        layout.addWidget(self.label(tr(N_(
            "Is this the reading of your name? If it is right, tap “It is right”. If not, "
            "correct it with the keys.")), role="muted", name="reading-proposal"))
        confirm = self.button(tr(N_("It is right")), "reading-confirm", role="primary")
        confirm.clicked.connect(lambda: self._on_confirm_reading(proposal))
        layout.addWidget(confirm)

    def _choices(self, question: Question) -> QGridLayout:
        session, lang = self.visit.flow.session_of(question), self.visit.language
        item = question.field
        current = session.value(item.id)
        chosen = set(current) if isinstance(current, list) else {current}
        grid = QGridLayout()
        for index, choice in enumerate(session.options(item.id)):
            button = self.button(choice.label.get(lang), f"option-{choice.value}",
                                 checkable=True, checked=choice.value in chosen)
            if item.type is FieldType.MULTISELECT:
                picked = sorted((chosen - {None}) ^ {choice.value})
                button.clicked.connect(lambda _=False, v=picked: self._on_answer(v))
            else:
                button.clicked.connect(lambda _=False, v=choice.value: self._on_answer(v))
            button.setMinimumHeight(option_height(self.target))
            grid.addWidget(button, index, 0)     # full-width cards: one decision per row
        return grid

    def _yes_no(self, question: Question) -> QHBoxLayout:
        current = self.visit.flow.session_of(question).value(question.field.id)
        row = QHBoxLayout()
        for value, text in ((True, N_("Yes")), (False, N_("No"))):
            button = self.button(self.marked(text), "yes" if value else "no",
                                 checkable=True, checked=current is value)
            button.clicked.connect(lambda _=False, v=value: self._on_answer(v))
            row.addWidget(button)
        return row

    def _number(self, question: Question) -> QHBoxLayout:
        value = self.visit.flow.session_of(question).value(question.field.id)
        count = int(value) if isinstance(value, int | float) else 0
        row = QHBoxLayout()
        minus = self.button("－", "minus")
        minus.clicked.connect(lambda: self._on_answer(count - 1))
        plus = self.button("＋", "plus")
        plus.clicked.connect(lambda: self._on_answer(count + 1))
        row.addWidget(minus)
        row.addWidget(plus)
        return row

    def _date(self, layout: QVBoxLayout, question: Question) -> None:
        value = self.visit.flow.session_of(question).value(question.field.id)
        initial = value if isinstance(value, date) else self.visit_today()
        if not isinstance(value, date) and question.field.id.endswith("birth_date"):
            # A birth date starts at an adult's year, not today (fewer taps for most).
            initial = date(initial.year - _ADULT_YEARS, 1, 1)
        picker = DatePicker(self.target, initial, language=self.visit.language,
                            toggle_text=self.visit.tr(N_("Western year / Japanese era")))
        picker.setProperty("personal", True)    # a birth date: never in a report
        picker.changed.connect(lambda _day: self._on_echo(picker.text()))
        self._pending = lambda: picker.value
        layout.addWidget(picker)

    def visit_today(self) -> date:
        """The day the visit is on, where the date picker starts."""
        return date.today()

    # ------------------------------------------------------------ handlers
    def _on_echo(self, text: str) -> None:
        if self.echo is not None:
            self.echo.setText(text)

    def _on_answer(self, value: Any) -> None:
        try:
            self.visit.flow.answer(value)
            self.error = ""
        except UserFacingError as exc:
            self.error = self.marked(exc.message_id, **exc.params)
            self.refresh()

    def _on_confirm_reading(self, proposal: str) -> None:
        try:
            self.visit.flow.confirm_reading(proposal)
            self.error = ""
        except UserFacingError as exc:
            self.error = self.marked(exc.message_id, **exc.params)
            self.refresh()

    def _on_skip(self) -> None:
        try:
            self.visit.flow.skip()
            self.error = ""
        except UserFacingError as exc:
            self.error = self.marked(exc.message_id, **exc.params)
            self.refresh()

    def _on_open(self, index: int) -> None:
        self.error = ""
        self.opened = index
        self.visit.flow.go_to(index)

    def _on_back(self) -> None:
        self.error = ""
        self.opened = None
        visit = self.visit
        start = visit.flow.index - 1
        if visit.stage is Stage.FORMS and start > 0 and visit.flow.settled_run(start):
            # Back to where the settled run before this question begins: its one screen.
            while start > 0 and visit.flow.settled_run(start - 1):
                start -= 1
            visit.flow.go_to(start)
            return
        visit.back()

    def _on_next(self) -> None:
        if self.showing_settled():
            self.visit.flow.accept_settled()
            return
        self.opened = None
        try:
            if self._pending is not None:
                value = self._pending()
                if value not in (None, ""):
                    self.visit.flow.answer(value)
            self.visit.flow.next()
            self.error = ""
        except UserFacingError as exc:
            self.error = self.marked(exc.message_id, **exc.params)
            self.refresh()


def _entry_box(echo: QLabel) -> QFrame:
    """The answer being typed, in a box like a form's field: before the first key, an empty
    line said nothing of where the digits or kana would appear."""
    box = QFrame()
    box.setObjectName("entry-box")
    inner = QVBoxLayout(box)
    inner.setContentsMargins(SPACE.m, SPACE.s, SPACE.m, SPACE.s)
    inner.addWidget(echo)
    # One line's room even when empty, so the first key does not push the keys down.
    echo.setMinimumHeight(echo.fontMetrics().height())
    return box

