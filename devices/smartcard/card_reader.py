"""The :class:`~kiosk.ports.IdentityReader` adapter: the read sequence over a slot.

A *slot* is where a card sits: a PC/SC reader (:class:`~devices.smartcard.pcsc_transport.PcscSlot`)
or the in-process simulator (:class:`~devices.smartcard.simulated_card.SimulatedSlot`). Both
open an exclusive, freshly powered session and power the card down when it ends, so the
adapter is the same for the real reader and the demo.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from devices.smartcard import read_sequence
from devices.smartcard.read_sequence import Channel
from kiosk.doctor import Check, Status
from kiosk.domain.identity import (
    CardError,
    CardStatus,
    Identity,
    MyNumber,
    MyNumberNotAllowedError,
    NoCardError,
    NotMyNumberCardError,
)
from kiosk.errors import ConfigError
from kiosk.i18n import S_

__all__ = ["CardIdentityReader", "Slot", "load_issuer_key"]

_log = logging.getLogger(__name__)
_BAD_KEY = S_("[card] issuer_ca_key: {file} is not a readable PEM file with an RSA public key.")


class Slot(Protocol):
    """Where the card sits: a reader name, the card's ATR, and exclusive sessions."""

    reader: str

    def atr(self) -> bytes:
        """The ATR of the card present (empty when none); raises only when the reader is gone."""
        ...

    def session(self) -> AbstractContextManager[Channel]:
        """An exclusive session on a freshly powered card, powered down on exit."""
        ...


def load_issuer_key(path: str) -> rsa.RSAPublicKey | None:
    """The issuer CA public key from a PEM file; ``None`` when ``path`` is empty.

    Raises:
        ConfigError: the file is unreadable or holds no RSA public key.
    """
    if not path:
        return None
    try:
        key = load_pem_public_key(Path(path).expanduser().read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(_BAD_KEY, file=path) from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ConfigError(_BAD_KEY, file=path)
    return key


class CardIdentityReader:
    """Reads the 基本4情報 (and, only when allowed, the 個人番号) from the card in ``slot``.

    Args:
        slot: the reader or the simulator.
        issuer_key: the issuer CA key; when set, every read verifies the DF33 signature.
        allow_my_number: enables :meth:`read_my_number` ([card] allow_my_number).
    """

    def __init__(self, slot: Slot, *, issuer_key: rsa.RSAPublicKey | None = None,
                 allow_my_number: bool = False) -> None:
        self.slot = slot
        self._issuer_key = issuer_key
        self._allow_my_number = allow_my_number

    def status(self) -> CardStatus:
        """Reader, presence, ATR and tries left, without a PIN."""
        atr = self.slot.atr()
        if not atr:
            return CardStatus(self.slot.reader, present=False)
        try:
            tries = self.tries_left()
        except NotMyNumberCardError:
            return CardStatus(self.slot.reader, True, atr.hex().upper(), my_number_card=False)
        except NoCardError:
            return CardStatus(self.slot.reader, present=False)
        return CardStatus(self.slot.reader, True, atr.hex().upper(), True, tries)

    def tries_left(self) -> int:
        """PIN tries left, asked with an empty VERIFY (uses no try)."""
        with self.slot.session() as channel:
            read_sequence.select_application(channel)
            return read_sequence.query_tries(channel)

    def read_identity(self, pin: str, *, use_last_try: bool = False) -> Identity:
        """See :meth:`kiosk.ports.IdentityReader.read_identity`."""
        read_sequence.check_pin_format(pin)          # before the card is even touched
        with self.slot.session() as channel:
            try:
                return read_sequence.read_identity(channel, pin, self._issuer_key,
                                                   use_last_try=use_last_try)
            except CardError as exc:
                # Only the error's type: its message is safe, but keep the log minimal.
                _log.info("card read failed: %s", type(exc).__name__)
                raise

    def read_my_number(self, pin: str) -> MyNumber:
        """See :meth:`kiosk.ports.IdentityReader.read_my_number`."""
        if not self._allow_my_number:
            raise MyNumberNotAllowedError
        read_sequence.check_pin_format(pin)
        with self.slot.session() as channel:
            return read_sequence.read_my_number(channel, pin)

    def probe(self) -> Sequence[Check]:
        """Reader and card state for ``kiosk doctor``; never raises."""
        try:
            status = self.status()
        except CardError as exc:
            return [Check("card.reader", Status.FAIL, exc.english())]
        detail = f"{status.reader}: " + ("card present" if status.present else "no card")
        return [Check("card.reader", Status.OK, detail)]
