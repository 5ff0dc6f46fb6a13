"""Staff accounts: creating, listing, disabling, and checking a login."""

from __future__ import annotations

from kiosk.domain.staff import Role, StaffMember, hash_password, verify_password
from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.storage.staff_store import StaffStore

__all__ = ["MIN_PASSWORD_LENGTH", "StaffService", "WeakPasswordError"]

MIN_PASSWORD_LENGTH = 10
# Compared against when the login does not exist, so a wrong login costs as much time as a
# wrong password and does not reveal which logins exist.
_DUMMY_HASH = hash_password("not-a-real-password")


class WeakPasswordError(UserFacingError):
    """The password is too short."""


class StaffService:
    """Staff account use cases."""

    def __init__(self, store: StaffStore) -> None:
        self._store = store

    def add(self, login: str, display_name: str, role: Role, password: str) -> StaffMember:
        """Create an account with a salted scrypt hash of ``password``.

        Raises:
            WeakPasswordError: shorter than :data:`MIN_PASSWORD_LENGTH`.
            kiosk.storage.staff_store.StaffExistsError: the login is taken.
        """
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(N_("The password must have at least {n} characters."),
                               n=MIN_PASSWORD_LENGTH)
        return self._store.add(login, display_name, role, hash_password(password))

    def list(self) -> list[StaffMember]:
        """Every account, enabled or not."""
        return self._store.list()

    def disable(self, login: str) -> StaffMember:
        """Disable an account; its history stays."""
        return self._store.set_active(login, False)

    def authenticate(self, login: str, password: str) -> StaffMember | None:
        """The account if ``password`` is right and the account is enabled, else ``None``."""
        found = self._store.credentials(login)
        if found is None:
            verify_password(password, _DUMMY_HASH)
            return None
        member, stored = found
        if not verify_password(password, stored) or not member.active:
            return None
        return member
