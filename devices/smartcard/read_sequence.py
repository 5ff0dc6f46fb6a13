"""The read sequence of the 券面事項入力補助AP over any :class:`Channel` (PC/SC or simulator).

No I/O of its own: every step sends APDUs through the channel it is given and interprets the
answers. The flow for the 基本4情報 (reference §A6), eight APDUs on a plain card::

    SELECT AP (full AID) -> SELECT 0011 -> VERIFY (empty: tries left, none used)
    -> VERIFY PIN once -> SELECT 0002 -> READ 256 (the whole TLV unless the address is long)
    -> SELECT 0003 -> READ the 75 bytes up to the end of DF32

With the issuer CA key configured the card is also proved genuine: the rest of 0003 and all
of 0004 (the DF33 signature and its certificate), then EF 0007 (the AP's own key, signed by
the issuer) and internal authentication (GET CHALLENGE, the AP key signs a fresh nonce).

PIN rules: exactly 4 digits, checked before anything is sent; the tries are asked first and
nothing is sent at 0; VERIFY is sent once and never retried; the PIN bytes are wiped after
the call and VERIFY data never reaches the TRAFFIC log.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import rsa

from devices.smartcard import apdu
from devices.smartcard.apdu import Response
from devices.smartcard.basic_four import BasicFour, parse_basic_four
from devices.smartcard.integrity import (
    DIGEST_PREFIX_LENGTH,
    challenge_digest_info,
    check_ap_key,
    check_challenge_response,
    check_digest,
    check_signature,
    parse_integrity,
)
from devices.smartcard.status_words import SwKind, classify, raise_for
from devices.smartcard.tlv import TlvError, parse_header
from kiosk.domain.identity import (
    PIN_LENGTH,
    CardIntegrityError,
    CardProtocolError,
    Identity,
    LastTryError,
    MyNumber,
    PinFormatError,
    PinLockedError,
)
from kiosk.logging_setup import TRAFFIC

__all__ = [
    "Channel",
    "authenticate_card",
    "check_pin_format",
    "exchange",
    "query_tries",
    "read_ef",
    "read_identity",
    "read_my_number",
    "select_application",
    "verify_pin",
]

_log = logging.getLogger(__name__)
_MAX_CHAINED_RESPONSES = 64   # a card that keeps answering 61xx forever is broken


class Channel(Protocol):
    """A connection to one powered card: raw command APDU in, raw response (+SW) out."""

    def transmit(self, command: bytes) -> bytes:
        """Send ``command`` and return the response including SW1 SW2.

        Raises:
            kiosk.domain.identity.CardRemovedError: the card went away.
            kiosk.domain.identity.ReaderLostError: the PC/SC service went away.
        """
        ...


def _send(channel: Channel, command: bytes) -> Response:
    if _log.isEnabledFor(TRAFFIC):
        _log.log(TRAFFIC, "> %s", apdu.redacted_hex(command))
    response = apdu.split_response(channel.transmit(command))
    if _log.isEnabledFor(TRAFFIC):
        # Response data is the citizen's data: log its length only, never its bytes.
        _log.log(TRAFFIC, "< %d bytes, SW %04X", len(response.data), response.sw)
    return response


def exchange(channel: Channel, command: bytes) -> Response:
    """Send ``command``; follow ``61xx`` with GET RESPONSE and ``6Cxx`` with the right Le.

    pyscard does neither by itself, and a T=0 reader path may need both.
    """
    response = _send(channel, command)
    if classify(response.sw) is SwKind.WRONG_LE:
        response = _send(channel, apdu.with_le(command, response.sw2))
    data = response.data
    for _ in range(_MAX_CHAINED_RESPONSES):
        if classify(response.sw) is not SwKind.MORE_DATA:
            return Response(data, response.sw)
        response = _send(channel, apdu.get_response(response.sw2))
        data += response.data
    raise CardProtocolError("get response", response.sw)


def _expect_ok(response: Response, step: str) -> Response:
    if response.sw != 0x9000:
        raise_for(response.sw, step)
    return response


def select_application(channel: Channel) -> None:
    """SELECT the 券面事項入力補助AP by its full AID.

    Raises:
        NotMyNumberCardError: the card has no such application (6A82).
    """
    _expect_ok(exchange(channel, apdu.select_df(apdu.TEXT_AP_AID)), "select application")


def query_tries(channel: Channel) -> int:
    """SELECT the PIN IEF and ask the tries left with an empty VERIFY (uses no try).

    Returns 0 when the PIN is locked (63C0, 6983, 6984).
    """
    _expect_ok(exchange(channel, apdu.select_ef(apdu.IEF_PIN)), "select PIN")
    response = exchange(channel, bytes(apdu.verify(None)))
    kind = classify(response.sw)
    if kind is SwKind.TRIES_LEFT:
        return response.sw & 0x0F
    if kind is SwKind.BLOCKED:
        return 0
    if response.sw == 0x9000:
        # Already verified in this power cycle: a verified key reports no counter. It can only
        # happen if a session was not powered down; the counter was reset by that success.
        return 3
    raise_for(response.sw, "tries left")


def check_pin_format(pin: str) -> bytearray:
    """The PIN as 4 ASCII digit bytes, checked before anything is sent.

    Raises:
        PinFormatError: not exactly 4 ASCII digits (full-width digits are refused too: the
            card compares bytes).
    """
    if len(pin) != PIN_LENGTH or not all("0" <= char <= "9" for char in pin):
        raise PinFormatError
    return bytearray(pin, "ascii")


def verify_pin(channel: Channel, pin: str, *, use_last_try: bool = False) -> None:
    """Select the PIN IEF, ask the tries, refuse at 0, then VERIFY once (the AP is selected).

    Args:
        channel: the card, with the AP selected.
        pin: the 4 digits.
        use_last_try: send the PIN even when one try is left (the person confirmed it).

    Raises:
        PinFormatError: before anything is sent.
        LastTryError: 1 try left and ``use_last_try`` is false (nothing sent).
        PinLockedError: 0 tries left (nothing sent) or this attempt locked the card.
        WrongPinError: refused, with the tries left.
    """
    pin_bytes = check_pin_format(pin)
    command = apdu.verify(pin_bytes)
    try:
        tries = query_tries(channel)
        if tries == 0:
            raise PinLockedError
        if tries == 1 and not use_last_try:
            # Checked here, on the card's own counter: whatever a front end believed, the
            # last try is never spent without the person's separate confirmation.
            raise LastTryError
        # Sent exactly once: a retry would burn another of the citizen's three tries.
        response = exchange(channel, bytes(command))
    finally:
        # Keep no copy of the digits beyond this call.
        pin_bytes[:] = bytes(len(pin_bytes))
        command[:] = bytes(len(command))
    _expect_ok(response, "verify PIN")


def _first_read(channel: Channel, file_id: int, length: int) -> bytearray:
    response = exchange(channel, apdu.read_binary(0, length))
    # 6282: the EF is shorter than Le; the card still returns what it has (JICSAP 6.4.1).
    if response.sw == 0x6282 and response.data:
        return bytearray(response.data)
    return bytearray(_expect_ok(response, f"read {file_id:04X}").data)


def read_ef(channel: Channel, file_id: int, limit: int | None = None) -> bytes:
    """SELECT ``file_id`` and read its TLV: one READ of up to 256 bytes, then the rest.

    The first READ asks for 256 bytes (or ``limit``): a short Le that every reader supports,
    and the card answers with what the EF holds when it is shorter. The 基本4情報 of a plain
    card and the digest prefix of EF 0003 come in that one READ; only a long address or a
    whole certificate takes more.

    Args:
        channel: the card.
        file_id: the EF.
        limit: stop after this many bytes (a prefix is enough for the digest check).

    Returns:
        The TLV bytes (header and value, without the EF's trailing filler).
    """
    _expect_ok(exchange(channel, apdu.select_ef(file_id)), f"select {file_id:04X}")
    data = _first_read(channel, file_id, min(apdu.MAX_SHORT_LE, limit or apdu.MAX_SHORT_LE))
    try:
        _, header_length, length = parse_header(data)
    except TlvError:
        if bytes(data[:1]) in (b"\x00", b"\xff", b""):
            raise TlvError(f"EF {file_id:04X} is empty") from None
        raise
    total = header_length + length
    wanted = total if limit is None else min(total, limit)
    while len(data) < wanted:
        chunk = min(apdu.MAX_SHORT_LE, wanted - len(data))
        response = exchange(channel, apdu.read_binary(len(data), chunk))
        if classify(response.sw) is SwKind.END_OF_FILE or (response.sw == 0x9000
                                                              and not response.data):
            raise TlvError(f"EF {file_id:04X} ends before its TLV")
        data += _expect_ok(response, f"read {file_id:04X}").data
    return bytes(data[:wanted])


def read_identity(channel: Channel, pin: str, issuer_key: rsa.RSAPublicKey | None = None,
                  *, use_last_try: bool = False) -> Identity:
    """The whole flow on a powered card: select, tries, verify, read, check integrity.

    Args:
        channel: a freshly powered card, held exclusively.
        pin: the 4 digits the citizen typed.
        issuer_key: the issuer CA key; when given, the DF33 signature is verified and the
            card proves it holds its issuer-signed AP key (internal authentication).
        use_last_try: the person confirmed spending the last PIN try (see :func:`verify_pin`).

    Returns:
        The identity; ``issuer_verified`` is true only when all of that passed.

    Raises:
        kiosk.domain.identity.CardError: every failure, typed.
    """
    check_pin_format(pin)
    select_application(channel)
    verify_pin(channel, pin, use_last_try=use_last_try)
    basic = parse_basic_four(read_ef(channel, apdu.EF_BASIC_FOUR))
    _check_integrity(channel, basic, issuer_key)
    if issuer_key is None:
        return basic.identity
    authenticate_card(channel, issuer_key)
    return dataclasses.replace(basic.identity, issuer_verified=True)


def authenticate_card(channel: Channel, issuer_key: rsa.RSAPublicKey) -> None:
    """Internal authentication: the card signs a fresh nonce with its issuer-signed AP key.

    Reads EF 0007 (the AP key and the issuer's signature over it), asks the card's
    challenge, and has the card sign a DigestInfo of (card challenge || kiosk nonce). The
    kiosk's own random half makes every answer new: a card replaying recorded answers, or a
    blank card carrying another card's files, cannot produce it.

    Raises:
        CardIntegrityError: the key is not the issuer's (``card key``) or the card cannot
            sign with it (``internal authentication``).
    """
    card_key = check_ap_key(read_ef(channel, apdu.EF_AP_KEY), issuer_key)
    card_challenge = _expect_ok(exchange(channel, apdu.get_challenge()), "get challenge").data
    message = card_challenge + secrets.token_bytes(apdu.CHALLENGE_LENGTH)
    response = exchange(channel, apdu.internal_authenticate(challenge_digest_info(message)))
    if response.sw != 0x9000:
        # A card without the AP key (or without the command) fails the proof, typed.
        raise CardIntegrityError("internal authentication")
    check_challenge_response(card_key, message, response.data)


def _check_integrity(channel: Channel, basic: BasicFour,
                     issuer_key: rsa.RSAPublicKey | None) -> None:
    limit = None if issuer_key is not None else DIGEST_PREFIX_LENGTH
    record = parse_integrity(read_ef(channel, apdu.EF_INTEGRITY, limit))
    check_digest(record, basic.digest_source)
    if issuer_key is not None:
        check_signature(record, read_ef(channel, apdu.EF_CERTIFICATE), issuer_key)


def read_my_number(channel: Channel, pin: str) -> MyNumber:
    """Read the 個人番号 from EF 0001 (only through the explicit, configured API).

    Raises:
        TlvError: EF 0001 is not ``FF10 0C`` + 12 digits.
    """
    check_pin_format(pin)
    select_application(channel)
    verify_pin(channel, pin)
    raw = read_ef(channel, apdu.EF_MY_NUMBER)
    _, header_length, _ = parse_header(raw)
    digits = raw[header_length:]
    if raw[:2] != b"\xff\x10" or len(digits) != 12 or not digits.isdigit():
        raise TlvError("EF 0001 is not a 12-digit number")
    return MyNumber(digits.decode("ascii"))
