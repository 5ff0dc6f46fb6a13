"""The PC/SC transport: one configured reader, exclusive sessions, unpower on disconnect.

Uses pyscard's thin ``smartcard.scard`` layer (one call per PC/SC function) so that every
result code is seen and mapped to a typed error. pcscd on Linux, WinSCard on Windows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from smartcard import scard

from kiosk.domain.identity import (
    CardBusyError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderLostError,
)

__all__ = ["PcscChannel", "PcscSlot", "choose_reader", "raise_for_result"]

_log = logging.getLogger(__name__)

# A card taken out mid-read shows up differently per driver: real CCID readers answer
# REMOVED_CARD or NO_SMARTCARD, vpcd answers NOT_TRANSACTED (reference §A10.10).
_REMOVED = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD,
                      scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_W_RESET_CARD,
                      scard.SCARD_W_UNPOWERED_CARD, scard.SCARD_W_UNRESPONSIVE_CARD})
_SERVICE_GONE = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED,
                           scard.SCARD_E_INVALID_HANDLE, scard.SCARD_F_COMM_ERROR,
                           scard.SCARD_E_NO_READERS_AVAILABLE,
                           scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER})


def raise_for_result(result: int, *, connecting: bool = False) -> NoReturn:
    """Raise the typed error for a failed PC/SC call (``result`` != SCARD_S_SUCCESS)."""
    _log.debug("PC/SC call failed: %08X", result & 0xFFFFFFFF)
    if result == scard.SCARD_E_SHARING_VIOLATION:
        raise CardBusyError
    if result in _REMOVED:
        raise NoCardError if connecting else CardRemovedError
    if result in _SERVICE_GONE:
        raise ReaderLostError
    # Anything else (protocol mismatch, unresponsive card) the citizen fixes by re-inserting.
    raise CardRemovedError


def choose_reader(names: Sequence[str], wanted: str) -> str:
    """The reader whose name contains ``wanted`` (the first such, in the system's order).

    Raises:
        NoReaderError: none matches (or there is none at all).
    """
    matching = [name for name in names if wanted in name]
    if not matching:
        raise NoReaderError(wanted)
    if len(matching) > 1:
        _log.warning("%d readers match %r; using the first (set [card] reader)",
                     len(matching), wanted)
    return matching[0]


class PcscChannel:
    """A connected card handle: raw APDUs through ``SCardTransmit``."""

    def __init__(self, card: Any, protocol: int) -> None:
        self._card = card
        self._protocol = protocol

    def transmit(self, command: bytes) -> bytes:
        """Send one APDU; map transport failures to CardRemovedError / ReaderLostError."""
        result, response = scard.SCardTransmit(self._card, self._protocol, list(command))
        if result != scard.SCARD_S_SUCCESS:
            raise_for_result(result)
        if len(response) < 2:
            # vpcd answers "success, 0 bytes" when the card left between command and answer;
            # no card ever answers without a status word, so treat it as a removal.
            raise CardRemovedError
        return bytes(response)


class PcscSlot:
    """The configured PC/SC reader.

    Args:
        wanted: a substring of the reader name (``[card] reader``); empty = the first reader.
    """

    def __init__(self, wanted: str = "") -> None:
        self.wanted = wanted
        self.reader = wanted

    @contextmanager
    def _context(self) -> Iterator[Any]:
        result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if result != scard.SCARD_S_SUCCESS:
            raise ReaderLostError
        try:
            yield context
        finally:
            scard.SCardReleaseContext(context)

    def _resolve(self, context: Any) -> str:
        result, names = scard.SCardListReaders(context, [])
        if result == scard.SCARD_E_NO_READERS_AVAILABLE:
            raise NoReaderError(self.wanted)
        if result != scard.SCARD_S_SUCCESS:
            raise_for_result(result)
        self.reader = choose_reader(list(names), self.wanted)
        return self.reader

    def atr(self) -> bytes:
        """The ATR of the card in the reader, or empty bytes when there is none."""
        with self._context() as context:
            reader = self._resolve(context)
            result, states = scard.SCardGetStatusChange(
                context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
            if result != scard.SCARD_S_SUCCESS:
                raise_for_result(result)
            _, event_state, atr = states[0]
            return bytes(atr) if event_state & scard.SCARD_STATE_PRESENT else b""

    @contextmanager
    def session(self) -> Iterator[PcscChannel]:
        """Connect exclusively (no other program can SELECT between our APDUs and clear the
        verified state), yield the channel, then disconnect with UNPOWER so that no verified
        state outlives the session.

        Raises:
            NoCardError, CardBusyError, NoReaderError, ReaderLostError.
        """
        with self._context() as context:
            reader = self._resolve(context)
            result, card, protocol = scard.SCardConnect(
                context, reader, scard.SCARD_SHARE_EXCLUSIVE,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
            if result != scard.SCARD_S_SUCCESS:
                raise_for_result(result, connecting=True)
            try:
                yield PcscChannel(card, protocol)
            finally:
                scard.SCardDisconnect(card, scard.SCARD_UNPOWER_CARD)
