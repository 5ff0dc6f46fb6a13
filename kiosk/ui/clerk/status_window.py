"""The clerk desktop's device status panel: the doctor's checks in a table, by area, in the
desk's language (:mod:`kiosk.doctor_summary`; the English details stay with `kiosk doctor`)."""

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
from kiosk.doctor_summary import summarize
from kiosk.i18n import S_, Translator

__all__ = ["StatusPanel"]

_ROWS_IN_VIEW = 6
_STATUS_TEXT = {Status.OK: S_("OK"), Status.WARN: S_("Warning"), Status.FAIL: S_("Failed")}


class StatusPanel(QWidget):
    """Shows each self-test of this device, so the clerk sees at once what works."""

    def __init__(self, tr: Translator, checks: Sequence[Check], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(tr(S_("Clerk desktop — device status")))
        self.heading.setObjectName("clerk-heading")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("status-table")
        self.table.setHorizontalHeaderLabels([tr(S_("Check")), tr(S_("Result")), tr(S_("Detail"))])
        header = self.table.horizontalHeader()
        # The area's name and result whole ("kiosk.v…" told the clerk nothing); the detail
        # takes the rest of the width.
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        # A problem's sentences wrap in their row, whole, rather than end in "…".
        self.table.setWordWrap(True)
        rows_header = self.table.verticalHeader()
        rows_header.setMinimumSectionSize(rows_header.defaultSectionSize())
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # What needs IT first: a failure, then a warning, then what works (in the doctor's
        # order within each).
        order = [Status.FAIL, Status.WARN, Status.OK]
        areas = sorted(summarize(checks, tr), key=lambda area: order.index(area.status))
        self.table.setRowCount(len(areas))
        for row, area in enumerate(areas):
            self.table.setItem(row, 0, QTableWidgetItem(area.name))
            self.table.setItem(row, 1, QTableWidgetItem(tr(_STATUS_TEXT[area.status])))
            detail = QTableWidgetItem(area.detail)
            detail.setToolTip(area.detail)      # a long one is cut in the cell: whole here
            self.table.setItem(row, 2, detail)
        # At least a few checks in view: squeezed under the login form by the About panel,
        # the table showed one and a half rows (the demo's clerk window).
        rows = min(len(areas), _ROWS_IN_VIEW)
        self.table.setMinimumHeight(header.sizeHint().height() + 2 * self.table.frameWidth()
                                    + rows * self.table.verticalHeader().defaultSectionSize())
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
