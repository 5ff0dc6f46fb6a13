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

__all__ = ["Role", "StaffMember", "hash_password", "verify_password"]

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
