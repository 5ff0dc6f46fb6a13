"""Reservation places (予約枠) per service, set by a supervisor at the clerk desk.

The same setting as ``kiosk reservations capacity``: how many reservations each slot of a
service takes (0: none). The slots themselves (days, hours, length) are ``[web] reserve_*``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import S_, Translator
from kiosk.services.reservations import ReservationDesk

__all__ = ["ReservationPanel"]


class ReservationPanel(QWidget):
    """A row per service with its places per slot; Save stores the changed ones."""

    def __init__(self, tr: Translator, desk: ReservationDesk,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.desk = desk
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([tr(S_("Service")), tr(S_("Places per slot"))])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.save = QPushButton(tr(S_("Save")))
        self.save.setObjectName("reservations-save")
        self.save.clicked.connect(self._on_save)
        self.message = QLabel("", wordWrap=True)
        self.spins: dict[str, QSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(S_("Reservations per slot (0: this service takes none)")),
                                wordWrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.save)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        """Reload the services and their places."""
        rows = self.desk.settings()
        self.table.setRowCount(len(rows))
        self.spins = {}
        for row, (code, name, places) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(f"{code} {name}"))
            spin = QSpinBox()
            spin.setRange(0, 1000)
            spin.setValue(places)
            spin.setObjectName(f"reservations-{code}")
            self.table.setCellWidget(row, 1, spin)
            self.spins[code] = spin

    def _on_save(self) -> None:
        before = {code: places for code, _name, places in self.desk.settings()}
        for code, spin in self.spins.items():
            if before.get(code) != spin.value():
                self.desk.set_capacity(code, spin.value())
        self.message.setText(self._tr(S_("Saved.")))
