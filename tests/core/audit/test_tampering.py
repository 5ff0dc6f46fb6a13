"""Tampering with a log is found at the right file and line; honest logs verify."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.audit import TicketIssued, UsageLog, verify_directory
from kiosk.audit.verify import VerifyResult
from kiosk.cli import main

from .conftest import JST, JapanClock

DEVICE = "tablet-01"
DAYS = ("2026-04-06", "2026-04-07", "2026-04-08")
PER_DAY = 10          # events per day; each file also starts with its anchor (line 1)


def _write_log(directory: Path, days: int = len(DAYS)) -> UsageLog:
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(directory, DEVICE, clock, fsync=False)
    for _day in range(days):
        for number in range(PER_DAY):
            clock.advance(60)
            log.record(TicketIssued(number + 1, "A", 0, slip=True))
        clock.advance(24 * 3600 - PER_DAY * 60)
    log.close()
    return log


def _file(directory: Path, day: str) -> Path:
    return directory / DEVICE / f"{day}.jsonl"


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def edit_byte(directory: Path) -> None:
    path = _file(directory, DAYS[1])
    lines = _lines(path)
    lines[4] = lines[4].replace(b'"service":"A"', b'"service":"B"')
    path.write_bytes(b"".join(lines))


def delete_line(directory: Path) -> None:
    path = _file(directory, DAYS[1])
    lines = _lines(path)
    del lines[5]
    path.write_bytes(b"".join(lines))


def swap_lines(directory: Path) -> None:
    path = _file(directory, DAYS[0])
    lines = _lines(path)
    lines[6], lines[7] = lines[7], lines[6]
    path.write_bytes(b"".join(lines))


def truncate_mid_record(directory: Path) -> None:
    path = _file(directory, DAYS[2])
    data = path.read_bytes()
    path.write_bytes(data[:-40])


def truncate_whole_lines_past_day(directory: Path) -> None:
    path = _file(directory, DAYS[0])
    path.write_bytes(b"".join(_lines(path)[:8]))


def truncate_whole_lines_newest_day(directory: Path) -> None:
    path = _file(directory, DAYS[2])
    path.write_bytes(b"".join(_lines(path)[:9]))


def remove_middle_day(directory: Path) -> None:
    _file(directory, DAYS[1]).unlink()


def remove_first_day(directory: Path) -> None:
    _file(directory, DAYS[0]).unlink()


def remove_newest_day(directory: Path) -> None:
    _file(directory, DAYS[2]).unlink()


def rehash_edited_record(directory: Path) -> None:
    """Change a record and recompute its own hash: the next record's ``prev`` still tells."""
    import hashlib

    path = _file(directory, DAYS[1])
    lines = _lines(path)
    line = lines[3].replace(b'"priority":0', b'"priority":1')
    body = line[:-76] + b"}"
    digest = hashlib.sha256(body).hexdigest().encode()
    lines[3] = line[:-67] + digest + b'"}\n'
    path.write_bytes(b"".join(lines))


CASES: list[tuple[Callable[[Path], None], str, str, int]] = [
    (edit_byte, "modified", DAYS[1], 5),
    (delete_line, "deleted", DAYS[1], 6),
    (swap_lines, "reordered", DAYS[0], 7),
    (truncate_mid_record, "truncated", DAYS[2], PER_DAY + 1),
    (truncate_whole_lines_past_day, "truncated", DAYS[0], 9),
    (truncate_whole_lines_newest_day, "truncated", DAYS[2], 10),
    (remove_middle_day, "missing", DAYS[2], 1),
    (remove_first_day, "missing", DAYS[1], 1),
    (remove_newest_day, "missing", DAYS[2], 1),
    (rehash_edited_record, "modified", DAYS[1], 4),
]


@pytest.mark.parametrize(("tamper", "problem", "day", "line"), CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_verify__tampered_log__first_finding_names_file_and_line(tmp_path, tamper, problem, day,
                                                                 line):
    _write_log(tmp_path)
    tamper(tmp_path)

    result = verify_directory(tmp_path)

    assert not result.ok
    first = next(f for f in result.findings if not f.warning)
    assert (first.problem, first.file.name, first.line) == (problem, f"{day}.jsonl", line)


@pytest.mark.parametrize("tamper", [edit_byte, remove_middle_day], ids=["edit", "remove"])
def test_cli_verify__tampered__exits_one_and_names_the_place(tmp_path, capsys, tamper):
    _write_log(tmp_path)
    tamper(tmp_path)

    code = main(["audit", "verify", str(tmp_path)])

    assert code == 1
    assert "TAMPERED" in capsys.readouterr().out


def test_verify__untouched_log__ok_with_every_record(tmp_path):
    _write_log(tmp_path)

    result = verify_directory(tmp_path)

    assert result.ok
    assert result.findings == []
    assert (result.files, result.records) == (3, 3 * (PER_DAY + 1))


def test_usage_log__torn_last_line_after_crash__recovered_as_warning(tmp_path):
    _write_log(tmp_path, days=1)
    path = _file(tmp_path, DAYS[0])
    path.write_bytes(path.read_bytes()[:-30])          # the crash cut the last record short
    clock = JapanClock(datetime(2026, 4, 6, 15, 0, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=False)
    log.record(TicketIssued(99, "A", 0, slip=False))
    log.close()

    result = verify_directory(tmp_path)

    assert result.ok
    assert [(f.problem, f.line, f.warning) for f in result.findings] == [
        ("recovered", PER_DAY + 1, True)]


def test_usage_log__reopened_next_day__continues_the_chain(tmp_path):
    _write_log(tmp_path, days=1)
    clock = JapanClock(datetime(2026, 4, 9, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=True)
    log.record(TicketIssued(1, "A", 0, slip=False))
    log.close()

    result: VerifyResult = verify_directory(tmp_path)

    assert result.ok
    assert result.files == 2


def test_usage_log__purge_after_retention__older_days_gone_and_still_verifies(tmp_path):
    _write_log(tmp_path)
    clock = JapanClock(datetime(2026, 4, 20, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=False, retention_days=12)

    removed = log.purge()
    log.close()

    assert removed == 2
    assert not _file(tmp_path, DAYS[0]).exists()
    assert verify_directory(tmp_path).findings == []


def test_usage_log__many_threads__one_unbroken_chain(tmp_path):
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=False)

    def write(start: int) -> None:
        for number in range(start, start + 200):
            log.record(TicketIssued(number, "A", 0, slip=False))

    threads = [threading.Thread(target=write, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.close()

    result = verify_directory(tmp_path)
    assert result.ok
    assert result.records == 801


def test_usage_log__clock_passes_midnight__new_file_with_anchor(tmp_path):
    clock = JapanClock(datetime(2026, 4, 6, 23, 59, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=False)
    log.record(TicketIssued(1, "A", 0, slip=False))
    clock.advance(120)
    log.record(TicketIssued(2, "A", 0, slip=False))
    log.close()

    assert [p.name for p in sorted((tmp_path / DEVICE).glob("*.jsonl"))] == [
        "2026-04-06.jsonl", "2026-04-07.jsonl"]
    assert b'"prev_records":2' in _lines(_file(tmp_path, "2026-04-07"))[0]
    assert verify_directory(tmp_path).ok


def test_usage_log__two_devices__checked_separately(tmp_path):
    _write_log(tmp_path)
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST) + timedelta(hours=1))
    other = UsageLog(tmp_path, "clerk-01", clock, fsync=False)
    other.record(TicketIssued(1, "A", 0, slip=False))
    other.close()
    edit_byte(tmp_path)

    result = verify_directory(tmp_path)

    assert result.devices == 2
    assert [f.device for f in result.findings] == [DEVICE]


def test_verify__tail_cut_while_the_kiosk_runs__truncated(tmp_path):
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, DEVICE, clock, fsync=False)
    for number in range(29):
        log.record(TicketIssued(number, "A", 0, slip=False))
    path = _file(tmp_path, DAYS[0])
    path.write_bytes(b"".join(_lines(path)[:20]))      # no close(): the kiosk still runs

    result = verify_directory(tmp_path)
    log.close()

    first = next(f for f in result.findings if not f.warning)
    assert (first.problem, first.line, first.params["count"]) == ("truncated", 21, 30)
