"""Application review: fields with provenance and diff, edit with reason, approve, print, finish.

Every value shown is personal data: it stays in the widgets only while the application is
open, and :meth:`ReviewPanel.close_application` clears them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.application import ApplicationStatus as S
from kiosk.errors import DeviceError, UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.procedures.session import Provenance
from kiosk.services.review import RETURN_REASONS, ReviewSession

__all__ = ["ReviewPanel"]

_PROVENANCE = {Provenance.CARD: S_("card"), Provenance.CITIZEN: S_("citizen"),
               Provenance.CLERK: S_("clerk"), Provenance.DEFAULT: S_("default"),
               Provenance.VISIT: S_("visit")}
_ORANGE = QColor("#b35900")


class ReviewPanel(QWidget):
    """Shows one :class:`ReviewSession` at a time."""

    def __init__(self, tr: Translator, citizen_text: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._citizen_text = citizen_text   # the return reason in Japanese, for the clerk
        self.review: ReviewSession | None = None
        self.title = QLabel(tr(S_("No application open.")))
        self.title.setObjectName("clerk-heading")
        self.status = QLabel("")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr(S_("Field")), tr(S_("Value")), tr(S_("Source")),
                                              tr(S_("Card value / reason")), tr(S_("Check"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.new_value = QLineEdit(placeholderText=tr(S_("New value")))
        self.reason = QLineEdit(placeholderText=tr(S_("Reason for the correction (required)")))
        self.return_reason = QComboBox()
        for key, text in RETURN_REASONS.items():
            self.return_reason.addItem(citizen_text(text), key)
        self.message = QLabel("", wordWrap=True)
        self.message.setProperty("role", "error")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.addWidget(self.new_value, 0, 0, 1, 2)
        grid.addWidget(self.reason, 0, 2, 1, 2)
        for index, (key, text, handler) in enumerate((
                ("edit", S_("Correct"), self._on_edit),
                ("approve", S_("Approve"), self._on_approve),
                ("print", S_("Print"), self._on_print),
                ("finish", S_("Done"), self._on_finish),
                ("return", S_("Return to the citizen"), self._on_return))):
            button = QPushButton(tr(text))
            button.clicked.connect(handler)
            self.buttons[key] = button
            grid.addWidget(button, 1 + index // 4, index % 4)
        grid.addWidget(self.return_reason, 3, 0, 1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        self._update_buttons()

    def show_application(self, review: ReviewSession) -> None:
        """Show ``review``."""
        self.review = review
        self.message.clear()
        self._fill()

    def close_application(self) -> None:
        """Forget the open application and clear every value from the screen."""
        self.review = None
        self.table.setRowCount(0)
        self.new_value.clear()
        self.reason.clear()
        self.title.setText(self._tr(S_("No application open.")))
        self.status.clear()
        self._update_buttons()

    def _fill(self) -> None:
        review = self.review
        if review is None:
            return
        self.title.setText(f"{review.title}  (#{review.application.id})")
        self.status.setText(self._tr(S_("Status: {status}"), status=review.status.value))
        fields = review.fields()
        self.fields = fields
        self.table.setRowCount(len(fields))
        for row, item in enumerate(fields):
            source = self._tr(_PROVENANCE[item.provenance]) if item.provenance else ""
            if item.card_unverified:
                source = "⚠ " + self._tr(S_("card, not verified against the issuer"))
            diff = (self._tr(S_("card: {value} / reason: {reason}"), value=item.original,
                             reason=item.reason) if item.original else item.reason)
            flags = []
            if item.rare_characters:
                flags.append(self._tr(S_("外字? check: {chars}"), chars=" ".join(item.rare_characters)))
            if item.handwrite:
                flags.append(self._tr(S_("hand-write: {chars}"), chars=" ".join(item.handwrite)))
            for column, text in enumerate((item.label, item.value, source, diff, "; ".join(flags))):
                cell = QTableWidgetItem(text)
                if (column == 4 and flags) or (column == 3 and item.original):
                    cell.setForeground(_ORANGE)
                self.table.setItem(row, column, cell)
        self._update_buttons()

    def _update_buttons(self) -> None:
        status = self.review.status if self.review is not None else None
        self.buttons["edit"].setEnabled(status is S.IN_REVIEW)
        self.buttons["approve"].setEnabled(status is S.IN_REVIEW)
        self.buttons["return"].setEnabled(status is S.IN_REVIEW)
        self.buttons["print"].setEnabled(status in (S.APPROVED, S.PRINTED))
        self.buttons["print"].setText(self._tr(S_("Reprint") if status is S.PRINTED
                                               else S_("Print")))
        self.buttons["finish"].setEnabled(status is S.PRINTED)

    def _act(self, action: Callable[[], object], done: str = "") -> bool:
        try:
            action()
        except DeviceError as exc:
            # Nothing was marked printed: the clerk may fix the printer and press Print again.
            self.message.setText(self._tr(S_("Printing failed: {reason}"),
                                          reason=exc.english()))
            return False
        except UserFacingError as exc:
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return False
        self.message.setText(self._tr(done) if done else "")
        self._fill()
        return True

    def _on_edit(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.review is None or not rows:
            self.message.setText(self._tr(S_("Select the field to correct.")))
            return
        field_id = self.fields[rows[0].row()].field_id
        review = self.review
        if self._act(lambda: review.edit(field_id, self.new_value.text(), self.reason.text())):
            self.new_value.clear()
            self.reason.clear()

    def _on_approve(self) -> None:
        if self.review is not None:
            self._act(self.review.approve)

    def _on_print(self) -> None:
        if self.review is not None:
            self._act(self.review.print_form, S_("Sent to the printer."))

    def _on_finish(self) -> None:
        if self.review is not None and self._act(self.review.finish):
            self.close_application()

    def _on_return(self) -> None:
        review = self.review
        if review is not None:
            reason = str(self.return_reason.currentData())
            if self._act(lambda: review.send_back(reason)):
                self.close_application()
                # Shown for the citizen to read at the counter, in the language they applied in.
                self.message.setText(self._tr(S_("Returned. For the citizen: {notice}"),
                                              notice=review.citizen_notice(reason)))
