"""A database outage told plainly: what a clerk reads, and what IT finds in the log.

The storage layer's :class:`~kiosk.storage.engine.DatabaseUnavailableError` names the URL and the
driver's reason, which is what IT needs and confuses a clerk. Front ends show
:data:`OUTAGE_MESSAGE` instead, keep what they showed, and the details go to the log once per
outage (not once per refresh while it lasts).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from kiosk.errors import ParamValue, UserFacingError
from kiosk.i18n import S_
from kiosk.storage.engine import DatabaseUnavailableError

__all__ = ["OUTAGE_MESSAGE", "OutageWatch", "is_outage"]

_log = logging.getLogger(__name__)

OUTAGE_MESSAGE = S_("The database cannot be reached. Wait a moment and try again; if it goes "
                    "on, call IT.")


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` means the database is away (not a refusal of what was asked)."""
    return isinstance(exc, DatabaseUnavailableError)


class OutageWatch:
    """Turns errors into what the person at the screen reads, and logs outages for IT."""

    def __init__(self) -> None:
        self.down = False

    def message(self, exc: UserFacingError) -> tuple[str, Mapping[str, ParamValue]]:
        """``exc``'s msgid and parameters, or the plain outage message when the database is
        away (its details logged the first time)."""
        if not is_outage(exc):
            return exc.message_id, exc.params
        if not self.down:
            # The URL without its password and the driver's words: no answers, no names.
            _log.warning("database unavailable: %s", exc.english())
        self.down = True
        return OUTAGE_MESSAGE, {}

    def back(self) -> None:
        """The database answered again."""
        if self.down:
            _log.info("database reachable again")
        self.down = False
