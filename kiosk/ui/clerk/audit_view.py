"""The auditor's view of the usage logs: records filtered by days, device and kind, and verify.

Read-only: the view never writes a log. It reads through :mod:`kiosk.audit` (the records hold
no personal data, so showing them to the auditor role shows nothing personal either).
Each record's kind is named in the auditor's language (:data:`KIND_NAMES`), its code
(``staff.login``, as ``kiosk audit`` prints it) in the cell's tooltip; so are its details, each
field with its label and a readable value (:mod:`kiosk.ui.clerk.usage_details`), wrapped
between fields (:mod:`kiosk.ui.common.flowing_cells`), the codes (``ticket=53 service=A``) in
the tooltip. The device and the file and line are shown as the file holds them, for matching
with the file.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.audit import LogRecord, iter_records, verify_directory
from kiosk.audit.code_names import CodeNames
from kiosk.audit.events import EVENT_TYPES
from kiosk.audit.usage_log import device_dirs
from kiosk.i18n import S_, Translator
from kiosk.ui.clerk.usage_details import UsageDetails, code_text
from kiosk.ui.common.cell_report import LANG_ROLE
from kiosk.ui.common.flowing_cells import PARTS_ROLE, SEPARATOR, FlowingDelegate

__all__ = ["KIND_NAMES", "MAX_ROWS", "AuditView"]

MAX_ROWS = 5000     # a table of a whole year would freeze the PC; narrow the filter instead


# The name of every kind of record a usage log holds (kiosk.audit.events), as the auditor
# reads it; a test walks every kind.
KIND_NAMES: dict[str, str] = {
    "session.started": S_("Visit started"),
    "session.ended": S_("Visit ended"),
    "session.language": S_("Language chosen"),
    "session.procedures": S_("Procedures chosen"),
    "card.read": S_("Card read"),
    "card.pin": S_("Card PIN checked"),
    "form.submitted": S_("Application sent"),
    "captions.used": S_("Captions used"),
    "translation.used": S_("Translation used"),
    "conversation.used": S_("Conversation support used"),
    "print.done": S_("Printed"),
    "document.filed": S_("Document filed"),
    "ticket.issued": S_("Ticket issued"),
    "ticket.called": S_("Ticket called"),
    "ticket.finished": S_("Ticket finished"),
    "ticket.transferred": S_("Ticket transferred"),
    "reservation.changed": S_("Reservation changed"),
    "remote.used": S_("Remote counter used"),
    "clerk.viewed": S_("Application opened by staff"),
    "clerk.edited": S_("Application corrected by staff"),
    "clerk.action": S_("Application handled by staff"),
    "payment.done": S_("Fee paid"),
    "export.handed_on": S_("Data handed on to another system"),
    "register.searched": S_("Resident register searched"),
    "register.viewed": S_("Resident record viewed"),
    "staff.login": S_("Staff signed in"),
    "staff.login_failed": S_("Staff sign-in failed"),
    "staff.locked": S_("Staff account locked"),
    "staff.unlocked": S_("Staff account unlocked"),
    "staff.changed": S_("Staff account changed"),
    "device.started": S_("Device started"),
    "device.config": S_("Device configuration"),
    "device.error": S_("Device error"),
    "log.anchor": S_("Link to the previous log file"),
    "log.recovered": S_("Log repaired after a broken write"),
    "log.purged": S_("Old logs deleted"),
    "log.seal": S_("Log sealed"),
}
# Text as the log file holds it (device ids, file names): no language.
_AS_IN_FILE = "zxx"
_DETAILS = 3


def kind_name(tr: Translator, kind: str) -> str:
    """``kind`` named in ``tr``'s language; a kind this version does not know (a newer
    device's record), as its code."""
    name = KIND_NAMES.get(kind)
    return tr(name) if name is not None else kind


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditView(QWidget):
    """Usage-log records of ``directory`` with filters; ``today`` sets the default range;
    ``names`` names the codes of the city's data in the details."""

    def __init__(self, tr: Translator, directory: Path, *, today: date,
                 names: CodeNames | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._directory = directory
        self._details = UsageDetails(tr, names)
        self.heading = QLabel(tr(S_("Usage log")))
        self.heading.setObjectName("clerk-heading")
        self.first = QDateEdit(_qdate(today.replace(day=1)))
        self.last = QDateEdit(_qdate(today))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")     # as the records' days (the default: "1 12 2026")
        self.device = QComboBox()
        self.device.addItem(tr(S_("All devices")), "")
        for folder in device_dirs(directory):
            self.device.addItem(folder.name, folder.name)
        self.device.setObjectName("audit-device")
        self.kind = QComboBox()
        self.kind.setObjectName("audit-kind")
        self.kind.addItem(tr(S_("All kinds")), "")
        # By subject, as KIND_NAMES lists them (visits, tickets, staff, devices, the logs).
        for kind in [*KIND_NAMES, *(kind for kind in EVENT_TYPES if kind not in KIND_NAMES)]:
            self.kind.addItem(kind_name(tr, kind), kind)
        self.show_button = QPushButton(tr(S_("Show")))
        self.show_button.setObjectName("audit-show")
        self.verify_button = QPushButton(tr(S_("Verify the logs")))
        self.verify_button.setObjectName("audit-verify")
        self.status = QLabel("")
        self.status.setObjectName("audit-status")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("audit-table")
        self.table.setHorizontalHeaderLabels([tr(S_("Time")), tr(S_("Device")), tr(S_("Kind")),
                                              tr(S_("Details")), tr(S_("File:line"))])
        # Time, device, kind and file:line as wide as their longest text, the details in the
        # rest, wrapped: the auditor reads every record whole (the default 100 px cut the
        # time stamps and the details).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_DETAILS, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setItemDelegateForColumn(_DETAILS, FlowingDelegate(self.table))
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        filters = QHBoxLayout()
        for widget in (QLabel(tr(S_("From"))), self.first, QLabel(tr(S_("To"))), self.last,
                       self.device, self.kind, self.show_button, self.verify_button):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.show_button.clicked.connect(self._on_show)
        self.verify_button.clicked.connect(self._on_verify)
        self._on_show()

    def _on_show(self) -> None:
        device, kind = self.device.currentData(), self.kind.currentData()
        records = iter_records(self._directory, _day(self.first.date()), _day(self.last.date()),
                               devices=frozenset({device}) if device else frozenset(),
                               kinds=frozenset({kind}) if kind else frozenset())
        rows: list[LogRecord] = []
        for record in records:
            if len(rows) == MAX_ROWS:
                break
            rows.append(record)
        self.table.setRowCount(len(rows))
        for row, record in enumerate(rows):
            # Date over time: the whole stamp in half the width, so that the details (a
            # digest is one long word) have the room to be read whole.
            fields = self._details.fields(record.kind, record.data)
            cells = (_local_time(record.ts), record.device,
                     kind_name(self._tr, record.kind), SEPARATOR.join(fields),
                     f"{record.file.name}:{record.line}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(record.ts)          # as the file holds it
                if column == 2:
                    item.setToolTip(record.kind)        # the code `kiosk audit` prints
                elif column == _DETAILS:
                    item.setData(PARTS_ROLE, fields)    # wrapped between fields
                    item.setToolTip(code_text(record.data))     # as the file holds them
                elif column:
                    item.setData(LANG_ROLE, _AS_IN_FILE)
                self.table.setItem(row, column, item)
        self.status.setText(self._tr(S_("{count} records shown (at most {limit})."),
                                     count=len(rows), limit=MAX_ROWS))

    def _on_verify(self) -> None:
        result = verify_directory(self._directory)
        if result.ok:
            self.status.setText(self._tr(S_(
                "The logs are intact: {devices} devices, {records} records."),
                devices=result.devices, records=result.records))
            return
        first = next(finding for finding in result.findings if not finding.warning)
        self.status.setText(self._tr(S_("The logs were changed: {finding}"),
                                     finding=first.text(self._tr)))


def _local_time(stamp: str) -> str:
    """A record's time on the machine's clock (JST at the city hall), date over time to the
    second: the auditor read "03:47:36.047+00:00" for a quarter to one in the afternoon."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp.replace("T", "\n", 1)     # not a time: shown as the file holds it
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d\n%H:%M:%S")
