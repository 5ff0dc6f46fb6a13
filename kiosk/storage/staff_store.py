"""Staff accounts in the shared database (password hashes stay inside this module)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.domain.staff import Role, StaffMember
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.storage.engine import transaction
from kiosk.storage.schema import staff

__all__ = ["StaffExistsError", "StaffNotFoundError", "StaffStore"]


class StaffExistsError(StorageError):
    """A staff account with that login exists already."""


class StaffNotFoundError(StorageError):
    """No staff account with that login."""


class StaffStore:
    """Staff rows on one engine."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def add(self, login: str, display_name: str, role: Role, password_hash: str) -> StaffMember:
        """Create an account.

        Raises:
            StaffExistsError: the login is taken.
        """
        try:
            with transaction(self._engine, write=True) as connection:
                row = connection.execute(insert(staff).values(
                    login=login, display_name=display_name, role=role.value,
                    password_hash=password_hash, active=True, created_at=self._clock.now(),
                ).returning(staff)).one()
        except IntegrityError as exc:
            raise StaffExistsError(S_("A staff account '{login}' exists already."),
                              login=login) from exc
        return _member(row)

    def list(self, *, include_disabled: bool = True) -> list[StaffMember]:
        """Every account, by login."""
        query = select(staff).order_by(staff.c.login)
        if not include_disabled:
            query = query.where(staff.c.active)
        with transaction(self._engine) as connection:
            return [_member(row) for row in connection.execute(query)]

    def set_active(self, login: str, active: bool) -> StaffMember:
        """Enable or disable an account (accounts are never deleted: history refers to them)."""
        with transaction(self._engine, write=True) as connection:
            row = connection.execute(update(staff).where(staff.c.login == login)
                                     .values(active=active).returning(staff)).first()
        if row is None:
            raise StaffNotFoundError(S_("There is no staff account '{login}'."), login=login)
        return _member(row)

    def credentials(self, login: str) -> tuple[StaffMember, str] | None:
        """The account and its stored password hash, for a login check."""
        with transaction(self._engine) as connection:
            row = connection.execute(select(staff).where(staff.c.login == login)).first()
        return None if row is None else (_member(row), row.password_hash)


def _member(row: Row[Any]) -> StaffMember:
    values = row._mapping
    return StaffMember(id=values["id"], login=values["login"],
                       display_name=values["display_name"], role=Role(values["role"]),
                       active=bool(values["active"]), created_at=values["created_at"])
