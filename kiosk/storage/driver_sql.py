"""Core statements compiled once and run on the driver's own cursor (the queue's hot path).

SQLAlchemy spends several times SQLite's own work on each statement it executes (execution
context, parameter processing, result wrapping), and on PostgreSQL about as much client CPU as
psycopg itself. The queue's operations run a handful of small statements;
:class:`DriverStatement` compiles each Core statement once for the engine's dialect and runs it
on the DBAPI cursor of the current transaction, with the same SQL text and the same bound-value
conversion (the column types' bind processors) as SQLAlchemy would use, so the rows written are
identical. Rows come back as the driver returns them (see :func:`utc_from_driver`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

__all__ = ["DriverStatement", "cursor_of", "date_from_driver", "utc_from_driver"]


class DriverStatement:
    """One Core statement, compiled for ``dialect``, run with the driver's own parameters.

    Positional for SQLite's ``?``, by name for psycopg's ``%(name)s``.
    """

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        if "POSTCOMPILE" in self.sql:
            raise ValueError("expanding parameters (IN lists) cannot run as driver statements")
        self._by_name = compiled.positiontup is None
        # ``binds`` holds each parameter under its key and its rendered name; the rendered ones are
        # what the SQL text and construct_params use.
        self._names = (tuple(dict.fromkeys(compiled.bind_names.values())) if self._by_name
                       else tuple(compiled.positiontup or ()))
        # Values fixed in the statement itself (e.g. state == 'issued').
        fixed = compiled.construct_params(_check=False) or {}
        self._fixed = {name: value for name, value in fixed.items() if value is not None}
        # The dialect's own conversion (e.g. SQLite's fixed-width datetime text), not the
        # generic type's, which would leave the value to the driver's default adapter.
        processors: dict[str, Callable[[Any], Any] | None] = {
            name: compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self._names}
        self._processors = processors

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters for ``values`` (by bind name), converted for the driver."""
        result = []
        for name in self._names:
            value = values[name] if name in values else self._fixed[name]
            processor = self._processors[name]
            result.append(processor(value) if processor is not None and value is not None
                          else value)
        return dict(zip(self._names, result, strict=True)) if self._by_name else tuple(result)

    def execute(self, cursor: Any, values: Mapping[str, Any]) -> Any:
        """Run on ``cursor``; returns the cursor (fetch from it)."""
        return cursor.execute(self.sql, self.parameters(values))


def cursor_of(connection: Connection | DBAPIConnection) -> Any:
    """A DBAPI cursor inside ``connection``'s current transaction.

    ``connection`` is SQLAlchemy's, or the driver's own (see
    :func:`kiosk.storage.engine.one_statement`).
    """
    raw = (connection.connection.dbapi_connection if isinstance(connection, Connection)
           else connection)
    assert raw is not None, "the connection is open"
    return raw.cursor()


def utc_from_driver(value: str | datetime | None) -> datetime | None:
    """A time read with a driver statement from SQLite (naive UTC text) as an aware datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def date_from_driver(value: str | date) -> date:
    """A date read with a driver statement from SQLite (ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
