"""The append-only usage log of one device: one JSON-lines file per day, hash-chained.

Files live in ``<log dir>/<device id>/<YYYY-MM-DD>.jsonl``. The first record of every file is a
:class:`~kiosk.audit.events.DayAnchor` that names the previous file and how many records it
held, and whose ``prev`` is that file's last hash, so a deleted or shortened day shows.
``HEAD.json`` beside the files holds the newest file, its record count and last hash; it is
rewritten on every new day, every :data:`HEAD_EVERY` records and on :meth:`UsageLog.close`,
so a shortened *current* file shows too (up to the last HEAD write).

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
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from kiosk.audit.chain import GENESIS, encode_record
from kiosk.audit.events import DayAnchor, LogPurged, LogRecovered, UsageEvent
from kiosk.ports import Clock

__all__ = ["HEAD_EVERY", "HEAD_FILE", "UsageLog", "day_files", "device_dirs"]

_log = logging.getLogger(__name__)

HEAD_FILE = "HEAD.json"
HEAD_EVERY = 100
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
    """

    def __init__(self, directory: Path, device: str, clock: Clock, *, fsync: bool = True,
                 retention_days: int = 800) -> None:
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
        self._since_head = 0
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
        elif self._day is not None and today > self._day:
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
        self._since_head += 1
        if self._since_head >= HEAD_EVERY:
            self._write_head()

    def _open(self, today: date) -> None:
        """Continue the newest file (today's, or later if the clock went back) or start one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        files = day_files(self.directory)
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
        assert self._day is not None
        head = {"file": self._day.isoformat(), "records": self._seq, "hash": self._prev}
        temporary = self.directory / f"{HEAD_FILE}.tmp"
        temporary.write_text(json.dumps(head), encoding="utf-8")
        os.replace(temporary, self.directory / HEAD_FILE)
        self._since_head = 0

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
        """Write HEAD and close the file; a later :meth:`record` opens it again."""
        with self._lock:
            if self._file is not None:
                self._write_head()
                self._file.close()
                self._file = None
