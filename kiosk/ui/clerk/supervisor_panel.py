"""Today's figures per service and per clerk, for supervisors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.services.counter_desk import DayFigure
from kiosk.services.outage import is_outage

__all__ = ["SupervisorPanel"]


class SupervisorPanel(QWidget):
    """Two tables filled from ``load()`` -> (per service, per clerk)."""

    def __init__(self, tr: Translator,
                 load: Callable[[], tuple[list[DayFigure], list[DayFigure]]],
                 staff_names: Callable[[], dict[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._load = load
        self._staff_names = staff_names
        headers = [tr(S_("Waiting")), tr(S_("Served")), tr(S_("Mean wait (min)")),
                   tr(S_("Mean service (min)"))]
        self.services = self._table([tr(S_("Service")), *headers])
        self.clerks = self._table([tr(S_("Clerk")), *headers])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr(S_("Today per service"))))
        layout.addWidget(self.services)
        layout.addWidget(QLabel(tr(S_("Today per clerk"))))
        layout.addWidget(self.clerks)
        self.refresh()

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        return table

    def refresh(self) -> None:
        """Reload the figures (the last ones stay while the database is away: the counter
        tab says so)."""
        try:
            per_service, per_clerk = self._load()
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            return
        names = self._staff_names()
        self._fill(self.services, per_service, {})
        self._fill(self.clerks, per_clerk, names)

    @staticmethod
    def _fill(table: QTableWidget, figures: Sequence[DayFigure], names: dict[str, str]) -> None:
        table.setRowCount(len(figures))
        for row, figure in enumerate(figures):
            cells = (names.get(figure.key, figure.key), str(figure.waiting), str(figure.served),
                     f"{figure.mean_wait_seconds / 60:.1f}",
                     f"{figure.mean_service_seconds / 60:.1f}")
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
