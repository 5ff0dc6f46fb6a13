"""Review: every answer in large text, editable, fees totalled, what to bring; submit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.fonts import missing_characters
from kiosk.i18n import N_
from kiosk.services.outage import citizen_message
from kiosk.services.ticket_slip import SlipPrinters
from kiosk.services.visit import ReviewLine, Visit
from kiosk.ui.citizen.frame import STACK_ABOVE_SCALE
from kiosk.ui.citizen.screen_base import Action, Actions, CitizenScreen
from kiosk.ui.citizen.signature_pad import add_signature_pad
from kiosk.ui.common.application import loaded_faces

__all__ = ["GAIJI_BOX", "ReviewScreen"]

GAIJI_BOX = "〓"   # the geta mark: the printing trade's sign for "a character we cannot set"


class ReviewScreen(CitizenScreen):
    """Answers per form; a tap on "change" goes back to that question."""

    def __init__(self, visit: Visit, target: int, slip_printer: SlipPrinters | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        self.error = ""
        self._slip_printer = slip_printer

    def build(self, layout: QVBoxLayout) -> None:
        """Answers, fee, what to bring, and the submit buttons."""
        visit, tr = self.visit, self.marked
        layout.addWidget(self.label(tr(N_("Please check your answers.")), role="title"))
        gaiji = False
        for title, lines in visit.summary.review():
            layout.addWidget(self.label(title, role="heading"))
            for line in lines:
                gaiji |= self._line(layout, line)
        if gaiji:
            layout.addWidget(self.label(tr(N_("〓 marks a character of your name or address "
                                              "that this screen cannot show. The clerk will "
                                              "check it with you.")), role="muted",
                                        name="gaiji-note"))
        layout.addWidget(self.label(tr(N_("Fee: {yen} yen"), yen=f"{visit.summary.total_fee():,}"),
                                    role="heading", name="fee"))
        bring = visit.summary.to_bring()
        if bring:
            layout.addWidget(self.label(tr(N_("Please bring:")), role="heading"))
            for item in bring:
                layout.addWidget(self.label(f"• {item}"))
        for label, message in visit.summary.blocking_issues():
            layout.addWidget(self.label(f"⚠ {label}: {message}", role="error"))
        if visit.summary.needs_signature():
            add_signature_pad(self, layout)
        if self.error:
            layout.addWidget(self.label("⚠ " + self.error, role="error", name="error"))
        declaration = visit.summary.declaration()
        if declaration:
            # The declaration is given here, after every answer was seen, by the confirm buttons.
            layout.addWidget(self.label(declaration, role="heading", name="declaration"))
        screen_only = self.button(tr(N_("Send, no paper")), "submit-noslip")
        screen_only.clicked.connect(lambda: self._on_submit(print_slip=False))
        screen_only.setEnabled(not visit.summary.blocking_issues())
        layout.addWidget(screen_only)

    def footer_actions(self) -> Actions:
        """Back to the questions; send (and print the ticket) once nothing blocks. The send
        button carries the forms' declaration (記載内容に誤りはありません) when they have one."""
        send = self.visit.tr(N_("Send and print my ticket"))
        # A declaration too long for the footer's two lines (Vietnamese at 150 %) stands on
        # the screen above instead (the declaration label), the button then says what it does.
        return Actions(self.action(N_("Back"), "back", self._on_back, mark="back"),
                       Action(self.visit.summary.declaration() or send, "submit-print",
                              lambda: self._on_submit(print_slip=True),
                              not self.visit.summary.blocking_issues(), short=send))

    def _line(self, layout: QVBoxLayout, line: ReviewLine) -> bool:
        tr = self.visit.tr
        missing = missing_characters(line.value, loaded_faces()) if line.from_card else []
        value = "".join(GAIJI_BOX if c in missing else c for c in line.value)
        text = f"{line.label}: {value or '—'}"
        if line.from_card:
            text += "  " + tr(N_("(from your card)"))
        # Large text leaves no room beside the answer: the button goes under it, at the right.
        row = QHBoxLayout() if self.text_scale <= STACK_ABOVE_SCALE else QVBoxLayout()
        row.addWidget(self.label(text, personal=True, name=f"review-{line.field_id}"), 1)
        if line.question_index is not None:
            change = self.button(tr(N_("Change")), f"change-{line.field_id}")
            change.clicked.connect(lambda _=False, i=line.question_index: self._on_change(i))
            row.addWidget(change, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(row)
        return bool(missing)

    def _on_back(self) -> None:
        self.visit.back()

    def _on_change(self, index: int) -> None:
        self.visit.flow.go_to(index)

    def _on_submit(self, *, print_slip: bool) -> None:
        try:
            self.error = ""
            # The slip is in Japanese and the visitor's language (chosen at submission: the
            # visitor may have switched language on the way).
            printer = self._slip_printer
            self.visit.submit(printer(self.visit.language) if printer and print_slip else None)
        except UserFacingError as exc:
            message_id, params = citizen_message(exc)     # never the database's URL
            self.error = self.marked(message_id, **params)
            self.refresh()
            # The message sits under the answers: a citizen who tapped Send at the bottom of
            # the screen saw nothing happen (the pilot day's outage at 1920 × 1080).
            error = self.findChild(QLabel, "error")
            if error is not None:
                self.bring_into_view(error)
