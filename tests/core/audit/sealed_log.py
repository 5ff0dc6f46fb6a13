"""A sealed usage log for the attack tests, and the attacker's tools: the kiosk's own encoder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.audit import CardRead, SoftwareStarted, TicketIssued, UsageLog
from kiosk.audit.chain import GENESIS, encode_record, parse_record
from kiosk.audit.sealing import (
    KEY_FILE,
    KeyWalker,
    SealedHead,
    SealingKey,
    VerificationKey,
    seal_mac,
)
from kiosk.audit.usage_log import HEAD_FILE, day_files

from .conftest import JST, JapanClock

DEVICE = "tablet-01"
INTERVAL = 300            # five-minute epochs
STEP = 110                # seconds between records: two or three records per epoch
START = datetime(2026, 4, 6, 9, 0, tzinfo=JST)

Records = list[dict[str, Any]]


@dataclass
class SealedLog:
    """A written log: its folder, the auditor's key and the clock that wrote it."""

    directory: Path
    key: VerificationKey
    clock: JapanClock
    key_copy: Path | None = None

    @property
    def device_dir(self) -> Path:
        return self.directory / DEVICE

    def keys(self) -> dict[str, VerificationKey]:
        return {DEVICE: self.key}


def write_sealed_log(directory: Path, *, records: int = 30, copy_key_after: int = 0,
                     head_sink: Callable[[SealedHead], None] | None = None) -> SealedLog:
    """Install a key, then record ``records`` events (a card read at the 8th) and stop cleanly;
    with ``copy_key_after``, the key file is copied away after that many records."""
    clock = JapanClock(START)
    _sealing, key = SealingKey.create(directory / DEVICE / KEY_FILE, DEVICE, clock.now(),
                                      INTERVAL)
    log = UsageLog(directory, DEVICE, clock, fsync=False, head_sink=head_sink)
    log.record(SoftwareStarted(version="1.0.0", role="tablet"))
    written = SealedLog(directory, key, clock)
    for number in range(1, records + 1):
        clock.advance(STEP)
        if number == 8:
            log.record(CardRead(session="s1", ok=True))
        else:
            log.record(TicketIssued(number, "A", 0, slip=True))
        if number == copy_key_after:
            written.key_copy = directory.parent / "stolen-key.json"
            shutil.copy(directory / DEVICE / KEY_FILE, written.key_copy)
        log.tick()
    log.close()
    return written


def read_files(device_dir: Path) -> list[tuple[Path, Records]]:
    return [(path, [parse_record(line) for line in path.read_bytes().splitlines()])
            for _day, path in day_files(device_dir)]


def rewrite(device_dir: Path, edit: Callable[[Records], Records],
            reseal: Callable[[dict[str, Any], str], None] | None = None) -> None:
    """The attacker: edit the records, renumber and re-hash every record with the kiosk's own
    encoder (anchors fixed up), optionally re-seal, and write a fresh HEAD.json."""
    prev, previous_count = GENESIS, 0
    last_file, last_count = "", 0
    for path, records in read_files(device_dir):
        out = []
        for seq, record in enumerate(edit(records), 1):
            if record["kind"] == "log.anchor" and seq == 1:
                record["data"]["prev_records"] = previous_count if record["data"]["prev_file"] \
                    else 0
            if record["kind"] == "log.seal" and reseal is not None:
                reseal(record, prev)
            line, prev = encode_record(prev, seq, record["ts"], record["device"],
                                       record["kind"], record["data"])
            out.append(line)
        path.write_bytes(b"".join(out))
        previous_count = len(out)
        last_file, last_count = path.stem, len(out)
    (device_dir / HEAD_FILE).write_text(json.dumps(
        {"file": last_file, "records": last_count, "hash": prev}), encoding="utf-8")


def resealer(key_file: Path) -> Callable[[dict[str, Any], str], None]:
    """Re-seal with a stolen key file: every seal of its epoch or later (the key evolves
    forward only; earlier seals are left as they were, the attacker cannot compute them)."""
    stolen = json.loads(key_file.read_text(encoding="utf-8"))
    walker_epoch, key = int(stolen["epoch"]), bytes.fromhex(stolen["key"])

    def reseal(record: dict[str, Any], prev: str) -> None:
        nonlocal walker_epoch, key
        epoch = int(record["data"]["epoch"])
        if epoch < walker_epoch:
            return
        from kiosk.audit.sealing import evolve

        while walker_epoch < epoch:
            key, walker_epoch = evolve(key), walker_epoch + 1
        record["data"]["mac"] = seal_mac(key, DEVICE, epoch, int(record["data"]["next"]), prev)

    return reseal


def line_of(device_dir: Path, kind: str) -> tuple[str, int]:
    """File name and line of the first record of ``kind``."""
    for path, records in read_files(device_dir):
        for number, record in enumerate(records, 1):
            if record["kind"] == kind:
                return path.name, number
    raise LookupError(kind)


def first_key(key: VerificationKey) -> bytes:
    return KeyWalker(key).key(0)
