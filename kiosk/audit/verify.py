"""Checking the hash chains of a log directory: the first break of every device, by file and line.

For each device the files are read oldest first. Every line must hash to its own ``hash``,
carry the previous record's hash in ``prev`` and the next line number in ``seq``; the first
line of a file is an anchor naming the previous file and its record count; ``HEAD.json``
names the newest file, its count and last hash. The first problem of a device stops its
check (everything after it would only repeat it). Files older than a retention purge may be
missing when the device's log records that purge.

Sealing (:mod:`kiosk.audit.sealing`): with the device's verification key, every ``log.seal``
record's HMAC is recomputed from the seed, so a record changed, dropped, added or reordered
and the whole chain re-hashed still shows, by the epoch whose seal no longer matches. The
seals' epochs must follow each other (each names the epoch the log goes on in), the device's
key file must be the one of the key and stand exactly after the last seal (a log cut back to
an older seal, or a key file restored from a copy, shows), and the heads the devices wrote to
the shared database must still be in the files. Without a key, only the hash chain and the
seals' order are checked, and the result says so.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.audit.chain import GENESIS, LineFault, ParsedLine, check_line, parse_record
from kiosk.audit.chain_batch import LOG_KIND, batch_digest, chained_file
from kiosk.audit.sealing import (
    KEY_FILE,
    KeyWalker,
    SealedHead,
    SealingKey,
    SealingKeyError,
    VerificationKey,
    seal_mac,
)
from kiosk.audit.usage_log import HEAD_FILE, SEAL_MARK, day_files, device_dirs
from kiosk.i18n import S_, Translator

__all__ = ["Finding", "VerifyResult", "verify_directory"]

_ANCHOR = b'"kind":"log.anchor"'
_HEAD = b'{"prev":"'
_TAIL = b',"hash":"'
_PURGED = b'"kind":"log.purged"'
_RECOVERED = b'"kind":"log.recovered"'


@dataclass(frozen=True)
class Finding:
    """One problem: where (file and line), what (a code) and a staff message id."""

    device: str
    file: Path
    line: int
    problem: str       # modified, deleted, reordered, truncated, malformed, missing, recovered
    message_id: str
    params: dict[str, str | int] = field(default_factory=dict)
    warning: bool = False

    def english(self) -> str:
        """``file:line: problem: message`` in English."""
        return f"{self.file}:{self.line}: {self.problem}: {self.message_id.format(**self.params)}"

    def text(self, tr: Translator) -> str:
        """The same in the translator's language."""
        return f"{self.file}:{self.line}: {self.problem}: {tr(self.message_id, **self.params)}"


@dataclass
class VerifyResult:
    """Everything ``verify`` found, and how much it read."""

    findings: list[Finding] = field(default_factory=list)
    devices: int = 0
    files: int = 0
    records: int = 0
    seals: int = 0
    sealed_devices: list[str] = field(default_factory=list)    # checked against their key
    unsealed_devices: list[str] = field(default_factory=list)  # no key given: chain only
    unsealed_tail: dict[str, int] = field(default_factory=dict)  # records after the last seal
    heads_checked: int = 0

    @property
    def ok(self) -> bool:
        """No finding other than warnings."""
        return not any(not f.warning for f in self.findings)


def verify_directory(directory: Path, keys: Mapping[str, VerificationKey] | None = None,
                     heads: Mapping[str, Sequence[SealedHead]] | None = None,
                     now: datetime | None = None, *, workers: int = 1) -> VerifyResult:
    """Verify every device folder of ``directory``.

    Args:
        keys: the auditor's verification keys by device id; a device without one is checked
            by its hash chain only (listed in :attr:`VerifyResult.unsealed_devices`).
        heads: the seals the devices wrote off the device (the shared database), by device.
        now: the present, to refuse seals from the future (default: the system clock).
        workers: how many processes check devices at once (each device's chain is checked
            by one process, from its first file to its last, as with one worker; the
            results are put together in the folders' order, so they are the same).
    """
    result = VerifyResult()
    keys = keys or {}
    found = {path.name for path in device_dirs(directory)}
    for device in sorted(set(keys) - found):
        result.findings.append(Finding(device, directory / device, 1, "missing", S_(
            "there is no log of device {device}, whose verification key was given"),
            {"device": device}))
    at = now or datetime.now(UTC)
    jobs = [(device_dir, keys.get(device_dir.name), tuple((heads or {}).get(device_dir.name, ())),
             at) for device_dir in device_dirs(directory)]
    for part in _checked_devices(jobs, workers):
        result.findings += part.findings
        result.devices += part.devices
        result.files += part.files
        result.records += part.records
        result.seals += part.seals
        result.sealed_devices += part.sealed_devices
        result.unsealed_devices += part.unsealed_devices
        result.unsealed_tail.update(part.unsealed_tail)
        result.heads_checked += part.heads_checked
    return result


PARALLEL_FROM_BYTES = 64 << 20
"""Logs smaller than this are checked in this process whatever ``workers`` says."""

_Job = tuple[Path, VerificationKey | None, tuple[SealedHead, ...], datetime]


def _checked_devices(jobs: list[_Job], workers: int) -> list[VerifyResult]:
    """Each job's device checked, in the jobs' order."""
    sizes = [_log_size(job[0]) for job in jobs] if workers > 1 and len(jobs) > 1 else []
    if sum(sizes) < PARALLEL_FROM_BYTES:      # (starting a worker costs a few tenths of a s)
        return [_check_device(job) for job in jobs]
    # Spawned, not forked: the clerk's window (Qt, threads) may call this too. The largest
    # devices go first so that no worker is left with a big one at the end.
    order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
        done = dict(zip(order, pool.map(_check_device, [jobs[i] for i in order]), strict=True))
    return [done[i] for i in range(len(jobs))]


def _log_size(device_dir: Path) -> int:
    return sum(path.stat().st_size for _day, path in day_files(device_dir))


def _check_device(job: _Job) -> VerifyResult:
    """One device's check, as a result of its own (run in a worker process, or not)."""
    device_dir, key, heads, now = job
    result = VerifyResult(devices=1)
    (result.sealed_devices if key else result.unsealed_devices).append(device_dir.name)
    _DeviceCheck(device_dir, result, key, now).run(heads)
    return result


class _Stop(Exception):
    """The first error of a device was found."""


class _DeviceCheck:
    def __init__(self, device_dir: Path, result: VerifyResult, key: VerificationKey | None,
                 now: datetime) -> None:
        self.device_dir = device_dir
        self.result = result
        self.last_hash = ""
        self.last_day: date | None = None
        self.last_count = 0
        self.missing_before: str = ""      # a file the first anchor names but is not there
        self.purged_through = ""
        self.key = key
        self.walker = KeyWalker(key) if key else None
        self.latest_epoch = key.epoch_of(now) + 1 if key else 0
        self.seal_next: int | None = None  # the epoch the last seal says the log goes on in
        self.epoch_from: tuple[Path, int] | None = None   # first record after the last seal
        self.after_seal = 0
        self.first_moment: datetime | None = None     # the first record's stamp

    def run(self, heads: Sequence[SealedHead] = ()) -> None:
        files = day_files(self.device_dir)
        try:
            for index, (day, path) in enumerate(files):
                self.result.files += 1
                self._file(index, day, path)
            self._head(files)
            if not files:
                self._no_files()
            elif self.key is not None:
                self._key_file()
            self._heads(heads)
        except _Stop:
            return
        finally:
            self.result.unsealed_tail[self.device_dir.name] = self.after_seal
        if self.missing_before and self.missing_before > self.purged_through and files:
            self._fail(files[0][1], 1, "missing", S_(
                "the day file {day} named by this anchor is missing and no purge recorded it"),
                day=self.missing_before, stop=False)

    def _fail(self, path: Path, line: int, problem: str, message_id: str, *,
              warning: bool = False, stop: bool = True, **params: str | int) -> None:
        self.result.findings.append(Finding(self.device_dir.name, path, line, problem,
                                            message_id, dict(params), warning))
        if stop and not warning:
            raise _Stop

    def _file(self, index: int, day: date, path: Path) -> None:
        content = path.read_bytes()
        # The usual case, a whole file that chains, checked a block at a time: then only the
        # log's own records (the anchor, seals) go the detailed way of _record.
        chained = chained_file(content)
        if chained is None:
            self._file_by_lines(index, day, path, content)
            return
        done = 0
        for at, line in chained.specials:
            if at > done:               # ordinary records, checked by chained_file
                self._plain(path, done + 1, at - done, line[9:73].decode("ascii"))
            # (a line after the first passed check_line's tests in the batch)
            parsed = ParsedLine(line[9:73].decode("ascii"), at + 1,
                                line[-67:-3].decode("ascii")) if at else chained.first
            self.result.records += 1
            self._record(index, day, path, at + 1, line, parsed)
            done = at + 1
        if chained.count > done:
            self._plain(path, done + 1, chained.count - done, chained.last_hash)
        self.last_day, self.last_count = day, chained.count

    def _file_by_lines(self, index: int, day: date, path: Path, content: bytes) -> None:
        """A file that is not whole, or not chained: the runs of ordinary records between
        the log's own are still checked in batches, up to the first fault."""
        lines = content.splitlines(keepends=True)
        specials = _special_lines(content, lines)
        expected, number = 1, 0
        while number < len(lines):
            end = specials[bisect.bisect_left(specials, number)]
            run = _ordinary_run(lines, number, end, expected, self.last_hash) if number else 0
            if run:                          # ordinary records, checked in one batch
                self._plain(path, number + 1, run,
                            lines[number + run - 1][-67:-3].decode("ascii"))
                number, expected = number + run, expected + run
                continue
            number += 1
            line = lines[number - 1]
            parsed = self._checked(path, lines, number, line)
            if parsed is None:              # a torn line that the writer recovered from
                expected = number + 1
                continue
            self.result.records += 1
            if parsed.seq != expected:
                self._out_of_order(path, lines, number, parsed.seq, expected)
            self._record(index, day, path, number, line, parsed)
            expected += 1
        if not lines:
            self._fail(path, 1, "truncated", S_("the file is empty; a day file starts with an anchor"))
        self.last_day, self.last_count = day, len(lines)

    def _record(self, index: int, day: date, path: Path, number: int, line: bytes,
                parsed: ParsedLine) -> None:
        """A record that is whole and numbered right: the anchor, its place in the chain, the
        seals' epochs, a purge. One whose hash is right but whose JSON or fields are not
        what its kind needs (written by someone with the kiosk's encoder) is malformed."""
        try:
            if number == 1:
                self._anchor(index, day, path, line, parsed)
            elif parsed.prev != self.last_hash:
                self._fail(path, number - 1, "modified", S_(
                    "this record was changed after the next record was written"))
            self._track(path, number, line, parsed)
            if _PURGED in line and _kind(line) == "log.purged":
                through = str(parse_record(line)["data"]["through"])
                self.purged_through = max(self.purged_through, through)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._fail(path, number, "malformed", S_("this line is not a log record"))
        self.last_hash = parsed.hash

    def _plain(self, path: Path, first: int, count: int, last_hash: str) -> None:
        """Account for ``count`` ordinary records from line ``first`` that passed the fast
        check: whole, hashing right, chained and numbered in order, none of the log's own."""
        self.result.records += count
        self.after_seal += count
        self.epoch_from = self.epoch_from or (path, first)
        self.last_hash = last_hash

    def _checked(self, path: Path, lines: list[bytes], number: int, line: bytes
                 ) -> ParsedLine | None:
        try:
            return check_line(line)
        except LineFault as fault:
            if fault.kind == "malformed" and self._recovered(lines, number):
                self._fail(path, number, "recovered", S_(
                    "record cut short by a crash; the writer recovered after it"), warning=True)
                return None
            messages = {
                "truncated": S_("the file ends inside this record"),
                "malformed": S_("this line is not a log record"),
                "modified": S_("this record does not match its hash"),
            }
            self._fail(path, number, fault.kind, messages[fault.kind])
            raise AssertionError("unreachable") from None  # _fail raised _Stop

    def _recovered(self, lines: list[bytes], number: int) -> bool:
        if number >= len(lines) or _RECOVERED not in lines[number]:
            return False
        try:
            following = check_line(lines[number])
        except LineFault:
            return False
        try:
            torn_line = parse_record(lines[number])["data"].get("torn_line")
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        return torn_line == number and following.seq == number + 1 and \
            following.prev == self.last_hash

    def _out_of_order(self, path: Path, lines: list[bytes], number: int, seq: int,
                      expected: int) -> None:
        if seq > expected and not any(_seq_of(other) == expected for other in lines[number:]):
            self._fail(path, number, "deleted", S_(
                "records {first} to {last} are missing before this line"),
                first=expected, last=seq - 1)
        self._fail(path, number, "reordered", S_(
            "record {seq} stands where record {expected} belongs"), seq=seq, expected=expected)

    def _anchor(self, index: int, day: date, path: Path, line: bytes, parsed: ParsedLine) -> None:
        if _ANCHOR not in line or _kind(line) != "log.anchor":
            self._fail(path, 1, "malformed", S_("a day file must start with an anchor record"))
        data: dict[str, Any] = parse_record(line)["data"]
        prev_file, prev_records = str(data["prev_file"]), int(data["prev_records"])
        if index == 0:
            if not prev_file:
                if parsed.prev != GENESIS:
                    self._fail(path, 1, "modified", S_("the first record of the log has a "
                                                      "previous hash"))
            else:
                self.missing_before = prev_file
            return
        assert self.last_day is not None
        if prev_file != self.last_day.isoformat():
            if prev_file > self.last_day.isoformat():
                self._fail(path, 1, "missing", S_("the day file {day} is missing"), day=prev_file)
            self._fail(path, 1, "missing", S_(
                "the previous day file should be {day}, found {found}"),
                day=prev_file, found=self.last_day.isoformat())
        if prev_records != self.last_count:
            previous = self.device_dir / f"{prev_file}.jsonl"
            if prev_records > self.last_count:
                self._fail(previous, self.last_count + 1, "truncated", S_(
                    "the file held {count} records; {missing} are gone from here on"),
                    count=prev_records, missing=prev_records - self.last_count)
            self._fail(previous, prev_records + 1, "modified", S_(
                "records were added after the day was closed"))
        if parsed.prev != self.last_hash:
            self._fail(self.device_dir / f"{prev_file}.jsonl", prev_records, "modified",
                       S_("this record was changed after the next record was written"))

    def _track(self, path: Path, number: int, line: bytes, parsed: ParsedLine) -> None:
        """Follow the epochs: a seal is checked, any other record counts as not sealed yet."""
        if self.first_moment is None:
            self.first_moment = _moment(parse_record(line).get("ts"))
            if self.first_moment is None:
                # The key's epochs are counted from it: a stamp without its time zone (or
                # none) would move the log's start and hide seals that were removed.
                self._fail(path, number, "malformed", S_(
                    "this record's time is not a date and time with its time zone"))
        record = parse_record(line) if SEAL_MARK in line else {}
        if record.get("kind") == "log.seal":
            self._seal(path, number, record["data"], parsed)
        else:
            self.after_seal += 1
            self.epoch_from = self.epoch_from or (path, number)

    def _seal(self, path: Path, number: int, data: dict[str, Any], parsed: ParsedLine
              ) -> None:
        epoch, next_epoch, mac = int(data["epoch"]), int(data["next"]), str(data["mac"])
        self.result.seals += 1
        if self.seal_next is not None and epoch != self.seal_next:
            self._fail(path, number, "missing", S_(
                "the seals of epochs {first} to {last} are missing before this seal: "
                "records sealed then were removed"), first=self.seal_next, last=epoch - 1)
        if self.walker is not None and self.key is not None:
            if next_epoch > self.latest_epoch or epoch >= next_epoch:
                self._fail(path, number, "modified", S_(
                    "this seal names epoch {epoch}, which cannot be: it was forged"),
                    epoch=next_epoch)
            expected = seal_mac(self.walker.key(epoch), self.key.device, epoch, next_epoch,
                                parsed.prev)
            if expected != mac:
                start = self.epoch_from or (path, number)
                self._fail(path, number, "modified", S_(
                    "epoch {epoch} does not match its seal: a record from {from_file} line "
                    "{from_line} to here was changed, removed, added or reordered"),
                    epoch=epoch, from_file=start[0].name, from_line=start[1])
        self.seal_next, self.epoch_from, self.after_seal = next_epoch, None, 0

    def _no_files(self) -> None:
        """A folder without day files is a device that never recorded, or one emptied: its
        HEAD.json, or a key that has moved on (which needs records), says which."""
        if (self.device_dir / HEAD_FILE).exists():
            self._fail(self.device_dir / HEAD_FILE, 1, "missing", S_(
                "every day file of this log is gone (HEAD.json names {day})"),
                day=str(_head_day(self.device_dir / HEAD_FILE)))
        if self.key is not None:
            try:
                sealing = SealingKey.load(self.device_dir / KEY_FILE)
            except SealingKeyError:
                sealing = None
            if sealing is None or sealing.epoch > 0:
                self._fail(self.device_dir, 1, "missing", S_(
                    "every day file of this log is gone (its sealing key has moved on, or "
                    "was removed)"))

    def _key_file(self) -> None:
        """The device's key must be the verification key's, and stand after the last seal."""
        assert self.walker is not None
        path = self.device_dir / KEY_FILE
        try:
            sealing = SealingKey.load(path)
        except SealingKeyError:
            sealing = None
            self._fail(path, 1, "malformed", S_("this is not a sealing key file"))
        if sealing is None:
            self._fail(path, 1, "missing", S_(
                "the device's sealing key file is missing: copy the whole device folder, or "
                "the key was removed to hide what was sealed last"))
            return
        if sealing.epoch > self.latest_epoch or not sealing.matches(
                self.walker.key(sealing.epoch)):
            self._fail(path, 1, "modified", S_(
                "the device's sealing key is not one of this verification key"))
        if self.seal_next is None:
            if self.first_moment is not None and self.key is not None and \
                    self.key.epoch_of(self.first_moment) < sealing.epoch:
                self._fail(path, 1, "missing", S_(
                    "the device's key has reached epoch {epoch} but the log holds no seal: "
                    "the seals were removed"), epoch=sealing.epoch)
            return
        if sealing.epoch > self.seal_next:
            self._fail(path, 1, "missing", S_(
                "the device's key has reached epoch {epoch}, but the log's last seal goes on "
                "in epoch {last}: what was sealed after it is gone"),
                epoch=sealing.epoch, last=self.seal_next)
        if sealing.epoch < self.seal_next:
            self._fail(path, 1, "modified", S_(
                "the sealing key file is older than the log's last seal (restored from a copy)"))

    def _heads(self, heads: Sequence[SealedHead]) -> None:
        """Every seal the device wrote to the database must still be in its files."""
        cache: dict[Path, list[bytes]] = {}
        for head in sorted(heads, key=lambda one: one.epoch):
            self.result.heads_checked += 1
            path = self.device_dir / f"{head.file}.jsonl"
            if path not in cache:
                cache[path] = path.read_bytes().splitlines(keepends=True) if path.exists() \
                    else []
            lines = cache[path]
            if head.line > len(lines) or _hash_of(lines[head.line - 1]) != head.hash:
                self._fail(path, head.line, "missing", S_(
                    "the database holds the seal of epoch {epoch} at this line; the log no "
                    "longer has it"), epoch=head.epoch)

    def _head(self, files: list[tuple[date, Path]]) -> None:
        head_path = self.device_dir / HEAD_FILE
        if not files:
            return
        try:
            head = json.loads(head_path.read_text(encoding="utf-8"))
            if not {"file", "records", "hash"} <= set(head):
                raise KeyError(HEAD_FILE)
        except FileNotFoundError:
            self._fail(head_path, 1, "missing", S_(
                "HEAD.json is missing: the end of the log cannot be checked"))
            return
        except (OSError, ValueError, KeyError, TypeError):
            self._fail(head_path, 1, "malformed", S_("HEAD.json is not a log head"))
            return
        last_day, last_path = files[-1]
        if head["file"] > last_day.isoformat():
            self._fail(self.device_dir / f"{head['file']}.jsonl", 1, "missing", S_(
                "the day file {day} is missing (HEAD.json names it)"), day=head["file"])
        if head["file"] < last_day.isoformat():
            return      # a newer file was started after HEAD; its anchor was checked
        records = int(head["records"])
        if records > self.last_count:
            self._fail(last_path, self.last_count + 1, "truncated", S_(
                "the file held {count} records; {missing} are gone from here on"),
                count=records, missing=records - self.last_count)
        line = last_path.read_bytes().splitlines(keepends=True)[records - 1]
        if check_line(line).hash != head["hash"]:
            self._fail(last_path, records, "modified", S_(
                "this record does not match the hash kept in HEAD.json"))


def _head_day(path: Path) -> str:
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["file"])
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def _special_lines(content: bytes, lines: list[bytes]) -> list[int]:
    """The indexes of the lines that hold one of the log's own records, then ``len(lines)``.

    Found by searching the file's bytes, not line by line: the log's own records are few
    (the anchor, a seal every few minutes) and the ordinary runs between them are long. A
    find's offset is turned into its line by bisecting the lines' end offsets (counting the
    line breaks before it would read the whole file once more).
    """
    ends = list(itertools.accumulate(map(len, lines)))
    specials = []
    found = content.find(LOG_KIND)
    while found >= 0:
        line = bisect.bisect_right(ends, found)
        specials.append(line)
        found = content.find(LOG_KIND, ends[line])
    specials.append(len(lines))
    return specials


def _ordinary_run(lines: list[bytes], start: int, end: int, expected: int,
                  last_hash: str) -> int:
    """How many lines from index ``start`` are ordinary records (see :func:`_plain_run`).

    ``end`` is the next line of the log's own (from :func:`_special_lines`). The lines up to it
    are first checked as a batch, each test over the whole list at once, which does the
    per-line work in C; when any test fails, :func:`_plain_run` finds the first bad line.
    """
    if end > start and LOG_KIND not in b"".join(lines[start:end]) and \
            batch_digest(lines[start:end], expected, last_hash) is not None:
        # (LOG_KIND checked again in case a line break other than \n moved the indexes.)
        return end - start
    return _plain_run(lines, start, expected, last_hash)


def _plain_run(lines: list[bytes], start: int, expected: int, last_hash: str) -> int:
    """How many lines from index ``start`` are ordinary records that need nothing but the
    chain check: the same tests as :func:`check_line` and the loop of ``_file``, without
    building objects, because a year holds millions of them. Any other line (the log's own
    records, a fault) ends the run and goes the detailed way."""
    prev = last_hash.encode("ascii")
    sha256 = hashlib.sha256
    number = start
    for line in itertools.islice(lines, start, None):
        if (line[9:73] != prev or LOG_KIND in line or not line.startswith(_HEAD)
                or not line.startswith(b'","seq":%d,' % expected, 73)
                or line[-76:-67] != _TAIL or not line.endswith(b'"}\n')):
            break
        digest = line[-67:-3]
        if sha256(line[:-76] + b"}").hexdigest().encode("ascii") != digest:
            break
        prev, number, expected = digest, number + 1, expected + 1
    return number - start


def _kind(line: bytes) -> object:
    """The record's ``kind`` (the log's own kinds are also found in the bytes of a record
    that only carries one in its data)."""
    return parse_record(line).get("kind")


def _hash_of(line: bytes) -> str:
    try:
        return check_line(line).hash
    except LineFault:
        return ""


def _seq_of(line: bytes) -> int:
    try:
        return check_line(line).seq
    except LineFault:
        return -1


def iter_findings(result: VerifyResult) -> Iterator[Finding]:
    """Errors first, then warnings."""
    yield from (f for f in result.findings if not f.warning)
    yield from (f for f in result.findings if f.warning)


def _moment(stamp: object) -> datetime | None:
    """The moment of a record's ``ts``: an ISO date and time with its time zone, else None."""
    try:
        moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None
