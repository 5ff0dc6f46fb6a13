"""Forward-secure sealing: the attacks of the security review, each named by ``verify --key``.

The attacker has the kiosk user's rights: they edit the files, re-hash every record with the
kiosk's own encoder, rewrite HEAD.json and hold the device's current (evolved) key, or an older
copy of it. What was sealed before they came must still show.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from kiosk.audit import TicketIssued, UsageLog, verify_directory
from kiosk.audit.sealing import KEY_FILE, KeyWalker, SealedHead, SealingKey, VerificationKey
from kiosk.audit.usage_log import HEAD_FILE
from kiosk.cli import main

from .sealed_log import (
    DEVICE,
    INTERVAL,
    START,
    STEP,
    SealedLog,
    line_of,
    read_files,
    resealer,
    rewrite,
    write_sealed_log,
)

Records = list[dict[str, Any]]


def _without(kind: str):
    def edit(records: Records) -> Records:
        return [r for r in records if r["kind"] != kind]
    return edit


def _device_started_edited(records: Records) -> Records:
    for record in records:
        if record["kind"] == "device.started":
            record["data"]["version"] = "0.9.0"
    return records


def _reordered(records: Records) -> Records:
    at = next(i for i, r in enumerate(records) if r["kind"] == "card.read")
    records[at], records[at + 1] = records[at + 1], records[at]
    return records


def _verify(log: SealedLog, *, key: bool = True):
    return verify_directory(log.directory, log.keys() if key else None, now=log.clock.now())


def _first(result):
    return next(f for f in result.findings if not f.warning)


# ------------------------------------------------------------------ honest logs
def test_verify_key__honest_sealed_log__ok_and_every_seal_checked(tmp_path):
    log = write_sealed_log(tmp_path)

    result = _verify(log)

    assert result.findings == []
    assert result.sealed_devices == [DEVICE]
    assert result.seals >= 30 * STEP // INTERVAL
    assert result.unsealed_tail[DEVICE] == 0          # the clean stop sealed the last epoch


def test_verify_key__restarted_after_a_crash_and_a_clean_stop__ok(tmp_path):
    log = write_sealed_log(tmp_path, records=6)
    log.clock.advance(3 * 3600)
    crashed = UsageLog(tmp_path, DEVICE, log.clock, fsync=False)
    crashed.record(TicketIssued(100, "A", 0, slip=False))
    log.clock.advance(INTERVAL * 2)
    crashed.tick()
    crashed.record(TicketIssued(101, "A", 0, slip=False))
    crashed._file.close()                       # type: ignore[union-attr]
    log.clock.advance(3 * 3600)
    restarted = UsageLog(tmp_path, DEVICE, log.clock, fsync=False)
    restarted.record(TicketIssued(102, "A", 0, slip=False))

    result = _verify(log)
    restarted.close()

    assert result.ok, [f.english() for f in result.findings]
    assert result.unsealed_tail[DEVICE] == 1          # the record after the restart's seal
    assert _verify(log).findings == []


def test_usage_log__epochs_pass__the_key_on_disk_is_evolved_and_the_old_ones_gone(tmp_path):
    log = write_sealed_log(tmp_path)

    on_disk = json.loads((log.device_dir / KEY_FILE).read_text(encoding="utf-8"))
    walker = KeyWalker(log.key)
    earlier = {walker.key(epoch).hex() for epoch in range(int(on_disk["epoch"]))}

    assert int(on_disk["epoch"]) > 5
    assert on_disk["key"] == walker.key(int(on_disk["epoch"])).hex()
    assert on_disk["key"] not in earlier
    assert log.key.seed.hex() not in (log.device_dir / KEY_FILE).read_text(encoding="utf-8")
    assert (log.device_dir / KEY_FILE).stat().st_mode & 0o777 == 0o600


# ------------------------------------------------------------------ the attacks
REHASH_ATTACKS = [
    ("card_read_deleted", _without("card.read"), "card.read"),
    ("device_started_edited", _device_started_edited, "device.started"),
    ("records_reordered", _reordered, "card.read"),
]


@pytest.mark.parametrize(("name", "edit", "target"), REHASH_ATTACKS,
                         ids=[a[0] for a in REHASH_ATTACKS])
def test_verify_key__record_changed_and_everything_rehashed__names_its_epoch(
        tmp_path, name, edit, target):
    log = write_sealed_log(tmp_path)
    file_name, line = line_of(log.device_dir, target)
    rewrite(log.device_dir, edit)

    chain_only = _verify(log, key=False)
    result = _verify(log)

    assert chain_only.ok
    assert chain_only.unsealed_devices == [DEVICE]
    assert not result.ok
    first = _first(result)
    assert first.problem == "modified"
    assert first.file.name == file_name
    assert first.params["from_line"] <= line <= first.line          # the epoch holds the record
    assert first.line - int(first.params["from_line"]) < 5           # and names it closely


def test_verify_key__records_cut_and_head_json_deleted__finding(tmp_path):
    log = write_sealed_log(tmp_path)
    path, records = read_files(log.device_dir)[-1]
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:len(records) - 9]))
    (log.device_dir / HEAD_FILE).unlink()

    for result in (_verify(log, key=False), _verify(log)):
        assert not result.ok
        assert _first(result).problem == "missing"
        assert _first(result).file.name == HEAD_FILE


def test_verify_key__tail_cut_back_to_a_seal_and_head_rewritten__the_key_shows_it(tmp_path):
    log = write_sealed_log(tmp_path)

    def cut(records: Records) -> Records:
        seals = [i for i, r in enumerate(records) if r["kind"] == "log.seal"]
        return records[:seals[-4] + 1]

    rewrite(log.device_dir, cut)

    result = _verify(log)

    assert not result.ok
    first = _first(result)
    assert (first.problem, first.file.name) == ("missing", KEY_FILE)


def test_verify_key__an_epoch_with_its_seal_removed__missing_epoch(tmp_path):
    log = write_sealed_log(tmp_path)

    def drop_epoch(records: Records) -> Records:
        seals = [i for i, r in enumerate(records) if r["kind"] == "log.seal"]
        return records[:seals[3] + 1] + records[seals[4] + 1:]

    rewrite(log.device_dir, drop_epoch)

    first = _first(_verify(log))

    assert first.problem == "missing"
    assert "seals of epochs" in first.message_id


def test_verify_key__every_seal_removed__missing(tmp_path):
    log = write_sealed_log(tmp_path)
    rewrite(log.device_dir, _without("log.seal"))

    assert _first(_verify(log)).problem == "missing"


@pytest.mark.parametrize("stamp", ["yesterday", "2026-04-06T09:00:00"],
                         ids=["not-iso", "no-time-zone"])
def test_verify_key__seals_removed_and_first_stamp_unreadable__findings_not_a_crash(
        tmp_path, stamp):
    log = write_sealed_log(tmp_path)

    def edit(records: Records) -> Records:
        records = _without("log.seal")(records)
        records[0]["ts"] = stamp
        return records

    rewrite(log.device_dir, edit)

    result = _verify(log)

    assert not result.ok
    assert "malformed" in {finding.problem for finding in result.findings}


def test_verify_key__old_key_copy_used_to_reseal__earlier_epochs_still_named(tmp_path):
    log = write_sealed_log(tmp_path, copy_key_after=20)
    assert log.key_copy is not None
    _file, line = line_of(log.device_dir, "card.read")             # record 8: before the copy

    rewrite(log.device_dir, _without("card.read"), reseal=resealer(log.key_copy))

    first = _first(_verify(log))
    assert first.problem == "modified"
    assert first.params["from_line"] <= line <= first.line


def test_verify_key__old_key_file_restored_from_a_copy__finding(tmp_path):
    log = write_sealed_log(tmp_path, copy_key_after=20)
    assert log.key_copy is not None
    shutil.copy(log.key_copy, log.device_dir / KEY_FILE)

    first = _first(_verify(log))

    assert (first.problem, first.file.name) == ("modified", KEY_FILE)


def test_verify_key__another_devices_key__every_seal_fails(tmp_path):
    log = write_sealed_log(tmp_path)
    _other, wrong = SealingKey.create(tmp_path / "other" / KEY_FILE, DEVICE, log.clock.now(),
                                      INTERVAL)
    wrong = VerificationKey(DEVICE, wrong.seed, log.key.start, INTERVAL)

    result = verify_directory(tmp_path, {DEVICE: wrong}, now=log.clock.now())

    assert _first(result).problem == "modified"


def test_verify_key__every_day_file_deleted__missing(tmp_path):
    log = write_sealed_log(tmp_path)
    for path in log.device_dir.glob("*.jsonl"):
        path.unlink()
    (log.device_dir / HEAD_FILE).unlink()

    first = _first(_verify(log))

    assert (first.problem, first.device) == ("missing", DEVICE)


def test_verify_key__device_folder_deleted__missing(tmp_path):
    log = write_sealed_log(tmp_path)
    shutil.rmtree(log.device_dir)

    result = _verify(log)

    assert not result.ok
    assert (_first(result).problem, _first(result).device) == ("missing", DEVICE)


def test_verify_key__key_installed_and_device_never_started__ok(tmp_path):
    _sealing, key = SealingKey.create(tmp_path / DEVICE / KEY_FILE, DEVICE, START, INTERVAL)

    assert verify_directory(tmp_path, {DEVICE: key}).findings == []


# ------------------------------------------------------------------ the command line
def test_cli_verify__with_key_on_rehashed_log__exit_one_and_tampered(tmp_path, capsys):
    log = write_sealed_log(tmp_path)
    rewrite(log.device_dir, _without("card.read"))

    code = main(["audit", "verify", "--key", log.key.text(), str(tmp_path)])

    out = capsys.readouterr().out
    assert code == 1
    assert "TAMPERED" in out
    assert "does not match its seal" in out


def test_cli_verify__without_key__says_sealing_was_not_verified(tmp_path, capsys):
    write_sealed_log(tmp_path)

    code = main(["audit", "verify", str(tmp_path)])

    out = capsys.readouterr().out
    assert code == 0
    assert "sealing NOT verified" in out


@pytest.mark.parametrize("text", ["", "kiosk-seal-1/tablet-01/abcd/0/300", "nonsense"])
def test_cli_verify__bad_key__clear_message_exit_two(tmp_path, capsys, text):
    write_sealed_log(tmp_path, records=2)

    code = main(["audit", "verify", "--key", text, str(tmp_path)])

    captured = capsys.readouterr()
    assert code == 2
    assert "verification key" in captured.err + captured.out
    assert "Traceback" not in captured.err


def test_cli_init_key__prints_the_key_once_and_refuses_a_second(tmp_path, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[device]\nid = "{DEVICE}"\ndata_dir = "{tmp_path}"\n', encoding="utf-8")

    first = main(["--config", str(config), "audit", "init-key", "--interval", "60"])
    printed = capsys.readouterr().out
    second = main(["--config", str(config), "audit", "init-key"])

    text = next(word for word in printed.split() if word.startswith("kiosk-seal-1/"))
    key = VerificationKey.parse(text)
    assert (first, second) == (0, 2)
    assert (key.device, key.interval) == (DEVICE, 60)
    stored = SealingKey.load(tmp_path / "audit" / DEVICE / KEY_FILE)
    assert stored is not None
    assert stored.matches(KeyWalker(key).key(0))


def test_usage_log__database_away_for_a_while__every_seal_sent_once_later(tmp_path):
    sent: list[int] = []
    away = {"yes": True}

    def sink(head: SealedHead) -> None:
        if away["yes"]:
            raise ConnectionError("database away")
        sent.append(head.epoch)

    log = write_sealed_log(tmp_path, records=12, head_sink=sink)
    seals = _verify(log).seals
    away["yes"] = False
    again = UsageLog(tmp_path, DEVICE, log.clock, fsync=False, head_sink=sink)
    again.record(TicketIssued(1, "A", 0, slip=False))
    again.close()

    assert seals > 3
    assert sent == sorted(set(sent))                 # in order, each once
    assert len(sent) == seals + 1                    # the first run's seals, and the new one
