"""Issue 18: the year's report reads day files by blocks of lines with orjson. Whatever a log
holds, it must read what the plain way reads (each line alone through json.loads, a record
when that gives an object, tallied one by one), in one process and in several."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kiosk.audit import LogRecord, build_report, iter_records, reader, report
from kiosk.audit.forms_info import FormInfo
from kiosk.audit.json_exact import has_long_integer

DEVICE = "tablet-01"
FIRST, LAST = date(2026, 4, 1), date(2027, 3, 31)
FORMS = {"juminhyo": FormInfo("juminhyo", "住民票の写し", "A", 14, 49, True)}


def _record(minute: int, event: str, **data: Any) -> bytes:
    return json.dumps({"prev": "0" * 64, "seq": minute,
                       "ts": f"2026-04-06T09:{minute:02d}:00+09:00", "device": DEVICE,
                       "kind": event, "data": data, "hash": "f" * 64},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _tricky_day() -> list[bytes]:
    """Lines of one day: every tallied kind, and lines that are not quite records."""
    return [
        _record(0, "log.anchor", prev_file="", prev_records=0),
        _record(1, "session.started", session="s1", language="ja"),
        _record(2, "reservation.changed", service="A", outcome="booked"),
        _record(3, "reservation.changed", service="A", outcome="checked_in", ticket=7),
        _record(4, "ticket.issued", ticket=7, service="A", priority=0, slip=True),
        _record(5, "form.submitted", form="juminhyo", version="1", language="vi", ticket=7,
                application=1, card_fields=5, typed_fields=3, corrected_fields=1,
                default_fields=2, delivered=True),
        _record(6, "form.submitted", form="unknown_form", version="1", language="ja",
                ticket=None, application=2, card_fields=0, typed_fields=4,
                corrected_fields=0, default_fields=0, delivered=True),
        b"   " + _record(7, "session.language", session="s1", language="en"),  # white space
        _record(8, "ticket.called", ticket=7, service="A", counter="1番窓口", staff=1,
                wait_s=123.456789012345, recall=False),
        _record(9, "ticket.called", ticket=7, service="A", counter="1番窓口", staff=1,
                wait_s=999.0, recall=True),
        _record(10, "card.read", session="s1", ok=False, reason="pin"),
        _record(11, "card.read", session="s1", ok=True, reason=""),
        _record(12, "print.done", kind="slip", ok=True, pages=1, reason="") + b"\r",
        _record(13, "print.done", kind="form", ok=False, pages=2, reason="paper"),
        _record(14, "captions.used", seconds=0.1, language="en"),
        _record(15, "captions.used", seconds=0.2, language="en"),
        # a ticket number beyond 64 bits: orjson would read a float, json.loads an int
        _record(16, "ticket.issued", ticket=12345678901234567890123, service="B", priority=0,
                slip=False),
        _record(17, "ticket.finished", ticket=7, service="A", outcome="done",
                service_s=300.5),
        _record(18, "session.ended", session="s1", outcome="done", seconds=float("nan")),
        b'{"torn',                                                     # cut short
        _record(19, "device.error", where="printer\udc80".encode("utf-8", "surrogatepass")
                .decode("utf-8", "replace")),
        _record(20, "device.error", where="printer").replace(b"printer", b"print\xffer"),
        b"[1, 2]",                                                     # not an object
        b"",                                                           # an empty line
        _record(21, "card.pin", outcome="ok") + b" " + _record(22, "card.pin", outcome="ok"),
        # Two objects on a line, one object over two lines: as an array joined by commas,
        # the same count of objects; line by line, none is a record.
        _record(22, "card.pin", outcome="ok") + b"," + _record(22, "card.pin", outcome="ok"),
        _record(23, "card.pin", outcome="locked", tries=[1])[:-5],
        _record(23, "card.pin", outcome="locked", tries=[1])[-5:].replace(b"]", b"2]"),
        _record(24, "translation.used", source="en", target="ja", utterances=3),
        _record(25, "clerk.action", action="returned", reason="missing_document"),
        b'{"kind":"card.pin","ts":"2026-04-06T09:26:00+09:00","data":{"outcome":"ok"},'
        b'"data":{"outcome":"blocked"}}',                              # a key twice
        b'{"kind":"clerk.viewed","data":{}}',                          # no time stamp
        _record(27, "log.seal", epoch=3, next=4, mac="0123456789" * 6 + "abcd"),
        _record(28, "session.started", session="s2", language="zh_Hans"),
    ]


def _write(directory: Path) -> None:
    folder = directory / DEVICE
    folder.mkdir(parents=True)
    day = _tricky_day()
    for number, name in enumerate(["2026-04-06", "2026-04-07", "2026-04-08"]):
        lines = [line.replace(b"2026-04-06", name.encode()) for line in day]
        ending = b"" if number == 2 else b"\n"          # the newest file cut short
        (folder / f"{name}.jsonl").write_bytes(b"\n".join(lines) + ending)


def _reference(directory: Path) -> list[LogRecord]:
    """Each line alone through json.loads; a record when that gives an object."""
    records = []
    for path in sorted((directory / DEVICE).glob("*.jsonl")):
        content = path.read_bytes()
        lines = content.split(b"\n")
        if content.endswith(b"\n"):
            del lines[-1]
        for number, line in enumerate(lines, 1):
            try:
                value = json.loads(line.decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(value, dict):
                records.append(LogRecord(DEVICE, path, number, value.get("ts", ""),
                                         value.get("kind", ""), value.get("data", {})))
    return records


@pytest.fixture(params=[reader.BLOCK_BYTES, 700, 1], ids=["blocks", "small-blocks", "lines"])
def block_bytes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(reader, "BLOCK_BYTES", request.param)
    return int(request.param)


@pytest.mark.usefixtures("block_bytes")
def test_iter_records__tricky_log__what_json_loads_reads_line_by_line(tmp_path: Path) -> None:
    _write(tmp_path)

    records = list(iter_records(tmp_path))

    assert repr(records) == repr(_reference(tmp_path))      # (repr: NaN, and int not float)
    assert [r.data["ticket"] for r in records if r.kind == "ticket.issued"][1] == \
        12345678901234567890123


@pytest.mark.usefixtures("block_bytes")
@pytest.mark.parametrize("workers", [1, 2])
def test_build_report__tricky_log__figures_of_the_plain_reading_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    _write(tmp_path)
    plain = build_report(iter(_reference(tmp_path)), FIRST, LAST, FORMS)
    monkeypatch.setattr(report, "PARALLEL_FROM_BYTES", 0)

    fast = build_report(iter_records(tmp_path, FIRST, LAST), FIRST, LAST, FORMS,
                        workers=workers)

    assert fast == plain
    assert fast.records == len(_reference(tmp_path))
    assert fast.tickets[("B", "2026-04")] == 3
    assert fast.card_failures == {"pin": 3}
    seal_line = next(n for n, line in enumerate(_tricky_day(), 1) if b'"log.seal"' in line)
    assert fast.last_seals[DEVICE][2:4] == ("2026-04-08.jsonl", seal_line)


@pytest.mark.parametrize(("text", "long"), [
    (b'{"ticket":12345678901234567890123}', True),
    (b'{"ticket": -1234567890123456789}', True),
    (b'[1,\n 1234567890123456789]', True),
    (b"1234567890123456789", True),
    (b'{"ticket":123456789012345678}', False),             # 18 digits: orjson keeps it
    (b'{"mac":"a1234567890123456789012345b"}', False),     # digits inside a string
    (b'{"wait_s":0.12345678901234567890123}', False),       # a fraction: a float anyway
    (b'{"wait_s":1e1234567890123456789}', False),           # an exponent
], ids=["after-colon", "negative", "array", "alone", "18-digits", "in-string", "fraction",
        "exponent"])
def test_has_long_integer__texts__integers_orjson_would_read_as_floats(
        text: bytes, long: bool) -> None:
    assert has_long_integer(text) is long
