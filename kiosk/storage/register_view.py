""":class:`kiosk.ports.ResidentRegister` over the read-only view of a register copy database.

The clerk PCs connect with ``[register] url`` (a database user that may only ``SELECT`` on
the view, README) and, on PostgreSQL, in read-only transactions besides, so nothing here can
change the copy even by mistake. Every lookup is one indexed query.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Row, column, func, literal, select, table
from sqlalchemy.exc import SQLAlchemyError

from kiosk.doctor import Check, Status
from kiosk.domain.resident import Household, Resident
from kiosk.domain.resident_query import QueryKind, ResidentQuery
from kiosk.errors import KioskError
from kiosk.storage.engine import make_engine, redacted_url, transaction
from kiosk.storage.register_copy import VIEW, residents_table

__all__ = ["SqlViewRegister"]

def _like_prefix(key: str) -> str:
    """``key`` as a LIKE pattern matching from the start (its own % and _ escaped)."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SqlViewRegister:
    """Lookups in the view ``kiosk_residents`` of the copy database at ``url``."""

    def __init__(self, url: str, view: str = VIEW) -> None:
        self._url = url
        engine = make_engine(url, pool_size=2)
        if engine.dialect.name == "postgresql":
            engine = engine.execution_options(postgresql_readonly=True)
        self._engine: Engine = engine
        # The view's columns and their types are the copy table's (dates come back as dates).
        self._view = table(view, *(column(one.name, one.type) for one in residents_table.c))

    def __repr__(self) -> str:
        return f"SqlViewRegister({redacted_url(self._url)})"

    def find(self, query: ResidentQuery, limit: int = 50) -> Sequence[Resident]:
        """See :meth:`kiosk.ports.ResidentRegister.find`."""
        view = self._view.c
        if query.kind is QueryKind.RESIDENT_ID:
            where = view.id == query.key
        elif query.kind is QueryKind.BIRTH_DATE:
            where = view.birth_date == query.birth_date
        else:
            key = view.kana_key if query.kind is QueryKind.KANA else view.name_key
            where = key.like(_like_prefix(query.key), escape="\\")
        if query.kind in (QueryKind.KANA, QueryKind.NAME):
            # The first matches in key order (the index's order), then by id, like the CSV.
            inner = select(self._view).where(where).order_by(
                view.kana_key if query.kind is QueryKind.KANA else view.name_key,
                view.id).limit(limit).subquery()
            statement = select(inner).order_by(inner.c.id)
        else:
            statement = select(self._view).where(where).order_by(view.id).limit(limit)
        with transaction(self._engine) as connection:
            return [_resident(row) for row in connection.execute(statement)]

    def resident(self, resident_id: str) -> Resident | None:
        """See :meth:`kiosk.ports.ResidentRegister.resident`."""
        with transaction(self._engine) as connection:
            row = connection.execute(select(self._view).where(
                self._view.c.id == resident_id)).first()
        return None if row is None else _resident(row)

    def household(self, resident_id: str) -> Household | None:
        """See :meth:`kiosk.ports.ResidentRegister.household`."""
        view = self._view.c
        of_resident = select(view.household_id).where(view.id == resident_id).scalar_subquery()
        statement = (select(self._view).where(view.household_id == of_resident)
                     .order_by(view.relation != literal("世帯主"), view.id))
        with transaction(self._engine) as connection:
            members = tuple(_resident(row) for row in connection.execute(statement))
        return Household(members[0].household_id, members) if members else None

    def probe(self) -> Sequence[Check]:
        """Whether the view answers, how many residents it holds, and how fast."""
        started = time.perf_counter()
        try:
            with transaction(self._engine) as connection:
                count = connection.execute(select(func.count()).select_from(self._view)).scalar()
        except (SQLAlchemyError, KioskError) as exc:
            return [Check("register", Status.FAIL,
                          f"the register view at {redacted_url(self._url)} does not answer: "
                          f"{type(exc).__name__}",
                          f"check [register] url and that the view {VIEW} exists and may be "
                          "read (README: resident register)")]
        seconds = time.perf_counter() - started
        return [Check("register", Status.OK if count else Status.WARN,
                      f"{count} residents in {VIEW} at {redacted_url(self._url)}",
                      "" if count else "the copy is empty: check the nightly load",
                      seconds=seconds)]

    def close(self) -> None:
        """Release the pooled connections."""
        self._engine.dispose()


def _resident(row: Row[Any]) -> Resident:
    values = row._mapping
    return Resident(id=str(values["id"]), household_id=str(values["household_id"]),
                    name=values["name"], kana=values["kana"], birth_date=values["birth_date"],
                    sex=values["sex"], relation=values["relation"],
                    address=values["address"] or "", honseki=values["honseki"] or "",
                    hittosha=values["hittosha"] or "")
