"""Issue 18: verify checks a day file's ordinary records as one batch, the report parses a
day file in one call; both fall back to the line-by-line way on any fault, so findings and
records stay exactly where they were."""

from __future__ import annotations

import gc
import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.audit import (
    LogRecord,
    TicketIssued,
    UsageLog,
    build_report,
    iter_records,
    json_exact,
    reader,
    verify,
    verify_directory,
)

from .conftest import JST, JapanClock

DEVICE = "tablet-01"
RECORDS = 300


def _write(directory: Path) -> Path:
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(directory, DEVICE, clock, fsync=False)
    for number in range(RECORDS):
        clock.advance(1)
        log.record(TicketIssued(number + 1, "A", 0, slip=True))
    log.close()
    [path] = sorted((directory / DEVICE).glob("*.jsonl"))
    return path


def _count_line_by_line(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    runs: list[int] = []
    original = verify._plain_run

    def counted(*args: object) -> int:
        run = original(*args)  # type: ignore[arg-type]
        runs.append(run)
        return run

    monkeypatch.setattr(verify, "_plain_run", counted)
    return runs


def test_verify__untouched_file__ordinary_records_never_checked_line_by_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    runs = _count_line_by_line(monkeypatch)

    result = verify_directory(tmp_path)

    assert result.ok
    assert result.records == RECORDS + 1          # and the anchor
    assert sum(runs) == 0


@pytest.mark.parametrize("line", [2, 150, RECORDS + 1])
def test_verify__one_record_edited__batch_falls_back_and_names_the_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: int) -> None:
    path = _write(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(b'"service":"A"', b'"service":"B"')
    path.write_bytes(b"".join(lines))
    runs = _count_line_by_line(monkeypatch)

    result = verify_directory(tmp_path)

    first = next(f for f in result.findings if not f.warning)
    assert (first.problem, first.line) == ("modified", line)
    assert sum(runs) == line - 2                  # the good records before it, one by one


def test_verify__carriage_return_inside_a_line__found_not_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path)
    data = path.read_bytes()
    at = data.index(b'"service":"A"', len(data) // 2)
    path.write_bytes(data[:at] + b"\r" + data[at:])

    assert not verify_directory(tmp_path).ok


@pytest.fixture(params=["orjson", "stdlib"])
def whole_file_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The report's reader with orjson (when installed) and without it."""
    if request.param == "stdlib":
        monkeypatch.setattr(json_exact, "_orjson_loads", None)
    return str(request.param)


@pytest.mark.usefixtures("whole_file_parser")
def test_iter_records__torn_line_mid_file__others_read_with_their_line_numbers(
        tmp_path: Path) -> None:
    path = _write(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[10] = lines[10][:40] + b"\n"
    path.write_bytes(b"".join(lines))

    records = list(iter_records(tmp_path))

    assert len(records) == RECORDS                # 301 lines, one torn
    assert [r.line for r in records[9:11]] == [10, 12]
    assert records[-1].data["ticket"] == RECORDS
    assert records[-1].line == RECORDS + 1


@pytest.mark.usefixtures("whole_file_parser")
def test_iter_records__whole_file__same_records_as_line_by_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path)
    fast = list(iter_records(tmp_path))
    monkeypatch.setattr(reader, "loads_each", lambda _lines, _block: None)

    slow = list(iter_records(tmp_path))

    assert fast == slow
    assert len(fast) == RECORDS + 1
    assert fast[5].file == path
    assert (fast[5].line, fast[5].kind) == (6, "ticket.issued")


@pytest.mark.parametrize("enabled", [True, False], ids=["gc on", "gc off"])
def test_build_report__aggregating__no_cyclic_collector_and_its_state_kept(
        tmp_path: Path, enabled: bool) -> None:
    """A full collection walks every live record and tally again: 40 % of a year's report."""
    _write(tmp_path)
    collector_on: list[bool] = []

    def watched() -> Iterator[LogRecord]:
        for record in iter_records(tmp_path):
            collector_on.append(gc.isenabled())
            yield record

    (gc.enable if enabled else gc.disable)()
    try:
        report = build_report(watched(), date(2026, 4, 1), date(2027, 3, 31), {})
        after = gc.isenabled()
    finally:
        gc.enable()

    assert report.records == RECORDS + 1
    assert collector_on == [False] * (RECORDS + 1)
    assert after is enabled


def _write_device(directory: Path, device: str, records: int) -> Path:
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(directory, device, clock, fsync=False)
    for number in range(records):
        clock.advance(1)
        log.record(TicketIssued(number + 1, "A", 0, slip=True))
    log.close()
    [path] = sorted((directory / device).glob("*.jsonl"))
    return path


def test_verify__devices_in_worker_processes__same_result_as_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Devices of different sizes (the largest is checked first) and one tampered in the middle:
    # the findings and counts come back in the folders' order, as from one process.
    for number, records in enumerate([40, 300, 10, 120], 1):
        _write_device(tmp_path, f"tablet-{number:02d}", records)
    path = next((tmp_path / "tablet-03").glob("*.jsonl"))
    lines = path.read_bytes().splitlines(keepends=True)
    lines[4] = lines[4].replace(b'"service":"A"', b'"service":"B"')
    path.write_bytes(b"".join(lines))
    alone = verify_directory(tmp_path)
    monkeypatch.setattr(verify, "PARALLEL_FROM_BYTES", 0)
    pools: list[object] = []
    def spied(*args: Any, **kwargs: Any) -> Any:
        pools.append(args)
        return ProcessPoolExecutor(*args, **kwargs)

    monkeypatch.setattr(verify, "ProcessPoolExecutor", spied)

    together = verify_directory(tmp_path, workers=2)

    assert pools == [(2,)]                         # the pool was used, not one process
    assert together == alone
    assert [(f.device, f.line, f.problem) for f in together.findings] == [
        ("tablet-03", 5, "modified")]
    assert together.devices == 4


def _line(ts: str, event: str, **data: Any) -> str:
    return json.dumps({"ts": ts, "kind": event, "data": data}, ensure_ascii=False)


def test_build_report__grouped_by_kind__same_figures_as_record_by_record(tmp_path: Path) -> None:
    """The report adds a file's records a kind at a time; the figures are those of adding them
    one by one in the file's order, also where order across kinds matters (a session's last
    language, a checked-in reservation's ticket), with recalls, failures and torn lines."""
    device = tmp_path / DEVICE
    device.mkdir()
    day = "2026-04-06T09:{:02d}:00+09:00"
    lines = [
        _line(day.format(0), "session.started", session="s1", language="ja"),
        _line(day.format(1), "reservation.changed", service="A", outcome="booked"),
        _line(day.format(2), "reservation.changed", service="A", outcome="checked_in",
              ticket=7),
        _line(day.format(3), "ticket.issued", ticket=7, service="A", waiting=0),
        _line(day.format(4), "session.language", session="s1", language="en"),
        _line(day.format(5), "ticket.called", ticket=7, service="A", wait_s=120),
        _line(day.format(6), "ticket.called", ticket=7, service="A", wait_s=999, recall=True),
        _line(day.format(7), "card.read", ok=False, reason="pin"),
        _line(day.format(8), "card.read", ok=True),
        _line(day.format(9), "print.done", ok=True, kind="form", pages=2),
        _line(day.format(10), "print.done", ok=False, kind="form", pages=1),
        _line(day.format(11), "ticket.finished", ticket=7, service="A", outcome="done",
              service_s=300),
        _line(day.format(12), "session.language", session="s1", language="pt"),
        _line(day.format(13), "ticket.issued", ticket=8, service="B", waiting=1),
        _line(day.format(14), "ticket.finished", ticket=8, service="B", outcome="left",
              service_s=None),
        '{"torn',
        _line(day.format(15), "log.seal", epoch=3, mac="ab"),
        _line(day.format(16), "session.started", session="s2", language="zh"),
    ]
    (device / "2026-04-06.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, last = date(2026, 4, 1), date(2027, 3, 31)
    grouped = build_report(iter_records(tmp_path, first, last), first, last, {})
    one_by_one = build_report(iter(list(iter_records(tmp_path, first, last))), first, last, {})
    assert grouped == one_by_one
    assert grouped.sessions_by_language == {"pt": 1, "zh": 1}
    assert grouped.reservations[("A", "served")] == 1
    assert grouped.last_seals[DEVICE][3] == 17
    assert grouped.records == 17       # the torn line is no record


@pytest.mark.parametrize("block_bytes", [1 << 20, 500])
def test_file_blocks__untouched_file__every_line_a_record_numbered_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_bytes: int) -> None:
    monkeypatch.setattr(reader, "BLOCK_BYTES", block_bytes)
    path = _write(tmp_path)

    blocks = list(reader.file_blocks(path))

    records = [record for block in blocks for record in block.records]
    assert [block.first_line for block in blocks] == list(itertools.accumulate(
        [1] + [len(block.records) for block in blocks[:-1]]))
    assert records == [json.loads(line) for line in path.read_bytes().splitlines()]
    assert (len(blocks) > 1) is (block_bytes < 1000)


@pytest.mark.parametrize("edit", [
    (b'"service":"A"', b'"service":12345678901234567890123'),   # orjson: a float
    (b'"service":"A"', b'"service":NaN'),                        # orjson refuses it
    (b'"service":"A"', b'"service":"\\ud800"'),                  # a lone surrogate
])
def test_file_blocks__what_orjson_reads_otherwise__read_as_json_loads_reads_it(
        tmp_path: Path, edit: tuple[bytes, bytes]) -> None:
    pytest.importorskip("orjson")
    path = _write(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[6] = lines[6].replace(*edit)
    path.write_bytes(b"".join(lines))

    records = [record for block in reader.file_blocks(path) for record in block.records]

    assert records[6] == json.loads(lines[6])
    assert repr(records[6]) == repr(json.loads(lines[6]))      # (an int stays an int)
