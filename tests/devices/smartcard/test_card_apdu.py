"""APDU builders, redaction and the status-word table, as tables of hex strings."""

from __future__ import annotations

import pytest

from devices.smartcard import apdu
from devices.smartcard.status_words import STATUS_WORDS, SwKind, classify, raise_for
from kiosk.domain.identity import (
    CardError,
    CardProtocolError,
    NotMyNumberCardError,
    PinLockedError,
    WrongPinError,
)


@pytest.mark.parametrize(("command", "expected"), [
    (apdu.select_df(apdu.TEXT_AP_AID), "00a4040c0ad3921000310001010408"),
    (apdu.select_ef(apdu.IEF_PIN), "00a4020c020011"),
    (apdu.select_ef(apdu.EF_BASIC_FOUR), "00a4020c020002"),
    (bytes(apdu.verify(None)), "00200080"),
    (bytes(apdu.verify(b"1234")), "002000800431323334"),
    (apdu.read_binary(0, 7), "00b0000007"),
    (apdu.read_binary(7, 256), "00b0000700"),
    (apdu.read_binary(0x0107, 42), "00b001072a"),
    (apdu.get_response(0x10), "00c0000010"),
    (apdu.with_le(apdu.read_binary(0, 7), 0x05), "00b0000005"),
], ids=["select-text-ap", "select-pin", "select-basic-four", "tries-query", "verify",
        "read-header", "read-256", "read-offset", "get-response", "6cxx-resend"])
def test_builders__reference_apdus__exact_bytes(command: bytes, expected: str) -> None:
    assert command.hex() == expected


@pytest.mark.parametrize(("offset", "length"), [(-1, 1), (0x8000, 1), (0, 0), (0, 257)])
def test_read_binary__out_of_range__value_error(offset: int, length: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        apdu.read_binary(offset, length)


@pytest.mark.parametrize(("command", "expected"), [
    (bytes.fromhex("002000800431323334"), "00 20 00 80 04 <4 bytes redacted>"),
    (bytes.fromhex("0024018004393939390000"), "00 24 01 80 04 <6 bytes redacted>"),
    (bytes.fromhex("00200080"), "00 20 00 80"),
    (bytes.fromhex("00a4020c020011"), "00 A4 02 0C 02 00 11"),
], ids=["verify", "change-pin", "empty-verify", "select"])
def test_redacted_hex__commands__pin_digits_never_shown(command: bytes, expected: str) -> None:
    assert apdu.redacted_hex(command) == expected


@pytest.mark.parametrize(("raw", "data", "sw"), [
    ("9000", "", 0x9000), ("aabb9000", "aabb", 0x9000), ("63c2", "", 0x63C2)])
def test_split_response__raw__data_and_sw(raw: str, data: str, sw: int) -> None:
    response = apdu.split_response(bytes.fromhex(raw))
    assert (response.data.hex(), response.sw) == (data, sw)


def test_split_response__one_byte__value_error() -> None:
    with pytest.raises(ValueError, match="shorter"):
        apdu.split_response(b"\x90")


@pytest.mark.parametrize(("sw", "kind"), [
    (0x9000, SwKind.OK), (0x6110, SwKind.MORE_DATA), (0x6C07, SwKind.WRONG_LE),
    (0x63C3, SwKind.TRIES_LEFT), (0x63C0, SwKind.TRIES_LEFT), (0x6300, SwKind.VERIFY_FAILED),
    (0x6983, SwKind.BLOCKED), (0x6984, SwKind.BLOCKED), (0x6982, SwKind.SECURITY),
    (0x6A82, SwKind.NOT_FOUND), (0x6B00, SwKind.END_OF_FILE), (0x6282, SwKind.END_OF_FILE),
    (0x6A86, SwKind.WRONG_P1P2), (0x6700, SwKind.WRONG_LENGTH), (0x6981, SwKind.NO_CURRENT_EF),
    (0x6986, SwKind.NO_CURRENT_EF), (0x6D00, SwKind.UNSUPPORTED), (0x6E00, SwKind.UNSUPPORTED),
    (0x6881, SwKind.UNSUPPORTED), (0x6F00, SwKind.OTHER),
])
def test_classify__status_words__kind(sw: int, kind: SwKind) -> None:
    assert classify(sw) is kind


def test_status_words__table__no_row_shadows_another() -> None:
    for index, row in enumerate(STATUS_WORDS):
        first = next(r for r in STATUS_WORDS if row.sw & r.mask == r.sw)
        assert first is row, f"row {index} ({row.sw:04X}) is shadowed"


@pytest.mark.parametrize(("sw", "step", "error", "tries"), [
    (0x63C2, "verify PIN", WrongPinError, 2),
    (0x63C1, "verify PIN", WrongPinError, 1),
    (0x6300, "verify PIN", WrongPinError, 1),
    (0x63C0, "verify PIN", PinLockedError, 0),
    (0x6983, "verify PIN", PinLockedError, 0),
    (0x6984, "verify PIN", PinLockedError, 0),
    (0x6A82, "select application", NotMyNumberCardError, None),
    (0x6A82, "select 0002", CardProtocolError, None),
    (0x6982, "read 0002", CardProtocolError, None),
    (0x6F00, "read 0002", CardProtocolError, None),
])
def test_raise_for__status_words__typed_error(sw: int, step: str, error: type[CardError],
                                              tries: int | None) -> None:
    with pytest.raises(error) as caught:
        raise_for(sw, step)
    assert getattr(caught.value, "tries_left", None) == tries
    assert caught.value.message_id                       # a citizen-facing message id


def test_wrong_pin__one_try_left__strong_warning_message() -> None:
    assert "locked" in WrongPinError(1).english()
    assert WrongPinError(2).english() == "The PIN is not correct. 2 tries are left."
