"""Application review: fields with provenance and diff, edit with reason, approve, print, finish.

Every value shown is personal data: it stays in the widgets only while the application is
open, and :meth:`ReviewPanel.close_application` clears them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
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
from kiosk.services.outage import OutageWatch
from kiosk.services.review import RETURN_REASONS, STATUS_NAMES, ReviewField, ReviewSession
from kiosk.ui.clerk.once import OnceGuard
from kiosk.ui.clerk.signature_view import SignatureView
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.message_label import MessageLabel
from kiosk.ui.common.picture_button import picture_pixmap

__all__ = ["RETURN_NAMES", "ReviewPanel", "staff_message"]

_log = logging.getLogger(__name__)

_PROVENANCE = {Provenance.CARD: S_("card"), Provenance.CITIZEN: S_("citizen"),
               Provenance.CLERK: S_("clerk"), Provenance.DEFAULT: S_("default"),
               Provenance.VISIT: S_("visit"), Provenance.REGISTER: S_("resident register")}
# What the replaced value was, by where it came from: the clerk must not read "card" for a
# value the citizen typed.
_ORIGINAL = {Provenance.CARD: S_("Before the correction (from the card): {value}"),
             Provenance.CITIZEN: S_("Before the correction (entered by the citizen): {value}"),
             Provenance.CLERK: S_("Before the correction (entered by a clerk): {value}"),
             Provenance.DEFAULT: S_("Before the correction (the form's default): {value}"),
             Provenance.VISIT: S_("Before the correction (from the visit): {value}"),
             Provenance.REGISTER: S_("Before the correction (from the resident register): "
                                     "{value}")}
# Short names of the return reasons for the clerk's list (and the auditor's usage log); the
# full text the citizen reads is shown under it.
RETURN_NAMES = {"missing_information": S_("Information missing"),
                "document_needed": S_("A document is needed"),
                "other_counter": S_("Another counter"),
                "records_mismatch": S_("Does not match the records")}
_STATUS_PARAMS = ("status", "before", "after")
_ORANGE = QColor("#b35900")
_VALUE, _FIELD = 1, 0


def staff_message(tr: Translator, exc: UserFacingError, outage: OutageWatch | None = None) -> str:
    """``exc`` for the clerk, with an application status in it translated too; a database
    outage as the plain outage message (``outage`` logs it for IT)."""
    message_id, raw = (outage or OutageWatch()).message(exc)
    names = {status.value: STATUS_NAMES[status] for status in S}
    params = {key: tr(names[value]) if key in _STATUS_PARAMS and value in names else value
              for key, value in raw.items()}
    return tr(message_id, **params)


class ReviewPanel(QWidget):
    """Shows one :class:`ReviewSession` at a time.

    Every value is shown whole: the rows grow to their wrapped text (no eliding), the field
    column can be widened, and each cell's full text is also its tooltip. Under the value
    come the value a correction replaced (naming where it came from), the reason, and the
    checks (外字, hand-writing). ``changed`` follows every new state (the fee panel listens).
    """

    changed = Signal()

    def __init__(self, tr: Translator, citizen_text: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._citizen_text = citizen_text   # the return reason in Japanese, for the clerk
        self.review: ReviewSession | None = None
        self.fields: list[ReviewField] = []
        self.title = QLabel(tr(S_("No application open.")), wordWrap=True)
        self.title.setObjectName("clerk-heading")
        # The procedure's pictogram, as the citizen chose it on the tablet.
        self.picture = QLabel()
        self.picture.setObjectName("review-picture")
        self.picture.hide()
        self.status = QLabel("", wordWrap=True)
        self.status.setObjectName("review-status")
        self.table = self._make_table()
        self.new_value = QLineEdit(placeholderText=tr(S_("New value")))
        self.reason = QLineEdit(placeholderText=tr(S_("Reason for the correction (required)")))
        self.return_reason = QComboBox()
        for key in RETURN_REASONS:
            self.return_reason.addItem(tr(RETURN_NAMES.get(key, key)), key)
        # What the citizen will read, whole (in Japanese for the clerk), its lines apart.
        self.return_text = LeadedLabel()
        self.return_text.setObjectName("return-text")
        self.return_reason.currentIndexChanged.connect(self._show_return_text)
        self._show_return_text()
        self.message = MessageLabel()
        self.print_failures = 0     # printer errors shown so far (for the desk's --report)
        self.outage = OutageWatch()
        self.buttons: dict[str, QPushButton] = {}
        self._guard = OnceGuard(self.buttons.values, self._update_buttons, self)
        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        heading.addWidget(self.picture)
        heading.addWidget(self.title, 1)
        layout.addLayout(heading)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.signature = SignatureView(tr)
        layout.addWidget(self.signature)
        layout.addLayout(self._controls())
        layout.addWidget(self.message)
        self._update_buttons()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 2)
        table.setObjectName("review-fields")
        # Names, addresses, birth dates, the card's values: never in a report (text_report).
        table.setProperty("personal", True)
        table.setHorizontalHeaderLabels([self._tr(S_("Field (source)")),
                                         self._tr(S_("Value, correction and checks"))])
        header = table.horizontalHeader()
        header.setSectionResizeMode(_FIELD, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Rows follow their wrapped text, also when the clerk widens a column.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.itemSelectionChanged.connect(self._on_selected)
        # Before any application the field column is as wide as its heading (Qt's default
        # width cut "項目（入力元）").
        table.resizeColumnToContents(_FIELD)
        return table

    def _controls(self) -> QGridLayout:
        grid = QGridLayout()
        grid.addWidget(self.new_value, 0, 0, 1, 3)
        grid.addWidget(self.reason, 1, 0, 1, 3)
        for index, (key, text, handler) in enumerate((
                ("edit", S_("Correct"), self._on_edit),
                ("approve", S_("Approve"), self._on_approve),
                ("print", S_("Print"), self._on_print),
                ("finish", S_("Application done"), self._on_finish),
                ("return", S_("Return to the citizen"), self._on_return),
                ("file", S_("File as signed PDF (no paper)"), self._on_file))):
            button = QPushButton(self._tr(text))
            button.setObjectName(f"review-{key}")
            button.clicked.connect(lambda _=False, b=button, h=handler: self._guard.run(b, h))
            self.buttons[key] = button
            grid.addWidget(button, 2 + index // 3, index % 3)
        grid.addWidget(self.return_reason, 5, 0, 1, 3)
        grid.addWidget(self.return_text, 6, 0, 1, 3)
        return grid

    def show_application(self, review: ReviewSession) -> None:
        """Show ``review``."""
        self.review = review
        self.message.clear()
        self._fill()

    def close_application(self) -> None:
        """Forget the open application and clear every value from the screen."""
        self.review = None
        self.fields = []
        self.table.setRowCount(0)
        self.table.resizeColumnToContents(_FIELD)     # back to the heading's width
        self.new_value.clear()
        self.reason.clear()
        self.title.setText(self._tr(S_("No application open.")))
        self.picture.clear()
        self.picture.hide()
        self.status.clear()
        self.signature.show_signature(None, needed=False)
        self._update_buttons()
        self.changed.emit()

    def _fill(self) -> None:
        review = self.review
        if review is None:
            return
        self.title.setText(f"{review.title}  ({review.department})  #{review.application.id}")
        self._show_picture(review)
        self.status.setText(self._tr(S_("Status: {status}"),
                                     status=self._tr(STATUS_NAMES[review.status])))
        self.fields = review.fields()
        self.signature.show_signature(review.session.signature_png,
                                      needed=review.session.definition.print.signature)
        self.table.setRowCount(len(self.fields))
        for row, item in enumerate(self.fields):
            source = self._tr(_PROVENANCE[item.provenance]) if item.provenance else ""
            if item.card_unverified:
                source = "⚠ " + self._tr(S_("card, not verified against the issuer"))
            label = f"{item.label}\n({source})" if source else item.label
            details = self._details(item)
            value = "\n".join([item.value, *details])
            for column, text in ((_FIELD, label), (_VALUE, value)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if column == _VALUE and details:
                    cell.setForeground(_ORANGE)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnToContents(_FIELD)
        # The field names stay readable, and the values keep most of the room.
        self.table.setColumnWidth(_FIELD, min(self.table.columnWidth(_FIELD),
                                              max(120, self.table.viewport().width() // 3)))
        self._update_buttons()
        self.changed.emit()

    def _show_picture(self, review: ReviewSession) -> None:
        side = self.title.fontMetrics().height() * 2
        pixmap = (picture_pixmap(review.picture, self.palette().windowText().color().name(), side,
                                 self.devicePixelRatioF())
                  if review.picture is not None else QPixmap())
        self.picture.setPixmap(pixmap)
        self.picture.setVisible(not pixmap.isNull())

    def _details(self, item: ReviewField) -> list[str]:
        """The lines under a value: what a correction replaced and why, and the checks."""
        lines = []
        if item.original:
            template = (_ORIGINAL[item.original_provenance] if item.original_provenance
                        else S_("Before the correction: {value}"))
            lines.append(self._tr(template, value=item.original))
        if item.reason:
            lines.append(self._tr(S_("Reason: {reason}"), reason=item.reason))
        if item.register_value:
            # Beside the card's (or a clerk's) value: the register differs; the clerk decides.
            lines.append(self._tr(S_("The resident register differs: {value}"),
                                  value=item.register_value))
        if item.rare_characters:
            lines.append(self._tr(S_("外字? check: {chars}"),
                                  chars=" ".join(item.rare_characters)))
        if item.handwrite:
            lines.append(self._tr(S_("hand-write: {chars}"), chars=" ".join(item.handwrite)))
        return lines

    def _on_selected(self) -> None:
        # The selected field's value, ready to be corrected.
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.fields):
            self.new_value.setText(self.fields[rows[0].row()].value)

    def _show_return_text(self, _index: int = 0) -> None:
        key = str(self.return_reason.currentData())
        self.return_text.setText(self._tr(S_("The citizen reads: {text}"),
                                          text=self._citizen_text(RETURN_REASONS[key]))
                                 if key in RETURN_REASONS else "")

    def _update_buttons(self) -> None:
        status = self.review.status if self.review is not None else None
        allowed = {"edit": status is S.IN_REVIEW, "approve": status is S.IN_REVIEW,
                   "return": status is S.IN_REVIEW,
                   "print": status in (S.APPROVED, S.PRINTED) and not self._electronic_only(),
                   "finish": status in (S.PRINTED, S.FILED),
                   "file": self.review is not None and self.review.can_file()}
        for key, button in self.buttons.items():
            button.setEnabled(allowed[key] and not self._guard.blocked(button))
        self.buttons["print"].setText(self._tr(S_("Reprint") if status is S.PRINTED
                                               else S_("Print")))

    def _electronic_only(self) -> bool:
        review = self.review
        return review is not None and review.delivery == "electronic" and review.can_file()

    def _act(self, action: Callable[[], object], done: str = "") -> bool:
        try:
            action()
        except DeviceError as exc:
            # Nothing was marked printed: the clerk may fix the printer and press Print again.
            self.print_failures += 1
            # The printer's own words (CUPS: "printer X disabled since ... - paper jam") are
            # for IT, in the device log; the clerk reads what to do, in Japanese.
            _log.warning("printing failed: %s", exc.english())
            self.message.setText(self._tr(S_(
                "Printing failed: the printer stopped or refused the form. Check its paper "
                "and that it is on, then press Print again; if it fails again, ask IT.")))
            return False
        except UserFacingError as exc:
            self.message.setText(staff_message(self._tr, exc, self.outage))
            return False
        self.outage.back()
        self.message.setText(self._tr(done) if done else "")
        self._fill()
        return True

    def _on_edit(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        if self.review is None or not rows:
            self.message.setText(self._tr(S_("Select the field to correct.")))
            return False
        field_id = self.fields[rows[0].row()].field_id
        review = self.review
        if self._act(lambda: review.edit(field_id, self.new_value.text(), self.reason.text())):
            self.new_value.clear()
            self.reason.clear()
            return True
        return False

    def _on_approve(self) -> bool:
        return self.review is not None and self._act(self.review.approve)

    def _on_print(self) -> bool:
        review = self.review
        if review is None:
            return False
        # The button said "Reprint" when the clerk pressed it: that is the intention.
        reprint = review.status is S.PRINTED
        return self._act(lambda: review.print_form(reprint=reprint), S_("Sent to the printer."))

    def _on_file(self) -> bool:
        review = self.review
        return review is not None and self._act(review.file_signed,
                                                 S_("Filed as a signed PDF; nothing printed."))

    def _on_finish(self) -> bool:
        if self.review is not None and self._act(self.review.finish):
            self.close_application()
            return True
        return False

    def _on_return(self) -> bool:
        review = self.review
        if review is None:
            return False
        reason = str(self.return_reason.currentData())
        if not self._act(lambda: review.send_back(reason)):
            return False
        self.close_application()
        # What the citizen is told, in the desk's Japanese: their tablet at this counter shows
        # it in the language they applied in.
        self.message.setText(self._tr(S_("Returned. For the citizen: {notice}"),
                                      notice=review.citizen_notice(reason, "ja")))
        return True
