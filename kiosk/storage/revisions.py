"""The shipped schema revisions, read from the migration files without importing Alembic.

Every start checks the database's revision against the newest one shipped. Alembic's own
script directory imports Alembic and SQLAlchemy's DDL machinery and runs every migration
module (a tenth of a second before the tablet's services are ready), so the start reads the
two assignments each migration file makes (``revision`` and ``down_revision``) from its
syntax tree instead; Alembic is imported only when migrating. The tests hold this reading
to Alembic's.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["VERSIONS_DIR", "Revisions", "shipped_revisions"]

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@dataclass(frozen=True)
class Revisions:
    """Every shipped revision and the ones no other revision revises (normally one)."""

    known: frozenset[str]
    heads: tuple[str, ...]


def _assignments(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """``revision`` and its ``down_revision`` (none, one, or several) of one migration file."""
    text = path.read_text(encoding="utf-8")
    values = _head_values(text, path)
    if values is None:
        values = _values(text, path)
    revision = values.get("revision")
    if not isinstance(revision, str):
        return None                 # not a migration (``__init__.py``)
    down = values.get("down_revision")
    downs = (down,) if isinstance(down, str) else tuple(down or ())  # type: ignore[arg-type]
    return revision, tuple(str(item) for item in downs)


_FUNCTION = re.compile(r"^(?:async\s+)?def\s", re.MULTILINE)


def _head_values(text: str, path: Path) -> dict[str, object] | None:
    """Both assignments, read from the part above the file's first function, where Alembic
    writes them (the whole file cost a millisecond each, a dozen at every start); ``None``
    when that part does not have both, or is not whole code (a docstring cut in two)."""
    first_function = _FUNCTION.search(text)
    if first_function is None:
        return None
    try:
        values = _values(text[:first_function.start()], path)
    except SyntaxError:
        return None
    return values if {"revision", "down_revision"} <= values.keys() else None


def _values(text: str, path: Path) -> dict[str, object]:
    """The literal values the module ``text`` assigns to ``revision`` and ``down_revision``."""
    values: dict[str, object] = {}
    for node in ast.parse(text, str(path)).body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            values[target.id] = ast.literal_eval(value)   # type: ignore[arg-type]
    return values


@functools.cache
def shipped_revisions(directory: Path = VERSIONS_DIR) -> Revisions:
    """The revisions in ``directory``'s migration files (read once per process)."""
    revised: set[str] = set()
    known: list[str] = []
    for path in sorted(directory.glob("*.py")):
        found = _assignments(path)
        if found is not None:
            known.append(found[0])
            revised.update(found[1])
    return Revisions(frozenset(known), tuple(sorted(set(known) - revised)))
