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
from kiosk.i18n import N_, S_
from kiosk.storage.engine import DatabaseUnavailableError

__all__ = ["CITIZEN_OUTAGE_MESSAGE", "OUTAGE_MESSAGE", "OutageWatch", "citizen_message", "is_outage"]

_log = logging.getLogger(__name__)

OUTAGE_MESSAGE = S_("The database cannot be reached. Wait a moment and try again; if it goes "
                    "on, call IT.")
# The citizen's side: what they can do, in their language, without the words of IT.
CITIZEN_OUTAGE_MESSAGE = N_("A ticket cannot be issued just now. Please wait a moment and send "
                            "again; if it goes on, please call a staff member.")


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` means the database is away (not a refusal of what was asked)."""
    return isinstance(exc, DatabaseUnavailableError)


def citizen_message(exc: UserFacingError) -> tuple[str, Mapping[str, ParamValue]]:
    """``exc``'s msgid and parameters for the citizen's screen: a database outage as
    :data:`CITIZEN_OUTAGE_MESSAGE` (its details logged for IT)."""
    if not is_outage(exc):
        return exc.message_id, exc.params
    _log.warning("database unavailable while a citizen sends: %s", exc.english())
    return CITIZEN_OUTAGE_MESSAGE, {}


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
