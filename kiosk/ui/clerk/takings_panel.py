"""The day's takings per method and the cashless share, for supervisors."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from kiosk.domain.payment import DayTakings, PaymentMethod
from kiosk.i18n import S_, Translator

__all__ = ["TakingsPanel"]

_NAMES = {PaymentMethod.CASH: S_("Cash"), PaymentMethod.CASHLESS: S_("Cashless")}


class TakingsPanel(QWidget):
    """A table per method (payments, yen, share) and the day's total, refunds and share."""

    def __init__(self, tr: Translator, load: Callable[[], DayTakings],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takings-panel")
        self._tr, self._load = tr, load
        self.heading = QLabel("")
        self.heading.setObjectName("clerk-heading")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("takings-table")
        self.table.setHorizontalHeaderLabels([tr(S_("Method")), tr(S_("Payments")),
                                              tr(S_("Yen")), tr(S_("Share"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.summary = QLabel("", wordWrap=True)
        self.summary.setObjectName("takings-summary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        """Reload today's takings."""
        takings = self._load()
        total = takings.total
        self.heading.setText(self._tr(S_("Takings on {day}"), day=takings.day.isoformat()))
        self.table.setRowCount(len(_NAMES) + 1)
        rows = [(self._tr(name), takings.counts.get(method, 0), takings.amounts.get(method, 0))
                for method, name in _NAMES.items()]
        rows.append((self._tr(S_("Total")), sum(takings.counts.values()), total))
        for row, (name, count, amount) in enumerate(rows):
            share = f"{amount / total:.1%}" if total else "-"
            for column, text in enumerate((name, str(count), f"{amount:,}", share)):
                cell = QTableWidgetItem(text)
                if column:           # counts, yen and shares line up on the right
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        cashless = takings.cashless_share
        self.summary.setText(self._tr(
            S_("Refunds {refunds} yen; net {net} yen. Cashless share {share}."),
            refunds=f"{takings.refunds:,}", net=f"{total - takings.refunds:,}",
            share="-" if cashless is None else f"{cashless:.1%}"))
