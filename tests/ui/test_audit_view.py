"""The auditor's usage-log view: filters narrow the table; verify names a tampered record; every
kind of record is named in Japanese, and every field of it too, with a readable value."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk.audit import CardRead, TicketIssued, UsageLog, new_session_id
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
        log.record(CardRead(new_session_id(), ok=False, reason="no_card_error"))
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
    # Device and file:line are marked as text without a language; nothing else is (the
    # details are Japanese, their codes in the tooltip).
    assert {text["name"].rsplit(",", 1)[1] for text in texts if text["lang"]} == {"1", "4"}
    assert all(JAPANESE.search(view.kind.itemText(index)) for index in range(view.kind.count()))
    details = {view.table.item(row, 2).toolTip(): (view.table.item(row, 3).text(),
                                                   view.table.item(row, 3).toolTip())
               for row in range(view.table.rowCount())}
    assert details["ticket.issued"][0] == \
        "整理券ID：2\u3000業務：A\u3000優先：0\u3000整理券の印刷：はい"
    assert details["ticket.issued"][1] == "ticket=2 service=A priority=0 slip=True"
    assert "理由：カードが置かれていない" in details["card.read"][0]


def _plain(text: str) -> dict[str, object]:
    return {"text": text, "personal": False, "lang": ""}

# ------------------------------------------------------------------ every field of every kind
# A value of each field that holds free codes, as the services write them; the city's codes
# are named by _NAMES, as the clerk desktop names them from the forms and forms/export.
_SAMPLES: dict[str, object] = {
    "session": "3f2a9c1e0b7d4e65", "language": "vi", "form": "juminhyo",
    "forms": ("juminhyo", "inkan"), "bundle": "tennyu", "version": "1.0.0",
    "counter": "1番窓口", "branch": "米山総合支所", "service": "A", "digest": "9f86d081884c7d65",
    "mac": "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
    "prev_file": "2026-04-05", "through": "2026-03-31", "resident": "100000007",
    "residents": ("100000007", "100000015"), "members": ("100000015",), "system": "juki",
    ("translation.used", "source"): "vi", ("translation.used", "target"): "ja",
    ("ticket.transferred", "source"): "A", ("ticket.transferred", "target"): "B",
}
_NUMBERS: dict[object, object] = {int: 3, float: 312.5, bool: True}


def _names():
    from kiosk.audit.code_names import CodeNames

    return CodeNames(forms={"juminhyo": "住民票の写し等交付請求", "inkan": "印鑑登録証明書交付申請"},
                     bundles={"tennyu": "転入"}, systems={"juki": "住民記録システム"})


def _sample_value(kind: str, name: str, kind_of_value: object) -> object:
    """A value of field ``name`` of ``kind``: its first code where it is coded."""
    from kiosk.ui.clerk.usage_details import value_names

    codes = value_names(kind, name)
    if codes:
        return next(iter(codes))
    if kind_of_value in _NUMBERS:
        return _NUMBERS[kind_of_value]
    return _SAMPLES.get((kind, name), _SAMPLES.get(name))


def _sample_events():
    """One event of every kind the log holds, every field set (none left to its default)."""
    import typing

    from kiosk.audit.events import EVENT_TYPES, event_fields

    for kind, cls in EVENT_TYPES.items():
        hints = typing.get_type_hints(cls)
        values = {}
        for name in event_fields(cls):
            options = [one for one in typing.get_args(hints[name]) or (hints[name],)
                       if one is not type(None)]
            value = _sample_value(kind, name, options[0])
            assert value is not None, f"no sample value for {kind} {name}"
            values[name] = value
        yield cls(**values)


def test_field_labels__every_field_of_every_kind__labelled_in_japanese():
    from kiosk.audit.events import EVENT_TYPES, event_fields
    from kiosk.ui.clerk.usage_details import field_label

    tr = staff_translator("ja")
    fields = [(kind, name) for kind, cls in EVENT_TYPES.items() for name in event_fields(cls)]
    labels = {(kind, name): field_label(kind, name) for kind, name in fields}

    assert len({name for _kind, name in fields}) >= 69          # the walk saw them all
    assert [key for key, label in labels.items() if label is None] == []
    assert [(key, tr(label)) for key, label in labels.items() if label is not None and (
        not JAPANESE.search(tr(label)) or foreign_words(_plain(tr(label))))] == []
    for kind, cls in EVENT_TYPES.items():                  # no two fields of a kind alike
        names = [tr(labels[kind, name] or "") for name in event_fields(cls)]
        assert len(set(names)) == len(names), (kind, names)


def test_value_names__every_code_of_every_coded_field__named_in_japanese():
    from kiosk.ui.clerk.usage_details import ERROR_NAMES, VALUE_NAMES, UsageDetails

    details = UsageDetails(staff_translator("ja"))
    coded = [*((kind, name, code) for (kind, name), codes in VALUE_NAMES.items()
               for code in codes),
             *(("device.error", "error", code) for code in ERROR_NAMES)]
    shown = {(kind, name, code): details.value(kind, name, code) for kind, name, code in coded}

    assert [(key, text) for key, text in shown.items()
            if not JAPANESE.search(text) or foreign_words(_plain(text))] == []


@pytest.mark.parametrize(("kind", "name", "codes"), [
    ("ticket.finished", "outcome", "TicketState"),
    ("reservation.changed", "outcome", "ReservationState"),
    ("payment.done", "method", "PaymentMethod"),
    ("payment.done", "outcome", "PaymentStatus"),
    ("register.searched", "key", "QueryKind"),
    ("staff.changed", "role", "Role"),
    ("device.started", "role", "DeviceRole"),
    ("clerk.action", "reason", "RETURN_REASONS"),
])
def test_value_names__every_code_the_domain_knows__has_a_name(kind, name, codes):
    import typing

    from kiosk import config
    from kiosk.domain import payment, reservation, resident_query, staff, ticket
    from kiosk.services.review import RETURN_REASONS
    from kiosk.ui.clerk.usage_details import value_names

    known = {"TicketState": ticket.TicketState, "ReservationState": reservation.ReservationState,
             "PaymentMethod": payment.PaymentMethod, "PaymentStatus": payment.PaymentStatus,
             "QueryKind": resident_query.QueryKind, "Role": staff.Role,
             "DeviceRole": typing.get_args(config.Role), "RETURN_REASONS": RETURN_REASONS}

    assert set(known[codes]) - set(value_names(kind, name)) == set()


def test_error_names__every_error_class_of_the_kiosk__named():
    import importlib
    import pkgutil

    import devices
    import kiosk
    from kiosk.errors import KioskError
    from kiosk.ui.clerk.usage_details import ERROR_NAMES, error_key

    for package in (kiosk, devices):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.endswith("__main__") and ".migrations" not in module.name:
                importlib.import_module(module.name)

    def every(cls: type) -> list[type]:
        return [one for sub in cls.__subclasses__() for one in (sub, *every(sub))]

    errors = every(KioskError)
    assert len(errors) > 40                          # the walk found them
    assert sorted({f"{cls.__module__}.{cls.__name__}" for cls in errors
                   if error_key(cls.__name__) not in ERROR_NAMES}) == []


@pytest.mark.parametrize(("code", "key"), [
    ("CardRemovedError", "card_removed"), ("card_removed_error", "card_removed"),
    ("DatabaseUnavailableError", "database_unavailable"), ("device_error", "device"),
    ("TerminalTimeout", "terminal_timeout"), ("OSError", "os"), ("KeyError", "key"),
])
def test_error_key__class_name_or_snake_code__same_key(code, key):
    from kiosk.ui.clerk.usage_details import error_key

    assert error_key(code) == key


def test_details__a_record_of_every_kind__japanese_with_the_codes_in_the_tooltip():
    from kiosk.ui.clerk.usage_details import UsageDetails, code_text

    details = UsageDetails(staff_translator("ja"), _names())
    shown = {event.KIND: ("\u3000".join(details.fields(event.KIND, event.data())),
                          code_text(event.data())) for event in _sample_events()}

    assert [(kind, text) for kind, (text, _codes) in shown.items()
            if foreign_words(_plain(text))] == []
    assert shown["ticket.called"][0] == ("整理券ID：3\u3000業務：A\u3000窓口：1番窓口\u3000職員ID：3"
                                         "\u3000待ち時間：5分12秒\u3000再呼び出し：はい")
    assert shown["ticket.called"][1] == \
        "ticket=3 service=A counter=1番窓口 staff=3 wait_s=312.5 recall=True"
    assert "手続：住民票の写し等交付請求、印鑑登録証明書交付申請" in shown["session.procedures"][0]
    assert "翻訳元：ベトナム語\u3000翻訳先：日本語" in shown["translation.used"][0]
    assert shown["device.error"][0] == "発生場所：カード読み取り\u3000エラー：カードの不具合"
    assert shown["log.seal"][0].endswith("封印値：5e884898da280471 51d0e56f8dc62927 "
                                         "73603d0d6aabbdd6 2a11ef721d1542d8")


@pytest.mark.parametrize(("kind", "name", "value", "shown"), [
    ("session.ended", "duration_s", 0.4, "0.4秒"),
    ("session.ended", "duration_s", 59.96, "60秒"),
    ("ticket.finished", "service_s", 3725.0, "1時間2分"),
    ("remote.used", "minutes", 12.5, "12分30秒"),
    ("payment.done", "amount", 1200, "1,200円"),
    ("card.pin", "tries_left", None, "なし"),
    ("session.procedures", "bundle", "", "なし"),
    ("card.read", "ok", False, "いいえ"),
    ("device.error", "error", "ZeroDivisionError", "その他のエラー"),
    ("session.language", "language", "tl", "タガログ語"),
    ("ticket.finished", "outcome", "no_show", "不在"),
    ("staff.changed", "change", "new_kind_of_change", "new_kind_of_change"),   # a newer device's
])
def test_details_value__each_kind_of_value__readable(kind, name, value, shown):
    from kiosk.ui.clerk.usage_details import UsageDetails

    assert UsageDetails(staff_translator("ja"), _names()).value(kind, name, value) == shown


def test_audit_view__a_record_of_every_kind__whole_and_in_japanese_at_the_desk_width(
        qtbot, tmp_path):
    from PySide6.QtWidgets import QAbstractItemView

    from kiosk.audit.events import EVENT_TYPES
    from kiosk.ui.clerk.audit_view import AuditView
    from kiosk.ui.common.text_report import visible_texts

    log = UsageLog(tmp_path, "clerk-1-01", _Clock(), fsync=False)
    for event in _sample_events():
        log.record(event)
    log.close()
    view = AuditView(staff_translator("ja"), tmp_path, today=date(2026, 4, 30), names=_names())
    qtbot.addWidget(view)
    view.resize(1200, 700)              # the desk's tab at the clerk PC's smallest window
    view.show()
    qtbot.waitExposed(view)
    found, seen = [], set()
    for row in range(view.table.rowCount()):
        view.table.scrollToItem(view.table.item(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        qtbot.wait(10)
        for text in visible_texts(view):
            if text["name"].startswith(f"audit-table/{row},"):
                seen.add(view.table.item(row, 2).toolTip())
                if text["elided"] or foreign_words(text):
                    found.append((text["name"], text["text"]))

    assert seen >= set(EVENT_TYPES)          # every kind was in sight once
    assert found == []


_FIELDS = ["職員ID：1", "申請ID：1", "操作：承認", "理由：なし", "印刷物：申請書", "成功：はい"]


@pytest.mark.parametrize(("width", "lines"), [
    # The width of the widest two fields on one line (in whatever font the machine has).
    ("印刷物：申請書\u3000成功：はい",
     ["職員ID：1\u3000申請ID：1", "操作：承認\u3000理由：なし", "印刷物：申請書\u3000成功：はい"]),
    ("印", _FIELDS),                   # narrower than any field: one a line, none split
    ("\u3000".join(_FIELDS) + "印", ["\u3000".join(_FIELDS)]),
])
def test_flowed__fields_in_a_column__lines_break_between_fields(qtbot, width, lines):
    from PySide6.QtGui import QFont, QFontMetricsF

    from kiosk.ui.common.flowing_cells import flowed

    font = QFont()
    font.setPixelSize(18)
    room = QFontMetricsF(font).horizontalAdvance(width)

    assert flowed(_FIELDS, font, room).split("\n") == lines


def test_audit_view__narrow_details_column__drawn_between_fields_and_whole(qtbot, view):
    from kiosk.ui.common.flowing_cells import PARTS_ROLE
    from kiosk.ui.common.text_report import visible_texts

    view.resize(700, 700)               # the details column narrower than one record's fields
    view.show()
    qtbot.waitExposed(view)
    row = next(row for row in range(view.table.rowCount())
               if view.table.item(row, 2).toolTip() == "ticket.issued")
    item = view.table.item(row, 3)
    index = view.table.indexFromItem(item)
    delegate = view.table.itemDelegateForIndex(index)
    drawn = delegate.displayed_text(index, view.table.font()).split("\n")
    cell = next(text for text in visible_texts(view) if text["name"] == f"audit-table/{row},3")

    assert len(drawn) > 1
    assert [part for line in drawn for part in line.split("\u3000")] == item.data(PARTS_ROLE)
    assert not cell["elided"]
    assert view.table.rowHeight(row) >= len(drawn) * view.table.fontMetrics().lineSpacing()


def test_audit_view__time_column__the_machines_clock_to_the_second(view, monkeypatch):
    # The log holds 09:00:30+09:00; on a machine in UTC it reads 00:00:30, in JST 09:00:30.
    from kiosk.ui.clerk import audit_view

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    import time
    time.tzset()
    try:
        shown = audit_view._local_time("2026-04-06T00:00:30.250+00:00")
        stored = view.table.item(1, 0)
        assert shown == "2026-04-06\n09:00:30"
        assert stored.toolTip().startswith("2026-04-06T09:00:")     # the stamp as written
        assert "+" not in stored.text()
        assert "." not in stored.text()
        assert audit_view._local_time("not a time") == "not a time"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
