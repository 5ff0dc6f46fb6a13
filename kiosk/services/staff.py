"""Staff accounts: creating, listing, disabling, and checking a login.

A login is slowed down and then locked after failures in a row (:class:`LoginPolicy`). The
count lives in the shared database, so trying from another clerk PC does not start afresh;
each PC also slows down failures typed at it, whatever login they name, so guessing one
password for many logins is slow too. Failed logins, lockouts, unlocks and every change of
an account go to the usage log, never with the login or password typed.
"""

from __future__ import annotations

import functools
import math
from datetime import datetime

from kiosk.audit.events import (
    StaffChanged,
    StaffLocked,
    StaffLoggedIn,
    StaffLoginFailed,
    StaffUnlocked,
)
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.config import StaffConfig
from kiosk.domain.staff import (
    LoginPolicy,
    LoginState,
    Role,
    StaffMember,
    hash_password,
    verify_password,
)
from kiosk.errors import ConfigError, UserFacingError
from kiosk.i18n import N_, S_
from kiosk.storage.staff_store import StaffStore

__all__ = [
    "DEMO_LOGIN",
    "DEMO_PASSWORD",
    "MIN_PASSWORD_LENGTH",
    "AccountLockedError",
    "LoginRefusedError",
    "LoginWaitError",
    "NotAllowedError",
    "StaffService",
    "WeakPasswordError",
    "WrongLoginError",
    "login_policy",
]

MIN_PASSWORD_LENGTH = 10


@functools.cache
def _dummy_hash() -> str:
    """Compared against when the login does not exist, so a wrong login costs as much time as
    a wrong password and does not reveal which logins exist.

    Made when the first :class:`StaffService` is, not at import: the tablet imports this
    module but logs no one in, and the hash takes a twentieth of a second of its start.
    """
    return hash_password("not-a-real-password")


_UNLOCKERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
# The demo's account, shown on the demo's login screen and in the README. Only `kiosk demo` on
# its own embedded database creates it (see ensure_demo_account).
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the demo's published password, on purpose


class WeakPasswordError(UserFacingError):
    """The password is too short."""


class NotAllowedError(UserFacingError):
    """The staff member's role may not do this."""


class LoginRefusedError(UserFacingError):
    """A login was refused; ``wait_s`` is how long the next try must wait (0: none)."""

    wait_s: float = 0.0


class WrongLoginError(LoginRefusedError):
    """Unknown login, wrong password or disabled account (the message does not say which)."""


class LoginWaitError(LoginRefusedError):
    """Tried before the delay after the last failure was over; the password was not checked."""


class AccountLockedError(LoginRefusedError):
    """Too many failed logins locked the account; a supervisor unlocks it."""


def login_policy(config: StaffConfig) -> LoginPolicy:
    """The ``[staff]`` settings as a :class:`LoginPolicy`.

    Raises:
        ConfigError: a count below 1 or a negative delay.
    """
    if config.lockout_after < 1:
        raise ConfigError(S_("[staff] {key} must be at least 1."), key="lockout_after")
    for key, value in (("login_delay_s", config.login_delay_s),
                       ("login_delay_max_s", config.login_delay_max_s)):
        if value < 0:
            raise ConfigError(S_("[staff] {key} must not be negative."), key=key)
    return LoginPolicy(config.lockout_after, config.login_delay_s, config.login_delay_max_s)


def _refused(cls: type[LoginRefusedError], wait_s: float) -> LoginRefusedError:
    if cls is AccountLockedError:
        error: LoginRefusedError = cls(S_(
            "This account is locked after too many failed logins. Ask a supervisor to unlock "
            "it."))
    elif cls is LoginWaitError:
        error = cls(S_("Too many failed logins. Wait {seconds} seconds, then try again."),
                    seconds=math.ceil(wait_s))
    else:
        error = cls(S_("The staff ID or the password is not correct."))
    error.wait_s = wait_s
    return error


class StaffService:
    """Staff account use cases.

    Args:
        store: the staff rows.
        usage: the usage log of this device.
        policy: delay and lockout of failed logins.

    The changing methods take ``by``, the member who asks: an admin (an unlock: a supervisor
    or an admin). ``by=None`` is for set-up code only (the demo's account, tests); the
    ``kiosk staff`` command always passes the admin who logged in.
    """

    def __init__(self, store: StaffStore, usage: UsageRecorder = NULL_USAGE,
                 policy: LoginPolicy | None = None) -> None:
        self._store = store
        self._usage = usage
        self.policy = policy or LoginPolicy()
        # Failures in a row typed at this device, whatever login they name.
        self._device_failures = 0
        self._device_failed_at: datetime | None = None
        _dummy_hash()       # now, so that even the first unknown login takes its full time

    # ------------------------------------------------------------------ accounts
    def add(self, login: str, display_name: str, role: Role, password: str, *,
            by: StaffMember | None = None) -> StaffMember:
        """Create an account with a salted scrypt hash of ``password``.

        Raises:
            NotAllowedError: ``by`` is not an admin.
            WeakPasswordError: shorter than :data:`MIN_PASSWORD_LENGTH`.
            kiosk.storage.staff_store.StaffExistsError: the login is taken.
        """
        _require_admin(by)
        member = self._store.add(login, display_name, role, _hashed(password))
        self._changed(member, "added", by)
        return member

    def add_first_admin(self, login: str, display_name: str, password: str) -> StaffMember:
        """Create the first account, an admin, while there is no account at all.

        Raises:
            NotAllowedError: an account exists already (an admin must log in).
            WeakPasswordError: shorter than :data:`MIN_PASSWORD_LENGTH`.
        """
        member = self._store.add_first(login, display_name, Role.ADMIN, _hashed(password))
        if member is None:
            raise NotAllowedError(S_("Staff accounts exist already: an admin must log in."))
        self._changed(member, "added", None)
        return member

    def ensure_demo_account(self) -> StaffMember:
        """The demo's supervisor account, created, or reset to the known password and
        unlocked, so that the login screen's hint is always true. For ``kiosk demo`` only."""
        found = self._store.credentials(DEMO_LOGIN)
        if found is None:
            return self.add(DEMO_LOGIN, "デモ職員", Role.SUPERVISOR, DEMO_PASSWORD)
        member, stored, state = found
        if not verify_password(DEMO_PASSWORD, stored):
            member = self.set_password(DEMO_LOGIN, DEMO_PASSWORD)
        if not member.active:
            member = self.enable(DEMO_LOGIN)
        if state.failures or member.locked:
            member = self._store.unlock(DEMO_LOGIN)
        return member

    def has_accounts(self) -> bool:
        """Whether any account exists (the first admin is added without a login)."""
        return bool(self._store.list())

    def list(self) -> list[StaffMember]:
        """Every account, enabled or not."""
        return self._store.list()

    def disable(self, login: str, *, by: StaffMember | None = None) -> StaffMember:
        """Disable an account; its history stays."""
        _require_admin(by)
        member = self._store.set_active(login, False)
        self._changed(member, "disabled", by)
        return member

    def enable(self, login: str, *, by: StaffMember | None = None) -> StaffMember:
        """Enable a disabled account again."""
        _require_admin(by)
        member = self._store.set_active(login, True)
        self._changed(member, "enabled", by)
        return member

    def set_password(self, login: str, password: str, *,
                     by: StaffMember | None = None) -> StaffMember:
        """Give an account a new password (a forgotten one)."""
        _require_admin(by)
        member = self._store.set_password(login, _hashed(password))
        self._changed(member, "password", by)
        return member

    def unlock(self, login: str, *, by: StaffMember) -> StaffMember:
        """Lift the lockout of an account.

        Raises:
            NotAllowedError: ``by`` is neither a supervisor nor an admin.
            kiosk.storage.staff_store.StaffNotFoundError: no such login.
        """
        if by.role not in _UNLOCKERS:
            raise NotAllowedError(S_("Only a supervisor or an admin can unlock an account."))
        member = self._store.unlock(login)
        self._usage.record(StaffUnlocked(staff=member.id, by=by.id))
        return member

    def _changed(self, member: StaffMember, change: str, by: StaffMember | None) -> None:
        self._usage.record(StaffChanged(staff=member.id, change=change, role=member.role.value,
                                        by=None if by is None else by.id))

    # ------------------------------------------------------------------ login
    def log_in(self, login: str, password: str) -> StaffMember:
        """The account if ``password`` is right and the account is enabled and not locked.

        Raises:
            LoginWaitError: the delay after the last failure is not over (nothing checked).
            AccountLockedError: locked by failures (the password is not checked either).
            WrongLoginError: unknown login, wrong password or disabled account.
        """
        now = self._store.clock.now()
        device_wait = self.policy.wait_s(self._device_failures, self._device_failed_at, now)
        if device_wait > 0:
            self._usage.record(StaffLoginFailed(staff=None, reason="waiting",
                                                failures=self._device_failures))
            raise _refused(LoginWaitError, device_wait)
        found = self._store.credentials(login)
        if found is None:
            verify_password(password, _dummy_hash())
            self._failed_here(now)
            self._usage.record(StaffLoginFailed(staff=None, reason="unknown", failures=0))
            raise _refused(WrongLoginError, self.policy.wait_s(
                self._device_failures, self._device_failed_at, now))
        member, stored, state = found
        self._check_state(member, state, now)
        if verify_password(password, stored) and member.active:
            self._device_failures, self._device_failed_at = 0, None
            if state.failures:
                self._store.clear_failures(member.id)
            self._usage.record(StaffLoggedIn(staff=member.id))
            return member
        raise self._wrong(member, now)

    def authenticate(self, login: str, password: str) -> StaffMember | None:
        """:meth:`log_in` at the current time, ``None`` for any refusal."""
        try:
            return self.log_in(login, password)
        except LoginRefusedError:
            return None

    def _check_state(self, member: StaffMember, state: LoginState, now: datetime) -> None:
        """Refuse a locked account, or a try during the delay, before the password is looked at
        (so the answer cannot tell whether it was right)."""
        if state.locked_at is not None:
            # Not counted at this device: no password was checked, and the supervisor who
            # comes to unlock it should not have to wait.
            self._usage.record(StaffLoginFailed(staff=member.id, reason="locked",
                                                failures=state.failures))
            raise _refused(AccountLockedError, 0.0)
        wait = self.policy.wait_s(state.failures, state.last_failed_at, now)
        if wait > 0:
            self._usage.record(StaffLoginFailed(staff=member.id, reason="waiting",
                                                failures=state.failures))
            raise _refused(LoginWaitError, wait)

    def _wrong(self, member: StaffMember, now: datetime) -> LoginRefusedError:
        state = self._store.record_failure(member.id, self.policy.lockout_after)
        self._failed_here(now)
        self._usage.record(StaffLoginFailed(
            staff=member.id, reason="wrong" if member.active else "disabled",
            failures=state.failures))
        if state.locked_at is not None and state.locked_at == state.last_failed_at:
            # This failure locked it: the lock time is the time of the failure that set it.
            self._usage.record(StaffLocked(staff=member.id, failures=state.failures))
        if state.locked_at is not None:
            return _refused(AccountLockedError, 0.0)
        return _refused(WrongLoginError, self.policy.delay_s(state.failures))

    def _failed_here(self, now: datetime) -> None:
        self._device_failures += 1
        self._device_failed_at = now


def _require_admin(by: StaffMember | None) -> None:
    if by is not None and by.role is not Role.ADMIN:
        raise NotAllowedError(S_("Only an admin can change staff accounts."))


def _hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(N_("The password must have at least {n} characters."),
                                n=MIN_PASSWORD_LENGTH)
    return hash_password(password)

