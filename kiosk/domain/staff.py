"""Staff accounts: roles and salted, deliberately slow password hashes (scrypt).

The hash string is self-describing (``scrypt$n$r$p$salt$hash``, base64) so that the cost can be
raised later without invalidating stored accounts.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

__all__ = ["LoginPolicy", "LoginState", "Role", "StaffMember", "hash_password", "verify_password"]

# scrypt cost: n=2**14, r=8 takes ~50 ms and 16 MiB, slow enough against offline guessing of a
# stolen database, fast enough for a clerk's login.
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_HASH_BYTES = 32


class Role(enum.StrEnum):
    """What a staff member may do."""

    CLERK = "clerk"            # call tickets, review applications
    SUPERVISOR = "supervisor"  # + transfer between services, reopen, day figures
    AUDITOR = "auditor"        # read usage logs and reports only
    ADMIN = "admin"            # + staff accounts and configuration


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff account as the services see it (never the password hash)."""

    id: int
    login: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    locked_at: datetime | None = None     # locked after too many failed logins

    @property
    def locked(self) -> bool:
        """Whether too many failed logins locked the account (a supervisor unlocks it)."""
        return self.locked_at is not None


@dataclass(frozen=True, slots=True)
class LoginState:
    """The failed logins of one account, as every clerk PC sees them in the database."""

    failures: int = 0
    last_failed_at: datetime | None = None
    locked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How failed logins slow down and then lock an account (``[staff]`` configuration).

    After the k-th failure in a row the next try waits ``first_delay_s * 2**(k-1)`` seconds,
    at most ``max_delay_s``; the ``lockout_after``-th failure locks the account.
    """

    lockout_after: int = 5
    first_delay_s: float = 2.0
    max_delay_s: float = 60.0

    def delay_s(self, failures: int) -> float:
        """Seconds the next try waits after ``failures`` failures in a row."""
        if failures <= 0:
            return 0.0
        # The exponent is capped so a long run of failures cannot overflow the float.
        return float(min(self.first_delay_s * 2 ** min(failures - 1, 32), self.max_delay_s))

    def wait_s(self, failures: int, last_failed_at: datetime | None, now: datetime) -> float:
        """Seconds left before the next try is allowed (0 when it is allowed now)."""
        if last_failed_at is None:
            return 0.0
        elapsed = (now - last_failed_at).total_seconds()
        return max(0.0, self.delay_s(failures) - elapsed)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    """A salted scrypt hash of ``password`` for storage."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=256 * n * r * p, dklen=_HASH_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; a malformed hash never matches."""
    try:
        scheme, n_text, r_text, p_text, salt_text, digest_text = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, expected = base64.b64decode(salt_text), base64.b64decode(digest_text)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=256 * n * r * p, dklen=len(expected))
    return hmac.compare_digest(digest, expected)
