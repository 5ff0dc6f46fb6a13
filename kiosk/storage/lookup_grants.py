"""Lookup grants in the shared database: every clerk PC sees the same rights."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from kiosk.domain.lookup_right import LookupGrant
from kiosk.ports import Clock
from kiosk.storage.engine import transaction
from kiosk.storage.schema import lookup_grants

__all__ = ["LookupGrantStore"]


class LookupGrantStore:
    """Grants of the register lookup right, on one engine."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def grant(self, staff_id: int, *, honseki: bool, by: int | None,
              expires_on: date) -> LookupGrant:
        """Give ``staff_id`` the right until ``expires_on``; an earlier grant is replaced."""
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            connection.execute(update(lookup_grants).where(
                lookup_grants.c.staff_id == staff_id, lookup_grants.c.revoked_at.is_(None))
                .values(revoked_at=now, revoked_by=by))
            row = connection.execute(insert(lookup_grants).values(
                staff_id=staff_id, honseki=honseki, granted_by=by, granted_at=now,
                expires_on=expires_on).returning(lookup_grants)).one()
        return _grant(row)

    def revoke(self, staff_id: int, *, by: int | None) -> int:
        """End every open grant of ``staff_id`` now; returns how many there were."""
        with transaction(self._engine, write=True) as connection:
            result = connection.execute(update(lookup_grants).where(
                lookup_grants.c.staff_id == staff_id, lookup_grants.c.revoked_at.is_(None))
                .values(revoked_at=self._clock.now(), revoked_by=by))
        return int(result.rowcount)

    def valid(self, day: date) -> list[LookupGrant]:
        """Every grant valid on ``day``, by staff id."""
        query = (select(lookup_grants).where(lookup_grants.c.revoked_at.is_(None),
                                             lookup_grants.c.expires_on >= day)
                 .order_by(lookup_grants.c.staff_id, lookup_grants.c.id))
        with transaction(self._engine) as connection:
            return [_grant(row) for row in connection.execute(query)]

    def valid_for(self, staff_id: int, day: date) -> LookupGrant | None:
        """The grant of ``staff_id`` valid on ``day``, or ``None``."""
        query = (select(lookup_grants).where(
            lookup_grants.c.staff_id == staff_id, lookup_grants.c.revoked_at.is_(None),
            lookup_grants.c.expires_on >= day).order_by(lookup_grants.c.id.desc()).limit(1))
        with transaction(self._engine) as connection:
            row = connection.execute(query).first()
        return None if row is None else _grant(row)


def _grant(row: Row[Any]) -> LookupGrant:
    values = row._mapping
    return LookupGrant(id=values["id"], staff_id=values["staff_id"],
                       honseki=bool(values["honseki"]), granted_by=values["granted_by"],
                       granted_at=values["granted_at"], expires_on=values["expires_on"],
                       revoked_at=values["revoked_at"])
