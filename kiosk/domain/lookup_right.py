"""The right to look residents up in the register: granted per staff member, for one fiscal
year at most (MADO's grants end on 31 March, so every April someone decides again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["LookupGrant", "fiscal_year_end"]


def fiscal_year_end(day: date) -> date:
    """The last day of the Japanese fiscal year ``day`` is in (31 March)."""
    return date(day.year if day.month <= 3 else day.year + 1, 3, 31)


@dataclass(frozen=True, slots=True)
class LookupGrant:
    """One grant: who (``staff_id``), whether 本籍 and 筆頭者 are shown too, by whom, until
    when (``expires_on`` inclusive), and when it was revoked, if it was."""

    id: int
    staff_id: int
    honseki: bool
    granted_by: int | None
    granted_at: datetime
    expires_on: date
    revoked_at: datetime | None = None

    def valid_on(self, day: date) -> bool:
        """Whether the grant allows lookups on ``day``."""
        return self.revoked_at is None and day <= self.expires_on
