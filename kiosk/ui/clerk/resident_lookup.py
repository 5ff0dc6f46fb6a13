"""住民照会: the clerk's resident lookup tab (only for staff with the lookup right).

One search box takes a name, a reading, a birth date (19930101, 4050101, 平成5年1月1日) or a
宛名番号; the matches show with their household, and with one press the open application's
household table or 本籍 is filled from the register (marked "resident register" in the
review). Every value is shown whole (rows grow to their wrapped text, nothing elided). The
idle lock clears the tab; the tablet never has it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from kiosk.domain.resident import Household, Resident
from kiosk.domain.staff import StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.procedures.eras import format_date
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.review import ReviewSession

__all__ = ["ResidentLookupTab"]

_SEX = {"1": S_("male"), "2": S_("female")}


def _born(resident: Resident) -> str:
    return f"{format_date(resident.birth_date)}（{resident.birth_date.isoformat()}）"


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setProperty("personal", True)     # register data: never in a report (text_report)
    return table


def _fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            table.setItem(row, column, cell)


class ResidentLookupTab(QWidget):
    """Search, household and the fill buttons for ``member`` on ``lookup``.

    ``open_review`` gives the application open at the desk (``None``: none); ``refreshed``
    is called after a fill so the review shows the register's values.
    """

    def __init__(self, tr: Translator, lookup: ResidentLookup, member: StaffMember,
                 open_review: Callable[[], ReviewSession | None],
                 refreshed: Callable[[ReviewSession], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._lookup = lookup
        self._member = member
        self._open_review = open_review
        self._refreshed = refreshed
        self.residents: list[Resident] = []
        self.household: Household | None = None
        self.heading = QLabel(tr(S_("Resident lookup")))
        self.heading.setObjectName("clerk-heading")
        self.query = QLineEdit(placeholderText=tr(S_(
            "Name, reading, birth date (19930101 / 4050101 / 平成5年1月1日) or #宛名番号")))
        self.query.setObjectName("lookup-query")
        self.query.returnPressed.connect(self._on_search)
        self.search_button = QPushButton(tr(S_("Search")))
        self.search_button.setObjectName("lookup-search")
        self.search_button.clicked.connect(self._on_search)
        self.results = _table([tr(S_("宛名番号")), tr(S_("Name")), tr(S_("Reading")),
                               tr(S_("Birth date")), tr(S_("Sex")), tr(S_("Relation"))],
                              "lookup-results")
        self.results.itemSelectionChanged.connect(self._on_selected)
        self.household_heading = QLabel("", wordWrap=True)
        self.household_heading.setObjectName("lookup-household-heading")
        self.household_heading.setProperty("personal", True)    # the household's address
        self.members = _table([tr(S_("Relation")), tr(S_("Name")), tr(S_("Reading")),
                               tr(S_("Birth date")), tr(S_("Sex")), tr(S_("宛名番号"))],
                              "lookup-household")
        self.fill_household = QPushButton(tr(S_("Fill the household into the application")))
        self.fill_household.setObjectName("lookup-fill-household")
        self.fill_household.clicked.connect(lambda: self._on_fill(("household",)))
        self.fill_honseki = QPushButton(tr(S_("Fill the 本籍 into the application")))
        self.fill_honseki.setObjectName("lookup-fill-honseki")
        self.fill_honseki.clicked.connect(lambda: self._on_fill(("honseki",)))
        self.message = QLabel("", wordWrap=True)
        self.message.setObjectName("lookup-message")
        self._layout()
        self._update_buttons()

    def _layout(self) -> None:
        search = QHBoxLayout()
        search.addWidget(self.query, 1)
        search.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fill_household)
        buttons.addWidget(self.fill_honseki)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(self._tr(S_(
            "Read-only copy of the resident register. Every search and view is recorded "
            "(your staff ID and the 宛名番号, never the values).")), wordWrap=True))
        layout.addLayout(search)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.household_heading)
        layout.addWidget(self.members, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def clear(self) -> None:
        """Take every value off the screen (the idle lock, a logout)."""
        self.query.clear()
        self.residents = []
        self.household = None
        self.results.setRowCount(0)
        self.members.setRowCount(0)
        self.household_heading.clear()
        self.message.clear()
        self._update_buttons()

    def search(self, text: str) -> None:
        """Search for ``text`` (what the clerk typed) and show the matches."""
        self.query.setText(text)
        self._on_search()

    def _on_search(self) -> None:
        self.clear_household()
        try:
            result = self._lookup.find(self._member, self.query.text())
        except UserFacingError as exc:
            self.residents = []
            self.results.setRowCount(0)
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return
        self.residents = list(result.residents)
        _fill_rows(self.results, [(one.id, one.name, one.kana, _born(one),
                                   self._tr(_SEX.get(one.sex, "")), one.relation)
                                  for one in self.residents])
        if not self.residents:
            self.message.setText(self._tr(S_("No resident found.")))
        elif result.more:
            self.message.setText(self._tr(S_("The first {n} matches are shown: type more to "
                                             "narrow the search."), n=len(self.residents)))
        else:
            self.message.setText(self._tr(S_("{n} found."), n=len(self.residents)))
        if len(self.residents) == 1:
            self.results.selectRow(0)

    def clear_household(self) -> None:
        """Forget the household shown."""
        self.household = None
        self.members.setRowCount(0)
        self.household_heading.clear()
        self._update_buttons()

    def _on_selected(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.residents):
            return
        try:
            self.household = self._lookup.household(self._member,
                                                    self.residents[rows[0].row()].id)
        except UserFacingError as exc:
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return
        self._show_household()

    def _show_household(self) -> None:
        household = self.household
        if household is None:
            self.clear_household()
            return
        first = household.members[0]
        lines = [self._tr(S_("Household {id}: {address}"), id=household.id,
                          address=first.address)]
        if first.honseki:
            lines.append(self._tr(S_("本籍: {honseki}  筆頭者: {hittosha}"),
                                  honseki=first.honseki, hittosha=first.hittosha))
        self.household_heading.setText("\n".join(lines))
        _fill_rows(self.members, [(one.relation, one.name, one.kana, _born(one),
                                   self._tr(_SEX.get(one.sex, "")), one.id)
                                  for one in household.members])
        self._update_buttons()

    def _selected(self) -> Resident | None:
        rows = self.results.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.residents):
            return None
        return self.residents[rows[0].row()]

    def _update_buttons(self) -> None:
        ready = self.household is not None
        self.fill_household.setEnabled(ready)
        right = self._lookup.right(self._member) if ready else None
        self.fill_honseki.setEnabled(ready and right is not None and right.honseki)

    def _on_fill(self, parts: tuple[str, ...]) -> None:
        resident, review = self._selected(), self._open_review()
        if resident is None:
            self.message.setText(self._tr(S_("Select a resident first.")))
            return
        if review is None:
            self.message.setText(self._tr(S_("Open the application first (call its ticket).")))
            return
        try:
            filled, left_out = self._lookup.fill(self._member, review, resident.id, parts)
        except UserFacingError as exc:
            self.message.setText(self._tr(exc.message_id, **exc.params))
            return
        self._refreshed(review)
        text = self._tr(S_("{n} fields filled from the register."), n=len(filled))
        if left_out:
            text += " " + self._tr(S_("{n} did not fit their field: check them."),
                                   n=len(left_out))
        self.message.setText(text)
