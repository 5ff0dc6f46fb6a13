"""The seconds between two times, computed by the database (SQLite and PostgreSQL spell it apart).

The wait estimate needs the last service times; read as times, each row costs three text
parses on SQLite's driver path, more than the query itself. As a number computed in SQL it
costs nothing to read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["seconds_between"]


class _SecondsBetween(FunctionElement[float]):
    """``end - start`` in seconds (NULL if either is NULL)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


def seconds_between(start: Any, end: Any) -> _SecondsBetween:
    """The seconds from ``start`` to ``end``, two time expressions."""
    return _SecondsBetween(start, end)


@compiles(_SecondsBetween, "sqlite")
def _sqlite(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    # julianday counts whole milliseconds; rounded to them, a duration of whole seconds
    # comes back whole, as Python's subtraction gives it.
    return f"round((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(_SecondsBetween, "postgresql")
def _postgresql(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    # EXTRACT gives numeric (a Decimal in Python); the estimate works in floats.
    return f"CAST(EXTRACT(EPOCH FROM {end} - {start}) AS DOUBLE PRECISION)"
