"""The nightly CSV extract of the resident register, read through its mapping into memory.

IT drops the extract where ``[register] path`` points; the kiosk reads it at start (and
``kiosk register load`` checks one by hand). Shift_JIS/CP932 and UTF-8 (with or without BOM)
are both read. A row that cannot be used is reported by its line and column, never by its
content (the content is personal data), and left out; the other rows load.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from devices.register.mapping import OPTIONAL, REQUIRED, Mapping, load_mapping
from devices.register.memory_index import IndexedRegister, ResidentIndex
from kiosk.doctor import Check, Status
from kiosk.domain.resident import Resident
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.procedures.eras import JUKI_CODES, EraStyle, WarekiError, parse_date
from kiosk.procedures.kana import normalize_reading

__all__ = ["CsvRegister", "ExtractLoad", "RowIssue", "read_extract"]

_JUKI = EraStyle(codes=dict(JUKI_CODES))
_SEX = {"1": "1", "2": "2", "男": "1", "女": "2", "男性": "1", "女性": "2"}
_ID = re.compile(r"^\d{1,20}$")
_KATAKANA = re.compile("[\u30a1-\u30fe]+(?:\u3000[\u30a1-\u30fe]+)*")
_STALE_S = 36 * 3600      # a nightly extract older than a day and a half was not refreshed

# Why a row was left out: the code IT reads on the terminal, the message in Japanese.
ISSUES = {
    "columns": S_("line {line}: too few columns"),
    "id": S_("line {line}, {column}: the 宛名番号 is not digits"),
    "household": S_("line {line}, {column}: the 世帯番号 is empty"),
    "name": S_("line {line}, {column}: the name is empty"),
    "kana": S_("line {line}, {column}: the reading is not katakana or hiragana"),
    "birth_date": S_("line {line}, {column}: the birth date is not a date"),
    "sex": S_("line {line}, {column}: the sex is not 1, 2, 男 or 女"),
    "relation": S_("line {line}, {column}: the 続柄 is empty"),
    "encoding": S_("line {line}: characters that are neither UTF-8 nor Shift_JIS"),
    "duplicate": S_("line {line}, {column}: the 宛名番号 appeared on an earlier line"),
}


@dataclass(frozen=True)
class RowIssue:
    """A row left out: its line in the file, the column (header name) and the reason code."""

    line: int
    code: str
    column: str = ""


@dataclass
class ExtractLoad:
    """What reading an extract gave: the residents, the rows left out, and figures."""

    residents: list[Resident] = field(repr=False)
    issues: list[RowIssue]
    rows: int
    encoding: str
    seconds: float


def read_extract(path: Path, mapping: Mapping) -> ExtractLoad:
    """Read the extract at ``path`` with ``mapping``.

    Raises:
        DeviceError: the file cannot be read, or its header lacks a mapped column.
    """
    started = time.perf_counter()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeviceError(S_("The register extract {file} cannot be read: {reason}"),
                          file=str(path), reason=exc.strerror or type(exc).__name__) from exc
    text, encoding = _decode(raw, mapping.encoding)
    rows = csv.reader(io.StringIO(text, newline=""))
    columns, names = _resolve(path, mapping, rows)
    undecodable = "\ufffd" in text     # then each row is checked for the replaced bytes
    residents: list[Resident] = []
    issues: list[RowIssue] = []
    seen: set[str] = set()
    count = 0
    for row in rows:
        line = rows.line_num     # physical lines: a quoted newline keeps the numbers right
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        resident, issue = _resident(row, columns, names, line, undecodable)
        if issue is None and resident is not None and resident.id in seen:
            issue = RowIssue(line, "duplicate", names["id"])
        if issue is not None:
            issues.append(issue)
            continue
        assert resident is not None
        seen.add(resident.id)
        residents.append(resident)
    return ExtractLoad(residents, issues, count, encoding, time.perf_counter() - started)


def _decode(raw: bytes, encoding: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf") or encoding == "utf-8-sig":
        return raw.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if encoding == "auto":
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass      # the core systems' usual export: Shift_JIS with Microsoft's extensions
    return raw.decode("cp932", errors="replace"), "cp932"


def _resolve(path: Path, mapping: Mapping,
             rows: Iterator[list[str]]) -> tuple[dict[str, int], dict[str, str]]:
    """Column indexes and display names of every mapped item."""
    header = [cell.strip() for cell in next(rows, [])] if mapping.header else []
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for item in (*REQUIRED, *OPTIONAL):
        column = mapping.columns.get(item)
        if column is None:
            continue
        if isinstance(column, int):
            columns[item], names[item] = column - 1, f"#{column}"
        elif column in header:
            columns[item], names[item] = header.index(column), column
        else:
            raise DeviceError(S_("The register extract {file} has no column {column} (the "
                                 "mapping's {item})."), file=str(path), column=column, item=item)
    return columns, names


def _resident(row: list[str], columns: dict[str, int], names: dict[str, str],
              line: int, undecodable: bool) -> tuple[Resident | None, RowIssue | None]:
    if max(columns.values()) >= len(row):
        return None, RowIssue(line, "columns")
    cell = {item: row[index].strip() for item, index in columns.items()}
    if undecodable and any("\ufffd" in value for value in cell.values()):
        return None, RowIssue(line, "encoding")
    for item, ok in (("id", bool(_ID.match(cell["id"]))), ("household", bool(cell["household"])),
                     ("name", bool(cell["name"])), ("relation", bool(cell["relation"])),
                     ("sex", cell["sex"] in _SEX)):
        if not ok:
            return None, RowIssue(line, item, names[item])
    # Most extracts already hold normalised katakana: only other text goes through folding.
    kana = cell["kana"] if _KATAKANA.fullmatch(cell["kana"]) else normalize_reading(cell["kana"])
    if not _KATAKANA.fullmatch(kana):
        return None, RowIssue(line, "kana", names["kana"])
    birth = _birth_date(cell["birth_date"])
    if birth is None:
        return None, RowIssue(line, "birth_date", names["birth_date"])
    return Resident(id=cell["id"], household_id=cell["household"], name=cell["name"],
                    kana=kana, birth_date=birth, sex=_SEX[cell["sex"]],
                    relation=cell["relation"], address=cell.get("address", ""),
                    honseki=cell.get("honseki", ""), hittosha=cell.get("hittosha", "")), None


def _birth_date(text: str) -> date | None:
    """19930101, 4050101 (住基 era code), 平成5年1月1日, 1993-01-01 or 1993/1/1."""
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return parse_date(text, _JUKI)
    except (ValueError, WarekiError):
        return None


class CsvRegister(IndexedRegister):
    """:class:`kiosk.ports.ResidentRegister` over the nightly extract, held in memory.

    Args:
        path: the extract IT drops (``[register] path``).
        mapping: its mapping file (``[register] mapping``).

    Raises:
        kiosk.errors.ConfigError: the mapping is wrong.
        DeviceError: the extract cannot be read.
    """

    def __init__(self, path: Path, mapping: Path) -> None:
        self._path = path
        self._mapping = load_mapping(mapping)
        self.last_load = read_extract(path, self._mapping)
        self._index = ResidentIndex(self.last_load.residents, path.name)

    def __repr__(self) -> str:
        return f"CsvRegister({self._path.name}, {len(self._index)} residents)"

    def probe(self) -> Sequence[Check]:
        """The count in memory, the rows left out and the extract's age."""
        checks = list(super().probe())
        if self.last_load.issues:
            checks.append(Check("register.rows", Status.WARN,
                                f"{len(self.last_load.issues)} rows of {self._path.name} were "
                                "left out", "kiosk register load FILE --mapping MAP names them"))
        try:
            modified = datetime.fromtimestamp(self._path.stat().st_mtime, UTC)
        except OSError:
            return [*checks, Check("register.extract", Status.FAIL,
                                   f"{self._path} is gone", "check the nightly extract job")]
        age_s = (datetime.now(UTC) - modified).total_seconds()
        checks.append(Check("register.extract", Status.WARN if age_s > _STALE_S else Status.OK,
                            f"{self._path.name} is {age_s / 3600:.0f} h old",
                            "check the nightly extract job" if age_s > _STALE_S else ""))
        return checks
