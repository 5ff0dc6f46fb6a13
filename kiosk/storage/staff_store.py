"""Staff accounts in the shared database (password hashes stay inside this module)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Row, case, exists, insert, literal, select, update
from sqlalchemy.exc import IntegrityError, ProgrammingError

from kiosk.domain.staff import LoginState, Role, StaffMember
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.storage.engine import transaction
from kiosk.storage.schema import staff

__all__ = ["StaffExistsError", "StaffNotFoundError", "StaffPrivilegeError", "StaffStore"]

_INSUFFICIENT_PRIVILEGE = "42501"     # PostgreSQL's SQLSTATE


class StaffExistsError(StorageError):
    """A staff account with that login exists already."""


class StaffNotFoundError(StorageError):
    """No staff account with that login."""


class StaffPrivilegeError(StorageError):
    """The database user may not change staff accounts (IT restricted it on purpose)."""


@contextmanager
def _changing(engine: Engine) -> Iterator[Connection]:
    """A write transaction whose "permission denied" says who may change staff accounts.

    IT may give the devices' database user no right to add or change accounts (README:
    staff accounts); then ``kiosk staff`` works only with IT's own database user.
    """
    try:
        with transaction(engine, write=True) as connection:
            yield connection
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
            raise
        raise StaffPrivilegeError(S_(
            "The database does not let this database user change staff accounts. Run the "
            "command with the database user IT keeps for staff administration.")) from exc


class StaffStore:
    """Staff rows on one engine."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    @property
    def clock(self) -> Clock:
        """The clock of the failure and creation times (login delays are measured with it)."""
        return self._clock

    def add(self, login: str, display_name: str, role: Role, password_hash: str) -> StaffMember:
        """Create an account.

        Raises:
            StaffExistsError: the login is taken.
        """
        try:
            with _changing(self._engine) as connection:
                row = connection.execute(insert(staff).values(
                    login=login, display_name=display_name, role=role.value,
                    password_hash=password_hash, active=True, created_at=self._clock.now(),
                ).returning(staff)).one()
        except IntegrityError as exc:
            raise StaffExistsError(S_("A staff account '{login}' exists already."),
                              login=login) from exc
        return _member(row)

    def add_first(self, login: str, display_name: str, role: Role,
                  password_hash: str) -> StaffMember | None:
        """Create an account only if there is no account at all (the first admin).

        Checked and inserted in one statement, so two first logins cannot both be created.
        ``None`` when an account exists already.
        """
        values = {"login": login, "display_name": display_name, "role": role.value,
                  "password_hash": password_hash, "active": True,
                  "created_at": self._clock.now()}
        columns = [staff.c[name] for name in values]
        source = select(*[literal(value, column.type) for value, column
                          in zip(values.values(), columns, strict=True)]
                        ).where(~exists(select(staff.c.id)))
        with _changing(self._engine) as connection:
            row = connection.execute(insert(staff).from_select(columns, source)
                                     .returning(staff)).first()
        return None if row is None else _member(row)

    def list(self, *, include_disabled: bool = True) -> list[StaffMember]:
        """Every account, by login."""
        query = select(staff).order_by(staff.c.login)
        if not include_disabled:
            query = query.where(staff.c.active)
        with transaction(self._engine) as connection:
            return [_member(row) for row in connection.execute(query)]

    def set_active(self, login: str, active: bool) -> StaffMember:
        """Enable or disable an account (accounts are never deleted: history refers to them)."""
        return self._update(login, active=active)

    def set_password(self, login: str, password_hash: str) -> StaffMember:
        """Replace the password hash of an account.

        Raises:
            StaffNotFoundError: no such login.
        """
        return self._update(login, password_hash=password_hash)

    def credentials(self, login: str) -> tuple[StaffMember, str, LoginState] | None:
        """The account, its stored password hash and its failed logins, for a login check."""
        with transaction(self._engine) as connection:
            row = connection.execute(select(staff).where(staff.c.login == login)).first()
        return None if row is None else (_member(row), row.password_hash, _state(row))

    def record_failure(self, staff_id: int, lockout_after: int) -> LoginState:
        """Count one failed login now; the ``lockout_after``-th in a row locks the account.

        One atomic update, so failures typed at the same moment on two clerk PCs both count.
        """
        now = self._clock.now()
        count = staff.c.failed_logins + 1
        with transaction(self._engine, write=True) as connection:
            row = connection.execute(
                update(staff).where(staff.c.id == staff_id)
                .values(failed_logins=count, last_failed_at=now,
                        locked_at=case((staff.c.locked_at.is_(None) & (count >= lockout_after),
                                        literal(now, staff.c.locked_at.type)),
                                       else_=staff.c.locked_at))
                .returning(staff)).one()
        return _state(row)

    def clear_failures(self, staff_id: int) -> None:
        """Forget the failed logins of an account that is not locked (after a good login)."""
        with transaction(self._engine, write=True) as connection:
            connection.execute(update(staff).where(staff.c.id == staff_id,
                                                   staff.c.locked_at.is_(None))
                               .values(failed_logins=0, last_failed_at=None))

    def unlock(self, login: str) -> StaffMember:
        """Lift the lockout of an account and forget its failed logins.

        Raises:
            StaffNotFoundError: no such login.
        """
        return self._update(login, failed_logins=0, last_failed_at=None, locked_at=None)

    def _update(self, login: str, **values: object) -> StaffMember:
        with _changing(self._engine) as connection:
            row = connection.execute(update(staff).where(staff.c.login == login)
                                     .values(**values).returning(staff)).first()
        if row is None:
            raise StaffNotFoundError(S_("There is no staff account '{login}'."), login=login)
        return _member(row)


def _member(row: Row[Any]) -> StaffMember:
    values = row._mapping
    return StaffMember(id=values["id"], login=values["login"],
                       display_name=values["display_name"], role=Role(values["role"]),
                       active=bool(values["active"]), created_at=values["created_at"],
                       locked_at=values["locked_at"])


def _state(row: Row[Any]) -> LoginState:
    values = row._mapping
    return LoginState(failures=values["failed_logins"], last_failed_at=values["last_failed_at"],
                      locked_at=values["locked_at"])
