"""IT's resident register extract: read and checked against its mapping, loaded into the copy
database, or searched on its own (``kiosk register load|find --file``).

The command line asks here rather than opening the CSV adapter (``devices.register``) and the
copy database (``kiosk.storage``) itself; like :mod:`kiosk.probes` this sits beside the
composition root, outside the core.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from devices.register.csv_extract import ISSUES, CsvRegister, read_extract
from devices.register.mapping import load_mapping
from kiosk.ports import ResidentRegister

__all__ = ["ExtractCheck", "check_extract", "extract_register"]


@dataclass(frozen=True)
class ExtractCheck:
    """What reading an extract gave (figures and why rows were left out, no resident data)."""

    rows: int
    residents: int
    problems: list[str]          # one line per row left out, for IT's terminal
    encoding: str
    seconds: float
    copied: int | None = None    # residents in the copy database, when loaded into one
    copy_seconds: float = 0.0


def check_extract(path: Path, mapping: Path, *, into: str = "") -> ExtractCheck:
    """Read the extract ``path`` with its column ``mapping``; with ``into`` (a copy database
    URL) replace that database's residents with those read.

    Raises:
        kiosk.errors.UserFacingError: the mapping or the extract cannot be read.
        kiosk.errors.StorageError: the copy database cannot be reached.
    """
    load = read_extract(path, load_mapping(mapping))
    problems = [ISSUES[issue.code].format(line=issue.line, column=issue.column)
                for issue in load.issues]
    check = ExtractCheck(load.rows, len(load.residents), problems, load.encoding, load.seconds)
    if not into:
        return check
    from kiosk.storage.register_copy import load_copy  # noqa: PLC0415 - only with --into

    started = time.perf_counter()
    copied = load_copy(into, load.residents)
    return ExtractCheck(check.rows, check.residents, problems, check.encoding, check.seconds,
                        copied, time.perf_counter() - started)


def extract_register(path: Path, mapping: Path) -> ResidentRegister:
    """The register of one extract, searched without ``[register]`` (IT's ``find --file``)."""
    return CsvRegister(path, mapping)
