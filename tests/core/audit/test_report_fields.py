"""Issue 18: the year's report decodes only ``ts``, ``kind`` and ``data`` of each record with
msgspec (json_exact.fields_each). Whatever a line holds, it must give what the exact way gives
(``json.loads`` of the line alone, a record when that is an object), or give way to it; and a
report read the fast way must equal the one read the exact way, figure for figure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit import build_report, iter_records, reader, report
from kiosk.audit.forms_info import FormInfo
from kiosk.audit.json_exact import LONGEST_FAST_LINE, RecordFields, fields_each

DEVICE = "tablet-01"
FIRST, LAST = date(2026, 4, 1), date(2027, 3, 31)
FORMS = {"juminhyo": FormInfo("juminhyo", "住民票の写し", "A", 14, 49, True)}
TS = "2026-04-06T09:00:00.000+09:00"


def _line(kind: str, data: Any, *, ts: Any = TS, **extra: Any) -> bytes:
    return json.dumps({"prev": "0" * 64, "seq": 3, "ts": ts, "device": DEVICE, "kind": kind,
                       "data": data, **extra, "hash": "f" * 64},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _exact(line: bytes) -> RecordFields | None:
    """What the exact way reads from a line alone (kiosk.audit.reader, line by line)."""
    try:
        value = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return RecordFields(value.get("ts", ""), value.get("kind", ""), value.get("data", {}))


# Lines msgspec reads itself: what it gives must be exactly json.loads' values.
FAST = {
    "ordinary": _line("ticket.issued", {"ticket": 7, "service": "A", "priority": 0}),
    "long-int-in-data": _line("ticket.issued", {"ticket": 2**70 + 1, "service": "A"}),
    "negative-long-int": _line("print.done", {"kind": "slip", "ok": True, "pages": -(2**80)}),
    "long-int-skipped": _line("ticket.issued", {"ticket": 1, "service": "A"}, seq=10**40),
    "unicode": _line("clerk.action", {"action": "returned", "reason": "書類不足 🙇 ñ"}),
    "escapes": b'{"ts":"' + TS.encode() + b'","kind":"clerk.action","data":{"action":'
               b'"\\u8fd4\\u623b","reason":"tab\\there \\"quoted\\" \\\\ \\/ \\ud83d\\ude00"}}',
    "escaped-keys": b'{"t\\u0073":"' + TS.encode() + b'","k\\u0069nd":"card.pin",'
                    b'"\\u0064ata":{"\\u006futcome":"ok"}}',
    "key-twice": b'{"kind":"card.pin","ts":"' + TS.encode() + b'","data":{"outcome":"ok"},'
                 b'"data":{"outcome":"blocked","outcome":"locked"}}',
    "unknown-kind": _line("kiosk.future_event", {"anything": [1, {"b": None}], "x": 1.5}),
    "no-fields": b"{}",
    "no-time-stamp": b'{"kind":"clerk.viewed","data":{}}',
    "white-space": b' \t{"kind" : "card.pin" , "data" : {"outcome" : "ok"}}\r',
    "floats": _line("captions.used", {"seconds": 0.1000000000000000055511151231257827,
                                      "language": "en", "tiny": 5e-324,
                                      "huge": 1.7976931348623157e308,
                                      "hard": 2.2250738585072011e-308, "neg_zero": -0.0}),
    "float-forms": b'{"kind":"kiosk.numbers","data":{"seconds":1E2,"a":1e-7,"b":-0,'
                   b'"c":12345678901234567890.5e-3,"d":0.000001e+300,"e":9007199254740993}}',
    "invalid-utf8-skipped": _line("card.pin", {"outcome": "ok"}).replace(b'"f', b'"\xff', 1),
    "deep-nesting": _line("card.pin", {"outcome": "ok"}, deep=0).replace(
        b'"deep":0', b'"deep":' + b"[" * 300 + b"]" * 300),
}

# Lines msgspec gives way on (the whole block goes the exact way), with why.
EXACT = {
    "torn": b'{"ts":"' + TS.encode() + b'","kind":"ticket.iss',
    "empty": b"",
    "not-an-object": b"[1, 2]",
    "a-number": b"12",
    "two-objects": b'{"kind":"card.pin"} {"kind":"card.pin"}',
    "two-objects-comma": b'{"kind":"card.pin"},{"kind":"card.pin"}',
    "trailing-garbage": _line("card.pin", {"outcome": "ok"}) + b"x",
    "byte-order-mark": b"\xef\xbb\xbf" + _line("card.pin", {"outcome": "ok"}),
    "nan-in-data": _line("captions.used", {"seconds": float("nan"), "language": "en"}),
    "infinity-in-data": _line("captions.used", {"seconds": 1.0, "language": "en"}).replace(
        b"1.0", b"1e400"),
    "nan-skipped": _line("card.pin", {"outcome": "ok"}, seconds=float("nan")),
    "lone-surrogate-skipped": _line("card.pin", {"outcome": "ok"},
                                    note="x").replace(b'"x"', b'"\\ud800"'),
    "lone-surrogate-in-data": _line("device.error", {"where": "x"}).replace(b'"x"',
                                                                             b'"\\ud800"'),
    "invalid-utf8-in-data": _line("device.error", {"where": "pr\xffinter"}).replace(
        "pr\xffinter".encode(), b"pr\xffinter"),
    "invalid-utf8-in-kind": _line("card.pin", {"outcome": "ok"}).replace(b"card", b"c\xffrd"),
    "time-stamp-a-number": _line("kiosk.future_event", {}, ts=20260406),
    "kind-a-number": b'{"kind":5,"data":{}}',
    "data-a-list": _line("kiosk.future_event", [1, 2]),
    "data-null": _line("kiosk.future_event", None),
    "control-character": _line("card.pin", {"outcome": "o\x01k"}).replace(b"\\u0001", b"\x01"),
    "bad-escape": _line("card.pin", {"outcome": "ok"}).replace(b'"ok"', b'"\\q"'),
    # json.loads refuses an integer beyond 4,300 digits; msgspec only checks skipped ones
    "huge-int-skipped": _line("card.pin", {"outcome": "ok"}, seq=0).replace(
        b'"seq":0', b'"seq":1' + b"0" * 4400),
    "long-line": _line("clerk.action", {"action": "returned", "reason": "x" * 2000}),
}


@pytest.mark.parametrize("line", FAST.values(), ids=FAST.keys())
def test_fields_each__lines_msgspec_reads__exactly_json_loads_values(line: bytes) -> None:
    fast = fields_each([line])

    assert fast is not None
    assert repr(fast) == repr([_exact(line)])      # (repr: an int stays an int, -0.0 stays)


@pytest.mark.parametrize("line", EXACT.values(), ids=EXACT.keys())
def test_fields_each__lines_it_would_read_otherwise__gives_way_to_the_exact_way(
        line: bytes) -> None:
    assert fields_each([_line("card.pin", {"outcome": "ok"}), line]) is None


def test_fields_each__longest_fast_line__read_one_byte_more_not() -> None:
    line = _line("card.pin", {"outcome": "ok"})
    line = line.replace(b'"ok"', b'"' + b"k" * (LONGEST_FAST_LINE - len(line) + 2) + b'"')

    assert len(line) == LONGEST_FAST_LINE
    assert fields_each([line]) is not None
    assert fields_each([line[:-1] + b" }"]) is None


@given(st.floats(allow_nan=False, allow_infinity=False)
       | st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?\Z"))
def test_fields_each__any_number__the_value_json_loads_gives(number: float | str) -> None:
    text = number if isinstance(number, str) else repr(number)
    line = b'{"kind":"captions.used","data":{"seconds":' + text.encode() + b'}}'
    exact = _exact(line)
    fast = fields_each([line])

    if fast is None:                    # (only where json.loads gives an infinity)
        assert exact is not None
        assert abs(exact.data["seconds"]) == float("inf")
    else:
        assert repr(fast) == repr([exact])


def _write(directory: Path) -> None:
    """Three days of a device: ordinary records, and every tricky line in blocks of its own
    among them (so that only its block gives way)."""
    folder = directory / DEVICE
    folder.mkdir(parents=True)
    ordinary = [
        _line("session.started", {"session": "s1", "language": "ja"}),
        _line("ticket.issued", {"ticket": 7, "service": "A", "priority": 0, "slip": True}),
        _line("form.submitted", {"form": "juminhyo", "version": "1", "language": "vi",
                                 "ticket": 7, "application": 1, "card_fields": 5,
                                 "typed_fields": 3, "corrected_fields": 1,
                                 "default_fields": 2, "delivered": True}),
        _line("ticket.called", {"ticket": 7, "service": "A", "counter": "1番窓口",
                                "staff": 1, "wait_s": 123.456789012345, "recall": False}),
        _line("ticket.finished", {"ticket": 7, "service": "A", "outcome": "done",
                                  "service_s": 300.5}),
        _line("captions.used", {"seconds": 0.1, "language": "en"}),
        _line("log.seal", {"epoch": 3, "next": 4, "mac": "ab" * 16}),
    ]
    tricky = [line for name, line in {**FAST, **EXACT}.items()
              if name not in ("time-stamp-a-number", "data-null")]   # (no handler's kind)
    tricky += [_line("ticket.issued", {"ticket": 2**70, "service": "B"}),
               _line("device.error", {"where": "x"}).replace(b'"x"', b'"\\ud800"')]
    for number, name in enumerate(["2026-04-06", "2026-04-07", "2026-04-08"]):
        lines = []
        for line in tricky:
            lines += [*ordinary, line]
        lines = [line.replace(b"2026-04-06", name.encode()) for line in lines]
        ending = b"" if number == 2 else b"\n"          # the newest file cut short
        (folder / f"{name}.jsonl").write_bytes(b"\n".join(lines) + ending)


@pytest.mark.parametrize("workers", [1, 2])
def test_build_report__tricky_log__fast_way_equals_exact_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    _write(tmp_path)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 300)     # a block of one line or two
    monkeypatch.setattr(report, "PARALLEL_FROM_BYTES", 0)
    fast = build_report(iter_records(tmp_path, FIRST, LAST), FIRST, LAST, FORMS,
                        workers=workers)
    monkeypatch.setattr(reader, "fields_each", lambda _texts: None)

    exact = build_report(iter_records(tmp_path, FIRST, LAST), FIRST, LAST, FORMS)

    assert repr(fast) == repr(exact)                    # (repr: NaN seconds, ints not floats)
    assert fast.tickets[("B", "2026-04")] == 3          # the long ticket number, once a day
    assert fast.errors["\ud800"] == 6                 # (two such lines a day)
    assert fast.records == exact.records > 3 * 7 * (len(FAST) + len(EXACT))


def test_build_report__tricky_log__most_blocks_read_the_fast_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 300)
    results: list[bool] = []
    original = reader.fields_each

    def spied(texts: list[bytes]) -> list[RecordFields] | None:
        fields = original(texts)
        results.append(fields is not None)
        return fields

    monkeypatch.setattr(reader, "fields_each", spied)

    build_report(iter_records(tmp_path, FIRST, LAST), FIRST, LAST, FORMS)

    assert results.count(False) <= 3 * len(EXACT) < results.count(True)


def test_iter_records__tricky_log__fast_way_equals_exact_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    fast = list(iter_records(tmp_path))
    monkeypatch.setattr(reader, "fields_each", lambda _texts: None)

    exact = list(iter_records(tmp_path))

    assert repr(fast) == repr(exact)
