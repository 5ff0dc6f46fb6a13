"""Mapping files: which form item goes to which item of a core system, and how it is written.

One TOML file per target system in ``forms/export/`` (住民記録, 国保, 介護 ...), plus
``eras.toml`` with the era codes each system family uses. A mapping names the procedures it
receives, a ``[common]`` table of items those procedures share and a ``[procedures.<id>]``
table per procedure; an entry is an item name, or a table with ``item`` and ``codes`` (choice
value -> the system's code) or, for a repeated group, ``item`` and ``fields``. Every item of a
form that holds a value is either mapped or named in ``skip``, so a new form field can never be
silently dropped: :func:`check_mappings` reports it, naming the file and the key.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.paths import forms_dir

__all__ = [
    "DATE_STYLES",
    "ERAS_FILE",
    "ItemMap",
    "MappingError",
    "MappingIssue",
    "MappingSet",
    "ProcedureMapping",
    "TargetSystem",
    "load_mappings",
    "mappings_dir",
]

ERAS_FILE = "eras.toml"
DATE_STYLES = ("iso", "western8", "wareki7", "wareki_text")
"""How a system writes a date: ``2026-04-01``, ``20260401``, era code + YYMMDD (``5080401``:
令和8年4月1日 with the 住基 codes) or ``令和8年4月1日``."""

_ENCODINGS = ("utf-8", "utf-8-sig", "cp932")


class MappingIssue(enum.StrEnum):
    """What can be wrong in a mapping file (the code names the rule, the message the place)."""

    UNREADABLE = "X001"        # not UTF-8 or not TOML
    BAD_VALUE = "X002"         # a key of the wrong type or an unknown style
    UNKNOWN_PROCEDURE = "X003"  # a procedure no bundled form has
    UNKNOWN_FIELD = "X004"     # a procedure table maps a field its form does not have
    UNMAPPED_FIELD = "X005"    # a form field neither mapped nor skipped
    BAD_CODES = "X006"         # codes for a field without choices, or a choice without code
    DUPLICATE_ITEM = "X007"    # two fields to one item name in one procedure


@dataclass(frozen=True)
class MappingError:
    """One problem, located as ``forms/export/juki.toml:procedures.idou.members``."""

    code: MappingIssue
    file: str
    key: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}:{self.key}: {self.code.value} {self.detail}"


@dataclass(frozen=True)
class ItemMap:
    """One form field's target item; ``codes`` turn choice values into the system's codes and
    ``fields`` map a repeated group's columns."""

    item: str
    codes: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, ItemMap] = field(default_factory=dict)


@dataclass(frozen=True)
class ProcedureMapping:
    """The items of one procedure for one system (common items already merged in)."""

    procedure: str
    items: Mapping[str, ItemMap]
    skip: frozenset[str] = frozenset()
    own: frozenset[str] = frozenset()    # named in the procedure's own table, not [common]


@dataclass(frozen=True)
class TargetSystem:
    """One core system and how its import reads data."""

    id: str
    name: str
    standard: str                 # the national standard (標準仕様書) the item names follow
    file: str
    dates: str = "western8"
    eras: Mapping[str, int] = field(default_factory=dict)
    encoding: str = "utf-8-sig"
    yes: str = "1"
    no: str = "0"
    separator: str = ";"
    procedures: Mapping[str, ProcedureMapping] = field(default_factory=dict)


@dataclass
class MappingSet:
    """Every mapping that loaded, and every problem found on the way."""

    systems: dict[str, TargetSystem] = field(default_factory=dict)
    errors: list[MappingError] = field(default_factory=list)

    def for_procedure(self, procedure: str) -> list[TargetSystem]:
        """The systems that receive ``procedure``, in file order."""
        return [s for s in self.systems.values() if procedure in s.procedures]


def mappings_dir() -> Path:
    """The bundled mapping files (``forms/export``)."""
    return forms_dir() / "export"


class _Reader:
    """Reads one file's tables, collecting errors instead of stopping at the first."""

    def __init__(self, file: str, errors: list[MappingError]) -> None:
        self.file = file
        self.errors = errors

    def fail(self, code: MappingIssue, key: str, detail: str) -> None:
        self.errors.append(MappingError(code, self.file, key, detail))

    def text(self, table: Mapping[str, Any], key: str, where: str, default: str | None = None
             ) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            self.fail(MappingIssue.BAD_VALUE, f"{where}{key}", "needs a non-empty text")
            return default or ""
        return value

    def item(self, value: Any, where: str) -> ItemMap | None:
        if isinstance(value, str) and value:
            return ItemMap(value)
        if not isinstance(value, Mapping) or not isinstance(value.get("item"), str):
            self.fail(MappingIssue.BAD_VALUE, where,
                      "an item name, or a table with item = \"...\"")
            return None
        codes = value.get("codes", {})
        if not isinstance(codes, Mapping) or not all(isinstance(v, str | int)
                                                      for v in codes.values()):
            self.fail(MappingIssue.BAD_VALUE, f"{where}.codes", "a table of texts")
            codes = {}
        children = {}
        for child_id, child in dict(value.get("fields", {})).items():
            mapped = self.item(child, f"{where}.fields.{child_id}")
            if mapped is not None:
                children[child_id] = mapped
        return ItemMap(value["item"], {str(k): str(v) for k, v in codes.items()}, children)

    def items(self, table: Any, where: str) -> dict[str, ItemMap]:
        if not isinstance(table, Mapping):
            self.fail(MappingIssue.BAD_VALUE, where, "must be a table")
            return {}
        found = {}
        for field_id, value in table.items():
            if field_id == "skip":
                continue
            mapped = self.item(value, f"{where}.{field_id}")
            if mapped is not None:
                found[field_id] = mapped
        return found

    def skip(self, table: Any, where: str) -> frozenset[str]:
        value = table.get("skip", []) if isinstance(table, Mapping) else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(MappingIssue.BAD_VALUE, f"{where}.skip", "a list of field ids")
            return frozenset()
        return frozenset(value)


def _read_toml(path: Path, reader: _Reader) -> dict[str, Any] | None:
    try:
        # utf-8-sig: a file IT saved with Notepad may start with a byte order mark.
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, OSError) as exc:
        reader.fail(MappingIssue.UNREADABLE, "", f"not UTF-8 TOML ({type(exc).__name__})")
        return None


def _eras(directory: Path, errors: list[MappingError]) -> dict[str, dict[str, int]]:
    path = directory / ERAS_FILE
    reader = _Reader(f"forms/export/{ERAS_FILE}", errors)
    raw = _read_toml(path, reader) if path.exists() else {}
    tables: dict[str, dict[str, int]] = {}
    for name, table in (raw or {}).items():
        if isinstance(table, Mapping) and all(isinstance(v, int) for v in table.values()):
            tables[name] = dict(table)
        else:
            reader.fail(MappingIssue.BAD_VALUE, name, "a table of era name = code")
    return tables


def _system(path: Path, raw: Mapping[str, Any], eras: Mapping[str, Mapping[str, int]],
            reader: _Reader) -> TargetSystem:
    dates = reader.text(raw, "dates", "", "western8")
    if dates not in DATE_STYLES:
        reader.fail(MappingIssue.BAD_VALUE, "dates", f"one of {', '.join(DATE_STYLES)}")
    era_name = raw.get("eras", "juki")
    if era_name not in eras:
        reader.fail(MappingIssue.BAD_VALUE, "eras", f"a table of {ERAS_FILE}")
    encoding = raw.get("encoding", "utf-8-sig")
    if encoding not in _ENCODINGS:
        reader.fail(MappingIssue.BAD_VALUE, "encoding", f"one of {', '.join(_ENCODINGS)}")
    common = reader.items(raw.get("common", {}), "common")
    common_skip = reader.skip(raw.get("common", {}), "common")
    procedures = {}
    tables = raw.get("procedures", {})
    for procedure, table in (tables.items() if isinstance(tables, Mapping) else ()):
        own = reader.items(table, f"procedures.{procedure}")
        own_skip = reader.skip(table, f"procedures.{procedure}")
        procedures[procedure] = ProcedureMapping(
            procedure, {**common, **own}, common_skip | own_skip, frozenset(own) | own_skip)
    return TargetSystem(
        id=path.stem, name=reader.text(raw, "name", ""), standard=str(raw.get("standard", "")),
        file=reader.file, dates=dates, eras=dict(eras.get(str(era_name), {})),
        encoding=str(encoding), yes=str(raw.get("yes", "1")), no=str(raw.get("no", "0")),
        separator=str(raw.get("separator", ";")), procedures=procedures)


def load_mappings(directory: Path | None = None) -> MappingSet:
    """Read every ``*.toml`` of ``directory`` (default: the bundled ``forms/export``).

    Problems of the files themselves are collected in :attr:`MappingSet.errors`; checking
    them against the forms is :func:`kiosk.handover.check.check_mappings`.
    """
    directory = directory or mappings_dir()
    found = MappingSet()
    eras = _eras(directory, found.errors)
    for path in sorted(directory.glob("*.toml")):
        if path.name == ERAS_FILE:
            continue
        reader = _Reader(f"forms/export/{path.name}", found.errors)
        raw = _read_toml(path, reader)
        if raw is not None:
            found.systems[path.stem] = _system(path, raw, eras, reader)
    return found
