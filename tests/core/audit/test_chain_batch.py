"""Issue 18: verify checks an untouched day file a block of lines at a time
(kiosk/audit/chain_batch.py). What it finds must be exactly what the plain check finds, one
line at a time through check_line, for any change: here every byte of a sealed log changed
in turn, and the log's own records hidden in odd places."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.audit import TicketIssued, UsageLog, chain_batch, verify, verify_directory
from kiosk.audit.chain import encode_record
from kiosk.audit.sealing import KEY_FILE, SealingKey, VerificationKey
from kiosk.audit.usage_log import HEAD_FILE
from kiosk.audit.verify import VerifyResult

from .conftest import JST, JapanClock

DEVICE = "tablet-01"
NOW = datetime(2026, 5, 1, tzinfo=JST)


def _sealed_days(directory: Path, days: int = 2, per_day: int = 8) -> VerificationKey:
    """A key installed, then ``per_day`` tickets a day, a seal every few records."""
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    _sealing, key = SealingKey.create(directory / DEVICE / KEY_FILE, DEVICE, clock.now(), 300)
    log = UsageLog(directory, DEVICE, clock, fsync=False)
    for _day in range(days):
        for number in range(per_day):
            clock.advance(110)
            log.record(TicketIssued(number + 1, "A", 0, slip=True))
            log.tick()
        clock.advance(20 * 3600)
    log.close()
    return key


def _line_by_line(directory: Path, keys: dict[str, VerificationKey],
                  monkeypatch: pytest.MonkeyPatch) -> VerifyResult:
    """The reference: every line through check_line and the detailed checks, no batch."""
    with monkeypatch.context() as patched:
        patched.setattr(verify, "chained_file", lambda _content: None)
        patched.setattr(verify, "_ordinary_run", lambda *_args: 0)
        return verify_directory(directory, keys, now=NOW)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few lines, so that a file is checked in several."""
    monkeypatch.setattr(chain_batch, "BLOCK_BYTES", 700)


@pytest.mark.usefixtures("small_blocks")
def test_verify__untouched_log_in_many_blocks__ok_every_record_counted_none_line_by_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _sealed_days(tmp_path, days=3)
    chained: list[bool] = []
    original = verify.chained_file

    def spied(content: bytes) -> chain_batch.ChainedFile | None:
        found = original(content)
        chained.append(found is not None)
        return found

    monkeypatch.setattr(verify, "chained_file", spied)

    result = verify_directory(tmp_path, {DEVICE: key}, now=NOW)

    assert result.ok, [f.english() for f in result.findings]
    assert chained == [True, True, True]
    assert result.seals > 3
    assert result == _line_by_line(tmp_path, {DEVICE: key}, monkeypatch)


@pytest.mark.slow
@pytest.mark.usefixtures("small_blocks")
def test_verify__one_byte_changed_anywhere__found_as_the_line_by_line_check_finds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every byte of every day file, in turn: flipped in case or in its lowest bit, or made
    a line break or a quote. Each change is found, and the result (findings, where, counts)
    is the line-by-line check's."""
    key = _sealed_days(tmp_path)
    keys = {DEVICE: key}
    files = sorted((tmp_path / DEVICE).glob("*.jsonl"))
    changes = (lambda byte: byte ^ 0x20, lambda byte: byte ^ 0x01, lambda _byte: 0x0A,
               lambda _byte: 0x22)
    checked = 0
    for path in files:
        original = path.read_bytes()
        for at, byte in enumerate(original):
            new = changes[at % len(changes)](byte)
            if new == byte:
                new ^= 0x01
            path.write_bytes(original[:at] + bytes([new]) + original[at + 1:])

            fast = verify_directory(tmp_path, keys, now=NOW)

            assert not fast.ok, (path.name, at)
            assert fast == _line_by_line(tmp_path, keys, monkeypatch), (path.name, at)
            checked += 1
        path.write_bytes(original)
    assert checked == sum(path.stat().st_size for path in files)
    assert verify_directory(tmp_path, keys, now=NOW).ok


def _hand_written(directory: Path, data_of: list[tuple[str, dict[str, object]]]) -> Path:
    """A day file written with the kiosk's own encoder: an anchor, then these records."""
    folder = directory / DEVICE
    folder.mkdir(parents=True)
    lines, prev = [], "0" * 64
    records = [("log.anchor", {"prev_file": "", "prev_records": 0}), *data_of]
    for seq, (kind, data) in enumerate(records, 1):
        ts = (datetime(2026, 4, 6, 9, 0, tzinfo=JST) + timedelta(seconds=seq)).isoformat(
            timespec="milliseconds")
        line, prev = encode_record(prev, seq, ts, DEVICE, kind, data)
        lines.append(line)
    path = folder / "2026-04-06.jsonl"
    path.write_bytes(b"".join(lines))
    (folder / HEAD_FILE).write_text(
        f'{{"file": "2026-04-06", "records": {len(lines)}, "hash": "{prev}"}}', encoding="utf-8")
    return path


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("records", [
    # the log's own kinds inside an ordinary record's data, where the search finds them
    [("print.done", {"kind": "log.seal", "ok": True, "pages": 1})] * 3,
    [("ticket.issued", {"ticket": 1, "service": "A"}),
     ("print.done", {"kind": "log.purged", "through": "2026-01-01", "ok": True})],
    # a purge and a recovery record in the middle of ordinary ones
    [("ticket.issued", {"ticket": n, "service": "A"}) for n in range(1, 9)]
    + [("log.purged", {"through": "2025-01-01", "files": 3})]
    + [("ticket.issued", {"ticket": n, "service": "A"}) for n in range(9, 20)],
    # a record longer than a block, and text that is not ASCII
    [("ticket.called", {"ticket": 1, "counter": "1番窓口" * 120, "wait_s": 1.5})] * 2,
], ids=["log-kind-in-data", "purge-kind-in-data", "purge-between", "long-record"])
def test_verify__log_kinds_in_odd_places__same_as_line_by_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        records: list[tuple[str, dict[str, object]]]) -> None:
    path = _hand_written(tmp_path, records)

    fast = verify_directory(tmp_path, now=NOW)

    assert chain_batch.chained_file(path.read_bytes()) is not None
    assert fast == _line_by_line(tmp_path, {}, monkeypatch)
    assert fast.records == len(records) + 1


@pytest.mark.parametrize(("edit", "whole"), [
    (lambda data: data, True),
    (lambda data: data[:-1], False),                         # no line break at the end
    (lambda data: data.replace(b'"service"', b'"service"\r', 1), False),
    (lambda data: data.split(b"\n", 1)[0] + b"\n", False),   # one line only
    (lambda data: data.replace(b'"seq":1,', b'"seq":2,', 1), False),   # the anchor misnumbered
], ids=["untouched", "no-final-break", "carriage-return", "one-line", "anchor-seq"])
def test_chained_file__file_not_whole_or_first_line_off__none(
        tmp_path: Path, edit: object, whole: bool) -> None:
    path = _hand_written(tmp_path, [("ticket.issued", {"ticket": 1, "service": "A"})] * 4)
    content = edit(path.read_bytes())  # type: ignore[operator]

    assert (chain_batch.chained_file(content) is not None) is whole


@pytest.mark.parametrize("records", [
    [("log.seal", {"mac": "ab"})],                                   # no epoch
    [("log.seal", {"epoch": "x", "next": 1, "mac": "ab"})],
    [("log.seal", [])],
    [("ticket.issued", {"ticket": 1}), ("log.purged", {"files": 1})],  # no "through"
], ids=["seal-without-epoch", "seal-epoch-not-a-number", "seal-data-not-an-object",
        "purge-without-through"])
def test_verify__own_record_rehashed_with_wrong_fields__malformed_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        records: list[tuple[str, object]]) -> None:
    _hand_written(tmp_path, records)  # type: ignore[arg-type]

    fast = verify_directory(tmp_path, now=NOW)

    assert [(f.line, f.problem) for f in fast.findings] == [(len(records) + 1, "malformed")]
    assert fast == _line_by_line(tmp_path, {}, monkeypatch)
