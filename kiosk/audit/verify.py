"""Checking the hash chains of a log directory: the first break of every device, by file and line.

For each device the files are read oldest first. Every line must hash to its own ``hash``,
carry the previous record's hash in ``prev`` and the next line number in ``seq``; the first
line of a file is an anchor naming the previous file and its record count; ``HEAD.json``
names the newest file, its count and last hash. The first problem of a device stops its
check (everything after it would only repeat it). Files older than a retention purge may be
missing when the device's log records that purge.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.audit.chain import GENESIS, LineFault, ParsedLine, check_line, parse_record
from kiosk.audit.usage_log import HEAD_FILE, day_files, device_dirs
from kiosk.i18n import S_, Translator

__all__ = ["Finding", "VerifyResult", "verify_directory"]

_ANCHOR = b'"kind":"log.anchor"'
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

    @property
    def ok(self) -> bool:
        """No finding other than warnings."""
        return not any(not f.warning for f in self.findings)


def verify_directory(directory: Path) -> VerifyResult:
    """Verify every device folder of ``directory``."""
    result = VerifyResult()
    for device_dir in device_dirs(directory):
        result.devices += 1
        _DeviceCheck(device_dir, result).run()
    return result


class _Stop(Exception):
    """The first error of a device was found."""


class _DeviceCheck:
    def __init__(self, device_dir: Path, result: VerifyResult) -> None:
        self.device_dir = device_dir
        self.result = result
        self.last_hash = ""
        self.last_day: date | None = None
        self.last_count = 0
        self.missing_before: str = ""      # a file the first anchor names but is not there
        self.purged_through = ""

    def run(self) -> None:
        files = day_files(self.device_dir)
        try:
            for index, (day, path) in enumerate(files):
                self.result.files += 1
                self._file(index, day, path)
            self._head(files)
        except _Stop:
            return
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
        lines = path.read_bytes().splitlines(keepends=True)
        expected = 1
        skip_to = 0
        for number, line in enumerate(lines, 1):
            if number < skip_to:
                continue
            parsed = self._checked(path, lines, number, line)
            if parsed is None:              # a torn line that the writer recovered from
                skip_to = number + 1
                expected = number + 1
                continue
            self.result.records += 1
            if parsed.seq != expected:
                self._out_of_order(path, lines, number, parsed.seq, expected)
            if number == 1:
                self._anchor(index, day, path, line, parsed)
            elif parsed.prev != self.last_hash:
                self._fail(path, number - 1, "modified", S_(
                    "this record was changed after the next record was written"))
            if _PURGED in line:
                through = str(parse_record(line)["data"]["through"])
                self.purged_through = max(self.purged_through, through)
            self.last_hash = parsed.hash
            expected += 1
        if not lines:
            self._fail(path, 1, "truncated", S_("the file is empty; a day file starts with an anchor"))
        self.last_day, self.last_count = day, len(lines)

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
        record = parse_record(lines[number])
        return (record["data"].get("torn_line") == number and following.seq == number + 1
                and following.prev == self.last_hash)

    def _out_of_order(self, path: Path, lines: list[bytes], number: int, seq: int,
                      expected: int) -> None:
        if seq > expected and not any(_seq_of(other) == expected for other in lines[number:]):
            self._fail(path, number, "deleted", S_(
                "records {first} to {last} are missing before this line"),
                first=expected, last=seq - 1)
        self._fail(path, number, "reordered", S_(
            "record {seq} stands where record {expected} belongs"), seq=seq, expected=expected)

    def _anchor(self, index: int, day: date, path: Path, line: bytes, parsed: ParsedLine) -> None:
        if _ANCHOR not in line:
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

    def _head(self, files: list[tuple[date, Path]]) -> None:
        head_path = self.device_dir / HEAD_FILE
        if not head_path.exists() or not files:
            return
        head = json.loads(head_path.read_text(encoding="utf-8"))
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


def _seq_of(line: bytes) -> int:
    try:
        return check_line(line).seq
    except LineFault:
        return -1


def iter_findings(result: VerifyResult) -> Iterator[Finding]:
    """Errors first, then warnings."""
    yield from (f for f in result.findings if not f.warning)
    yield from (f for f in result.findings if f.warning)
