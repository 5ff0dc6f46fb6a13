"""The auditor's usage-log view: filters narrow the table; verify names a tampered record; every
kind of record is named in Japanese."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk.audit import CardRead, TicketIssued, UsageLog
from kiosk.i18n import staff_translator

from .citizen.text_checks import JAPANESE, foreign_words

pytestmark = pytest.mark.gui

JST = timezone(timedelta(hours=9))


class _Clock:
    def __init__(self) -> None:
        self.value = datetime(2026, 4, 6, 9, 0, tzinfo=JST)

    def now(self) -> datetime:
        self.value += timedelta(seconds=30)
        return self.value


@pytest.fixture
def log_dir(tmp_path):
    for device in ("tablet-01", "tablet-02"):
        log = UsageLog(tmp_path, device, _Clock(), fsync=False)
        for number in range(3):
            log.record(TicketIssued(number, "A", 0, slip=True))
        log.record(CardRead("s1", ok=False, reason="no_card"))
        log.close()
    return tmp_path


@pytest.fixture
def view(qtbot, log_dir):
    from kiosk.ui.clerk.audit_view import AuditView

    widget = AuditView(staff_translator("ja"), log_dir, today=date(2026, 4, 30))
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(("device", "kind", "rows"), [
    ("", "", 10),                          # 2 devices x (anchor + 4 events)
    ("tablet-01", "", 5),
    ("", "card.read", 2),
    ("tablet-02", "ticket.issued", 3),
])
def test_audit_view__filters__narrow_the_rows(view, qtbot, device, kind, rows):
    from PySide6.QtCore import Qt

    view.device.setCurrentIndex(view.device.findData(device))
    view.kind.setCurrentIndex(view.kind.findData(kind))
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)

    assert view.table.rowCount() == rows


def test_audit_view__range_without_logs__empty_table(view, qtbot):
    from PySide6.QtCore import QDate, Qt

    view.first.setDate(QDate(2026, 5, 1))
    view.last.setDate(QDate(2026, 5, 31))
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)

    assert view.table.rowCount() == 0


@pytest.mark.parametrize(("tamper", "expected"), [(False, "10"), (True, "2026-04-06.jsonl:3")])
def test_audit_view__verify__reports_state(view, qtbot, log_dir, tamper, expected):
    from PySide6.QtCore import Qt

    if tamper:
        path = log_dir / "tablet-02" / "2026-04-06.jsonl"
        lines = path.read_bytes().splitlines(keepends=True)
        lines[2] = lines[2].replace(b'"priority":0', b'"priority":5')
        path.write_bytes(b"".join(lines))
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)

    text = view.status.text()
    assert expected in text                 # intact: the record count; tampered: file and line
    assert ("jsonl" in text) is tamper


def test_kind_names__every_kind_a_usage_log_holds__named_in_japanese():
    from kiosk.audit.events import EVENT_TYPES
    from kiosk.ui.clerk.audit_view import KIND_NAMES, kind_name

    tr = staff_translator("ja")
    names = {kind: kind_name(tr, kind) for kind in EVENT_TYPES}

    assert set(KIND_NAMES) == set(EVENT_TYPES)          # none missing, none left over
    assert [kind for kind, name in names.items()
            if not JAPANESE.search(name) or foreign_words(_plain(name))] == []
    assert len(set(names.values())) == len(names)        # no two kinds read alike
    # Short: the kind column sized to its longest name leaves the details the room to show
    # a digest whole at the desk's 1200 px (the pilot day found one clipped beside a
    # 14-character name).
    assert [name for name in names.values() if len(name) > 8] == []


def test_audit_view__every_cell__japanese_but_what_the_file_holds_verbatim(view, qtbot):
    from kiosk.ui.common.text_report import visible_texts

    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    texts = [text for text in visible_texts(view) if text["name"].startswith("audit-table/")]
    kinds = [view.table.item(row, 2) for row in range(view.table.rowCount())]

    assert {item.text() for item in kinds} == {"前ログとの連結", "整理券の発行", "カード読み取り"}
    assert {item.toolTip() for item in kinds} == {"log.anchor", "ticket.issued", "card.read"}
    assert [text["text"] for text in texts if foreign_words(text)] == []
    # Device, details and file:line are marked as text without a language; nothing else is.
    assert {text["name"].rsplit(",", 1)[1] for text in texts if text["lang"]} == {"1", "3", "4"}
    assert all(JAPANESE.search(view.kind.itemText(index)) for index in range(view.kind.count()))


def _plain(text: str) -> dict[str, object]:
    return {"text": text, "personal": False, "lang": ""}
