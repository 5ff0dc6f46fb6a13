"""The clerk desktop's device status panel: the doctor's checks in a table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.doctor import Check, Status
from kiosk.i18n import S_, Translator

__all__ = ["StatusPanel"]

_STATUS_TEXT = {Status.OK: S_("OK"), Status.WARN: S_("Warning"), Status.FAIL: S_("Failed")}


class StatusPanel(QWidget):
    """Shows each self-test of this device, so the clerk sees at once what works."""

    def __init__(self, tr: Translator, checks: Sequence[Check], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(tr(S_("Clerk desktop — device status")))
        self.heading.setObjectName("clerk-heading")
        self.table = QTableWidget(len(checks), 3)
        self.table.setObjectName("status-table")
        self.table.setHorizontalHeaderLabels([tr(S_("Check")), tr(S_("Result")), tr(S_("Detail"))])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        for row, check in enumerate(checks):
            self.table.setItem(row, 0, QTableWidgetItem(check.name))
            self.table.setItem(row, 1, QTableWidgetItem(tr(_STATUS_TEXT[check.status])))
            self.table.setItem(row, 2, QTableWidgetItem(check.detail))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
