"""Accounts locked by failed logins, and the supervisor's button that unlocks one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.staff import StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.services.outage import OUTAGE_MESSAGE, is_outage
from kiosk.services.staff import StaffService
from kiosk.ui.common.message_label import MessageLabel

__all__ = ["LockedAccountsPanel"]


class LockedAccountsPanel(QWidget):
    """Lists the locked accounts of ``staff``; ``member`` (a supervisor) unlocks them."""

    def __init__(self, tr: Translator, staff: StaffService, member: StaffMember,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._staff = staff
        self._member = member
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr(S_("Staff ID")), tr(S_("Name")),
                                              tr(S_("Locked at"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.empty = QLabel(tr(S_("No account is locked.")))
        self.message = MessageLabel()
        self.unlock_button = QPushButton(tr(S_("Unlock the selected account")))
        self.unlock_button.clicked.connect(self._on_unlock)
        refresh = QPushButton(tr(S_("Refresh")))
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(S_(
            "Accounts locked after too many failed logins. Unlock one only after you have "
            "checked that its owner asks for it.")), wordWrap=True))
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unlock_button)
        layout.addWidget(refresh)
        layout.addWidget(self.message)
        self.locked: list[StaffMember] = []
        self.refresh()

    def refresh(self) -> None:
        """Reload the locked accounts from the database (other PCs lock them too)."""
        try:
            members = self._staff.list()
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            self.message.setText(self._tr(OUTAGE_MESSAGE))
            return
        self.locked = [member for member in members if member.locked]
        self.table.setRowCount(len(self.locked))
        for row, member in enumerate(self.locked):
            assert member.locked_at is not None
            when = member.locked_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for column, text in enumerate((member.login, member.display_name, when)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.empty.setVisible(not self.locked)
        self.table.setVisible(bool(self.locked))
        self.unlock_button.setEnabled(bool(self.locked))

    def _on_unlock(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self._tr(S_("Select an account first.")))
            return
        try:
            member = self._staff.unlock(self.locked[rows[0].row()].login, by=self._member)
        except UserFacingError as exc:
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return
        self.message.setText(self._tr(S_("{login} is unlocked."), login=member.login))
        self.refresh()
