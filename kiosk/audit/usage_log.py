"""The append-only usage log of one device: one JSON-lines file per day, hash-chained.

Files live in ``<log dir>/<device id>/<YYYY-MM-DD>.jsonl``. The first record of every file is a
:class:`~kiosk.audit.events.DayAnchor` that names the previous file and how many records it
held, and whose ``prev`` is that file's last hash, so a deleted or shortened day shows.
``HEAD.json`` beside the files holds the newest file, its record count and last hash; it is
rewritten after every record, so a shortened *current* file shows too, even while the kiosk
runs.

Sealing: when the device folder holds a sealing key (``kiosk audit init-key``,
:mod:`kiosk.audit.sealing`), every epoch ends with a ``log.seal`` record and the key evolves;
:meth:`UsageLog.tick` (a background job of the running kiosk) seals an epoch that ended while
nothing was recorded, and hands each seal to the ``head_sink`` (the shared database) off the
writer's lock.

Durability (the fsync policy): every record is written with one ``write`` call and flushed to
the operating system before :meth:`UsageLog.record` returns; with ``fsync`` on (the default)
it is also forced to the disk, so a power cut loses at most the record being written. A
record cut short by a crash is left as it is; the next start appends a
:class:`~kiosk.audit.events.LogRecovered` record naming the torn line and continues the
chain from the last whole record, and ``verify`` reports the pair as a warning.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

from kiosk.audit.chain import GENESIS, encode_record, parse_record
from kiosk.audit.events import DayAnchor, LogPurged, LogRecovered, LogSealed, UsageEvent
from kiosk.audit.sealing import KEY_FILE, SealedHead, SealingKey
from kiosk.ports import Clock

__all__ = ["HEAD_FILE", "SEAL_MARK", "UsageLog", "day_files", "device_dirs"]

_log = logging.getLogger(__name__)

HEAD_FILE = "HEAD.json"
_HEAD_SIZE = 160          # bytes: the JSON, padded with spaces (JSON ignores them)
SEAL_MARK = b'"kind":"log.seal"'
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.jsonl")
_DEVICE_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def device_dirs(directory: Path) -> list[Path]:
    """The device folders of a log directory, sorted by name."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir() and _DEVICE_ID.fullmatch(p.name))


def day_files(device_dir: Path) -> list[tuple[date, Path]]:
    """The daily files of one device, oldest first."""
    found = []
    for path in device_dir.glob("*.jsonl"):
        match = _DAY_FILE.fullmatch(path.name)
        if match:
            found.append((date.fromisoformat(match.group(1)), path))
    return sorted(found)


class UsageLog:
    """Appends usage events of one device; safe to call from any thread.

    Args:
        directory: the log directory (``[audit] log_dir``).
        device: this device's id (``[device] id``); it names the device folder.
        clock: time source of the records' timestamps and of the daily files.
        fsync: force every record to the disk before returning.
        retention_days: :meth:`purge` deletes files older than this.
        head_sink: takes every seal off the device (the shared database); may raise, the
            seal is then offered again at the next :meth:`tick`.
    """

    def __init__(self, directory: Path, device: str, clock: Clock, *, fsync: bool = True,
                 retention_days: int = 800,
                 head_sink: Callable[[SealedHead], None] | None = None) -> None:
        if not _DEVICE_ID.fullmatch(device):
            raise ValueError("device id must be letters, digits, '.', '_' or '-'")
        self.directory = directory / device
        self.device = device
        self._clock = clock
        self._fsync = fsync
        self._retention_days = retention_days
        self._lock = threading.Lock()
        self._file: IO[bytes] | None = None
        self._day: date | None = None
        self._prev = GENESIS
        self._seq = 0
        self._sealing: SealingKey | None = None
        self._head_sink = head_sink
        self._pending_heads: list[SealedHead] = []
        self._head_fd: int | None = None
        self.failures = 0

    # ---------------------------------------------------------------- writing
    def record(self, event: UsageEvent) -> None:
        """Append ``event`` with the current time; a disk error is logged, never raised
        (a full disk must not stop a citizen's ticket), and counted in :attr:`failures`."""
        with self._lock:
            try:
                self._append(event)
            except OSError as exc:
                self.failures += 1
                _log.error("usage log: cannot write %s (%s)", event.KIND, exc.strerror)

    def _append(self, event: UsageEvent) -> None:
        now = self._clock.now()
        today = now.date()
        if self._file is None:
            self._open(today)
        self._seal_due(now)
        if self._day is not None and today > self._day:
            self._roll(today)
        self._write(now.isoformat(timespec="milliseconds"), event)

    def _write(self, ts: str, event: UsageEvent) -> None:
        assert self._file is not None
        self._seq += 1
        line, digest = encode_record(self._prev, self._seq, ts, self.device, event.KIND,
                                     event.data())
        self._file.write(line)
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())
        self._prev = digest
        self._write_head()

    def _open(self, today: date) -> None:
        """Continue the newest file (today's, or later if the clock went back) or start one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        files = day_files(self.directory)
        self._load_sealing(files)
        if not files:
            self._start_file(today, DayAnchor(prev_file="", prev_records=0))
            return
        day, path = files[-1]
        records, torn = self._read_tail(path)
        if day >= today:
            self._day = day
            self._file = path.open("ab")
            if torn:
                self._file.write(b"\n")      # end the torn line so the next record stands alone
                self._seq += 1
                self._write(self._clock.now().isoformat(timespec="milliseconds"),
                            LogRecovered(torn_line=self._seq))
            return
        if torn:
            with path.open("ab") as old:
                old.write(b"\n")
            self._day, self._file = day, path.open("ab")
            self._seq += 1
            self._write(self._clock.now().isoformat(timespec="milliseconds"),
                        LogRecovered(torn_line=self._seq))
            records = self._seq
            self._file.close()
        self._start_file(today, DayAnchor(prev_file=day.isoformat(), prev_records=records))

    def _read_tail(self, path: Path) -> tuple[int, bool]:
        """Set the chain head from the file's last whole record; returns (lines, torn)."""
        lines = path.read_bytes().splitlines(keepends=True)
        torn = bool(lines) and not lines[-1].endswith(b"\n")
        whole = lines[:-1] if torn else lines
        self._seq = len(whole)
        self._prev = whole[-1][-67:-3].decode("ascii", "replace") if whole else GENESIS
        return len(lines), torn

    # ---------------------------------------------------------------- sealing
    def _load_sealing(self, files: list[tuple[date, Path]]) -> None:
        """Load the device's sealing key; finish an evolution a crash interrupted; offer the
        seals of the newest files to the head sink again (it keeps each head once), as those
        a stop found unsent would otherwise stay on the device."""
        self._sealing = SealingKey.load(self.directory / KEY_FILE)
        if self._sealing is None:
            return
        last: dict[str, object] | None = None
        for day, path in files[-2:]:
            for number, line in enumerate(path.read_bytes().splitlines(), 1):
                if SEAL_MARK not in line:
                    continue
                try:
                    record = parse_record(line)
                except ValueError:
                    continue
                last = record["data"]
                self._pending_heads.append(SealedHead(
                    self.device, int(record["data"]["epoch"]), day.isoformat(), number,
                    line[-66:-2].decode("ascii", "replace"), str(record["data"]["mac"]),
                    datetime.fromisoformat(record["ts"])))
        if last is not None and int(str(last["epoch"])) >= self._sealing.epoch:
            self._sealing.evolve_to(int(str(last["next"])))

    def _seal_due(self, now: datetime) -> None:
        """Seal the key's epoch once time has left it, then evolve the key."""
        sealing = self._sealing
        if sealing is None:
            return
        epoch = sealing.epoch_at(now)
        if epoch > sealing.epoch:
            self._seal(now, sealing, epoch)

    def _seal(self, now: datetime, sealing: SealingKey, next_epoch: int) -> None:
        if self._prev != GENESIS:          # an empty log has nothing to seal yet
            assert self._day is not None
            mac = sealing.mac(next_epoch, self._prev)
            self._write(now.isoformat(timespec="milliseconds"),
                        LogSealed(epoch=sealing.epoch, next=next_epoch, mac=mac))
            self._pending_heads.append(SealedHead(
                self.device, sealing.epoch, self._day.isoformat(), self._seq, self._prev, mac,
                now))
        sealing.evolve_to(next_epoch)

    def tick(self) -> None:
        """Seal an epoch that ended while nothing was recorded, and send the seals off the
        device (the running kiosk calls it every few seconds)."""
        with self._lock:
            try:
                if self._file is not None:
                    self._seal_due(self._clock.now())
            except OSError as exc:
                self.failures += 1
                _log.error("usage log: cannot seal (%s)", exc.strerror)
            pending, self._pending_heads = self._pending_heads, []
        self._send_heads(pending)

    def _send_heads(self, pending: list[SealedHead]) -> None:
        if self._head_sink is None or not pending:
            return
        for number, head in enumerate(pending):
            try:
                self._head_sink(head)
            except Exception as exc:
                _log.warning("usage log: seal of epoch %d not sent off the device yet (%s)",
                             head.epoch, type(exc).__name__)
                with self._lock:
                    self._pending_heads[:0] = pending[number:]
                return

    def _roll(self, today: date) -> None:
        assert self._file is not None
        assert self._day is not None
        self._file.close()
        self._start_file(today, DayAnchor(prev_file=self._day.isoformat(),
                                          prev_records=self._seq))

    def _start_file(self, today: date, anchor: DayAnchor) -> None:
        self._day = today
        self._seq = 0
        self._file = (self.directory / f"{today.isoformat()}.jsonl").open("ab")
        self._write(self._clock.now().isoformat(timespec="milliseconds"), anchor)
        self._write_head()

    def _write_head(self) -> None:
        """Overwrite HEAD.json in place with one ``pwrite`` of a fixed-size record.

        After every record: a temporary file and a rename each time would cost a millisecond
        of metadata work per record; one write of 160 bytes at offset 0 costs microseconds.
        """
        assert self._day is not None
        head = {"file": self._day.isoformat(), "records": self._seq, "hash": self._prev}
        data = json.dumps(head).encode("ascii").ljust(_HEAD_SIZE)
        if self._head_fd is None:
            self._head_fd = os.open(self.directory / HEAD_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
            os.ftruncate(self._head_fd, len(data))
        os.pwrite(self._head_fd, data, 0)

    # ---------------------------------------------------------------- retention, closing
    def purge(self, today: date | None = None) -> int:
        """Delete the files older than the retention period and record it; returns how many.

        The purge record lets ``verify`` accept the missing older days.
        """
        today = today or self._clock.now().date()
        limit = today - timedelta(days=self._retention_days)
        with self._lock:
            old = [(day, path) for day, path in day_files(self.directory) if day < limit
                   and day != self._day]
            if not old:
                return 0
            for _day, path in old:
                path.unlink()
            try:
                self._append(LogPurged(through=old[-1][0].isoformat(), files=len(old)))
            except OSError as exc:
                self.failures += 1
                _log.error("usage log: cannot record the purge (%s)", exc.strerror)
        return len(old)

    def close(self) -> None:
        """Seal the current epoch (a clean stop), write HEAD and close the file; a later
        :meth:`record` opens it again."""
        with self._lock:
            if self._file is not None:
                if self._sealing is not None:
                    try:
                        self._seal(self._clock.now(), self._sealing, self._sealing.epoch + 1)
                    except OSError as exc:
                        self.failures += 1
                        _log.error("usage log: cannot seal (%s)", exc.strerror)
                self._write_head()
                self._file.close()
                self._file = None
            if self._head_fd is not None:
                os.close(self._head_fd)
                self._head_fd = None
            pending, self._pending_heads = self._pending_heads, []
        self._send_heads(pending)
