"""The card step of a visit: the PIN's tries, one read of the My Number card, its outcome.

:class:`CardStep` turns whatever the reader raises into a :class:`CardResult` the screen shows
(never a traceback) and records the PIN's outcome and the read in the usage log. It never
keeps the PIN; it keeps the identity read for its visit only:
:class:`kiosk.services.visit.Visit` owns one (``visit.card``), is told what was read (or that
the visitor goes on without the card) and forgets it when the visit ends.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.audit import CardRead, PinOutcome, UsageRecorder, error_code
from kiosk.domain.identity import (
    CardRemovedError,
    Identity,
    LastTryError,
    NoCardError,
    PinFormatError,
    PinLockedError,
    WrongPinError,
)
from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.ports import IdentityReader
from kiosk.procedures.session import Provenance

__all__ = ["SOMETHING_WENT_WRONG", "CardOutcome", "CardResult", "CardStep", "card_sources"]

_log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = N_("Something went wrong. Please call a staff member.")
"""What the citizen reads when a failure has no message of its own (never a traceback)."""

# What the citizen entered wrong, not a failure: the PIN's outcome records it.
_NOT_AN_ERROR = (WrongPinError, PinFormatError, LastTryError)


class CardOutcome(enum.Enum):
    """What a PIN attempt led to."""

    READ = "read"
    LAST_TRY = "last_try"      # one try left, not confirmed: nothing was sent
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"
    REMOVED = "removed"
    FAILED = "failed"


@dataclass(frozen=True)
class CardResult:
    """The outcome of one PIN attempt and the message for the citizen (never personal data)."""

    outcome: CardOutcome
    message_id: str = ""
    params: Mapping[str, Any] | None = None
    tries_left: int | None = None


class CardStep:
    """Reads the card of one tablet for its visits and keeps the visit's identity.

    Args:
        reader: the My Number card reader (``None``: the tablet has none, every read fails).
        usage: the usage log.
        session_id: the current visit's usage-log id ('' before the visit started).
        error_shown: records an error shown to the citizen (``where``, the error or its class).
        identified: gets the identity read (``None``: the visitor goes on without the card).
        removed: called when the card left the reader during a read.
    """

    def __init__(self, reader: IdentityReader | None, usage: UsageRecorder,
                 session_id: Callable[[], str],
                 error_shown: Callable[[str, BaseException | type[BaseException]], None],
                 identified: Callable[[Identity | None], None] = lambda _identity: None,
                 removed: Callable[[], None] = lambda: None) -> None:
        self._reader = reader
        self._usage = usage
        self._session_id = session_id
        self._error_shown = error_shown
        self._identified = identified
        self._removed = removed
        self.identity: Identity | None = None
        self.with_card = False

    def forget(self) -> None:
        """Forget the identity read (the visit ended, or went back before the card)."""
        self.identity = None
        self.with_card = False

    def provenance(self) -> Provenance:
        """The provenance of the answers read from the card (unverified: the issuer's
        signature was not checked)."""
        verified = self.identity is not None and self.identity.issuer_verified
        return Provenance.CARD if verified else Provenance.CARD_UNVERIFIED

    def tries_left(self) -> int:
        """PIN tries left on the inserted card, before the PIN pad is shown.

        Raises:
            kiosk.domain.identity.CardError: no card, not a My Number card, reader gone.
        """
        try:
            if self._reader is None:
                raise NoCardError
            tries = self._reader.tries_left()
        except UserFacingError as exc:
            self._error_shown("card.read", exc)
            raise
        if tries == 0:
            # The screen stops with "the PIN of this card is locked" before any PIN is asked.
            self._error_shown("card.read", PinLockedError)
        return tries

    def read(self, pin: str, *, use_last_try: bool = False) -> CardResult:
        """Try ``pin`` once and, if the card accepts it, read the identity and pre-fill.

        With one try left nothing is sent unless ``use_last_try`` (the citizen confirmed it
        on its own screen); the result is then ``LAST_TRY``. A card that left the reader
        ends the visit.

        The PIN is only passed through to the card: it is not kept, logged or spoken.
        """
        identity, result = self._read(pin, use_last_try)
        if result.outcome is CardOutcome.REMOVED:
            self._removed()
        if identity is None:
            return result
        self.identity = identity
        self.with_card = True
        self._identified(identity)
        return result

    def continue_without(self) -> None:
        """Continue without the card: the same forms, answered by touch."""
        self.forget()
        self._identified(None)

    def _read(self, pin: str, use_last_try: bool) -> tuple[Identity | None, CardResult]:
        """Try ``pin`` once: the identity read (``None`` when not read) and the outcome."""
        if self._reader is None:
            error = NoCardError()
            self._error_shown("card.read", error)
            return None, _failed(error)
        try:
            identity = self._reader.read_identity(pin, use_last_try=use_last_try)
        except Exception as exc:   # every failure becomes a plain message, never a traceback
            return None, self._failed(exc)
        self._record("ok", -1, None)
        return identity, CardResult(CardOutcome.READ)

    def _failed(self, exc: Exception) -> CardResult:
        """The citizen's message for a card that was not read; usage log: outcome and error."""
        if not isinstance(exc, _NOT_AN_ERROR):
            self._error_shown("card.read", exc)
        if isinstance(exc, LastTryError):
            return CardResult(CardOutcome.LAST_TRY, exc.message_id, exc.params, 1)
        if isinstance(exc, WrongPinError):
            self._record("wrong", exc.tries_left, exc)
            return CardResult(CardOutcome.WRONG_PIN, exc.message_id, exc.params, exc.tries_left)
        if isinstance(exc, PinLockedError):
            self._record("locked", 0, exc)
            return CardResult(CardOutcome.LOCKED, exc.message_id, exc.params, 0)
        self._record("", -1, exc)
        if isinstance(exc, CardRemovedError | NoCardError):
            # The card was there when the tries were asked: it left before or during the read.
            return CardResult(CardOutcome.REMOVED, exc.message_id, exc.params)
        if isinstance(exc, UserFacingError):
            return _failed(exc)
        # Not one of the card's errors (a bug, a library's own exception): its message may
        # hold anything, so only the class is logged.
        _log.error("card read failed unexpectedly (%s)", type(exc).__name__)
        return CardResult(CardOutcome.FAILED, SOMETHING_WENT_WRONG)

    def _record(self, pin_outcome: str, tries_left: int, error: Exception | None) -> None:
        """Usage log: the PIN's outcome (never its digits) and whether the card was read."""
        session_id = self._session_id()
        if not session_id:
            return
        if pin_outcome:
            self._usage.record(PinOutcome(session_id, outcome=pin_outcome,
                                          tries_left=tries_left if tries_left >= 0 else None))
        reason = "" if error is None else error_code(error)
        self._usage.record(CardRead(session_id, ok=error is None, reason=reason))


def card_sources(identity: Identity) -> dict[str, Any]:
    """The prefill sources (``card.*``) of what was read from the card."""
    # The card has no reading (フリガナ) yet: card.reading is not offered; the visit proposes a
    # reading (proposed_reading) that the citizen confirms, so its provenance is the citizen's.
    return {"card.name": identity.name, "card.address": identity.address,
            "card.birth_date": identity.birth_date, "card.sex": identity.sex.value}


def _failed(exc: UserFacingError) -> CardResult:
    return CardResult(CardOutcome.FAILED, exc.message_id, exc.params)
