"""The visitor asks the main office for a specialist (the remote counter, リモート窓口).

:class:`kiosk.services.visit.Visit` owns one (``visit.specialist``); the ticket screen of a
branch's tablet offers it once a ticket is issued.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.errors import UserFacingError

__all__ = ["SpecialistRequest"]


class SpecialistRequest:
    """Asks for a specialist of the ticket's service, once a visit.

    Args:
        ask: makes the request ``(service, language, queue ticket id)``; ``None`` where the
            tablet has no remote counter.
        ticket: the visit's ticket now, as ``(service, queue ticket id)`` (``None``: none yet).
        language: the visit's language now (a catalog code).
        error_shown: records an error shown to the citizen.
        changed: called once the request was made (the ticket screen shows it).
    """

    def __init__(self, ask: Callable[[str, str, int | None], object] | None,
                 ticket: Callable[[], tuple[str, int | None] | None],
                 language: Callable[[], str],
                 error_shown: Callable[[str, BaseException], None],
                 changed: Callable[[], None]) -> None:
        self._ask = ask
        self._ticket = ticket
        self._language = language
        self._error_shown = error_shown
        self._changed = changed
        self.asked = False    # the main office was asked for a specialist

    @property
    def available(self) -> bool:
        """Whether the ticket screen offers a specialist at the main office (a branch's
        tablet with the remote counter, a ticket issued, not asked yet)."""
        return self._ask is not None and self._ticket() is not None and not self.asked

    def ask(self) -> None:
        """Ask the main office for a specialist of the ticket's service, in the visitor's
        language; the request names the ticket (the specialist reviews its applications).

        Raises:
            UserFacingError: the request could not be made (shown, then re-raised).
        """
        ticket = self._ticket()
        if self._ask is None or ticket is None or self.asked:
            return
        service, ticket_id = ticket
        try:
            self._ask(service, self._language(), ticket_id)
        except UserFacingError as exc:
            self._error_shown("remote", exc)
            raise
        self.asked = True
        self._changed()
