"""The read sequence against the in-process simulated card: APDUs, PIN safety, integrity."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from devices.smartcard import read_sequence
from devices.smartcard.simulated_card import (
    SimulatedMyNumberCard,
    SimulatedSlot,
    build_files,
    load_person,
    simulator_issuer_public_pem,
)
from kiosk.domain.identity import (
    CardError,
    CardIntegrityError,
    CardProtocolError,
    CardRemovedError,
    LastTryError,
    NotMyNumberCardError,
    PinFormatError,
    PinLockedError,
    Sex,
    WrongPinError,
)
from kiosk.logging_setup import TRAFFIC

PLAIN_FLOW = [
    "00a4040c0ad3921000310001010408",    # SELECT the text AP by its full AID
    "00a4020c020011",                    # SELECT the PIN IEF
    "00200080",                          # tries left, no try used
    "002000800431323334",                # VERIFY once
    "00a4020c020002",                    # SELECT EF 0002
    "00b0000000",                        # Le = 256: the whole 125-byte TLV (and filler)
    "00a4020c020003",                    # SELECT EF 0003
    "00b000004b",                        # exactly the 75 bytes up to the end of DF32
]


class Recorder:
    """A channel that records every command sent to the card in a slot."""

    def __init__(self, slot: SimulatedSlot,
                 rewrite: Callable[[bytes, bytes], bytes] | None = None) -> None:
        self.slot = slot
        self.sent: list[str] = []
        self._rewrite = rewrite

    def transmit(self, command: bytes) -> bytes:
        self.sent.append(command.hex())
        response = self.slot.transmit(command)
        return self._rewrite(command, response) if self._rewrite else response


def _slot(person: str, **kwargs: object) -> SimulatedSlot:
    return SimulatedSlot(SimulatedMyNumberCard(load_person(person)), **kwargs)  # type: ignore[arg-type]


def _issuer() -> rsa.RSAPublicKey:
    key = load_pem_public_key(simulator_issuer_public_pem())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def test_read_identity__plain_card__minimal_apdu_sequence() -> None:
    slot = _slot("plain")
    recorder = Recorder(slot)
    with slot.session():
        identity = read_sequence.read_identity(recorder, "1234")
    assert recorder.sent == PLAIN_FLOW
    assert (identity.family_name, identity.given_name) == ("試験", "花子")


@pytest.mark.parametrize(("person", "pin", "family", "given", "born", "sex"), [
    ("plain", "1234", "試験", "花子", date(1985, 4, 12), Sex.FEMALE),
    ("long_address", "4321", "長住所", "太郎", date(1949, 12, 31), Sex.MALE),
    ("gaiji", "0000", "𠮷田", "髙﨑", date(2000, 2, 29), Sex.MALE),
    ("sex9", "9999", "ナナシ", "", date(1970, 1, 1), Sex.NOT_APPLICABLE),
])
def test_read_identity__test_persons__four_items_and_signature(
        person: str, pin: str, family: str, given: str, born: date, sex: Sex) -> None:
    slot = _slot(person)
    with slot.session() as channel:
        identity = read_sequence.read_identity(channel, pin, _issuer())
    assert (identity.family_name, identity.given_name, identity.birth_date, identity.sex) == (
        family, given, born, sex)
    assert identity.address == load_person(person).address


def test_read_identity__long_address__ber_81_and_two_reads() -> None:
    slot = _slot("long_address")
    recorder = Recorder(slot)
    with slot.session():
        read_sequence.read_identity(recorder, "4321")
    assert recorder.sent[4:7] == ["00a4020c020002", "00b0000000", "00b0010034"]
    assert len(recorder.sent) == 9
    ef = build_files(load_person("long_address"))[2]
    assert ef.startswith(bytes.fromhex("ff2082012f"))          # outer length 82 xx xx
    assert bytes.fromhex("df2381fc") in ef                      # address length 81 xx


def test_session__after_read__verified_state_gone() -> None:
    slot = _slot("plain")
    with slot.session() as channel:
        read_sequence.read_identity(channel, "1234")
    with slot.session() as channel:
        read_sequence.select_application(channel)
        assert channel.transmit(bytes.fromhex("00a4020c020002")) == b"\x90\x00"
        assert channel.transmit(bytes.fromhex("00b0000007")) == b"\x69\x82"


def test_read_identity__gaiji__ivs_kept_and_nfkc_copy() -> None:
    slot = _slot("gaiji")
    with slot.session() as channel:
        identity = read_sequence.read_identity(channel, "0000")
    assert "葛\U000e0100" in identity.address
    assert "葛\U000e0100" in identity.address_for_fields
    assert "2丁目6-1" in identity.address_for_fields
    assert "\U00020bb7" in identity.name


@pytest.mark.parametrize(("pin", "start", "error", "left"), [
    ("9999", 3, WrongPinError, 2),
    ("9999", 2, WrongPinError, 1),
    ("9999", 1, PinLockedError, 0),
])
def test_read_identity__wrong_pin__tries_decrement_then_lock(
        pin: str, start: int, error: type[CardError], left: int) -> None:
    slot = _slot("plain")
    assert slot.card is not None
    slot.card.tries = start
    with slot.session() as channel, pytest.raises(error) as caught:
        read_sequence.read_identity(channel, pin, use_last_try=True)
    assert slot.card.tries == left
    assert getattr(caught.value, "tries_left", None) == left


def test_read_identity__right_pin_after_wrong__counter_reset() -> None:
    slot = _slot("plain")
    assert slot.card is not None
    slot.card.tries = 1
    with slot.session() as channel:
        read_sequence.read_identity(channel, "1234", use_last_try=True)
    assert slot.card.tries == 3


@pytest.mark.parametrize("pin", ["1234", "9999"], ids=["right", "wrong"])
def test_read_identity__one_try_left_unconfirmed__nothing_sent(pin: str) -> None:
    slot = _slot("plain")
    assert slot.card is not None
    slot.card.tries = 1
    recorder = Recorder(slot)
    with slot.session(), pytest.raises(LastTryError):
        read_sequence.read_identity(recorder, pin)
    assert recorder.sent == PLAIN_FLOW[:3]          # the tries were asked; no VERIFY with data
    assert slot.card.tries == 1


def test_read_identity__locked_card__no_pin_sent() -> None:
    slot = _slot("locked")
    recorder = Recorder(slot)
    with slot.session(), pytest.raises(PinLockedError):
        read_sequence.read_identity(recorder, "1111")
    assert recorder.sent == PLAIN_FLOW[:3]


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", "", " 123"])
def test_read_identity__pin_not_four_digits__nothing_sent(pin: str) -> None:
    slot = _slot("plain")
    recorder = Recorder(slot)
    with slot.session(), pytest.raises(PinFormatError):
        read_sequence.read_identity(recorder, pin)
    assert recorder.sent == []


def test_read_identity__not_my_number_card__clear_error() -> None:
    slot = _slot("not_mynumber")
    with slot.session() as channel, pytest.raises(NotMyNumberCardError):
        read_sequence.read_identity(channel, "1234")


@pytest.mark.parametrize("after", [1, 3, 4, 6, 7])
def test_read_identity__card_removed_mid_read__typed_error(after: int) -> None:
    slot = _slot("plain", remove_after=after)
    with slot.session() as channel, pytest.raises(CardRemovedError):
        read_sequence.read_identity(channel, "1234")
    assert slot.card is None


def test_read_identity__basic_four_tampered__digest_mismatch() -> None:
    person = load_person("plain")
    files = build_files(person)
    files[2] = files[2].replace("花子".encode(), "華子".encode())
    slot = SimulatedSlot(SimulatedMyNumberCard(person, files))
    with slot.session() as channel, pytest.raises(CardIntegrityError) as caught:
        read_sequence.read_identity(channel, "1234")
    assert caught.value.check == "digest"


def test_read_identity__signed_by_another_ca__certificate_mismatch() -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    slot = _slot("plain")
    with slot.session() as channel, pytest.raises(CardIntegrityError) as caught:
        read_sequence.read_identity(channel, "1234", other)
    assert caught.value.check == "certificate"


def test_read_identity__integrity_record_forged__signature_mismatch() -> None:
    person = load_person("plain")
    files = build_files(person)
    forged = bytearray(files[3])
    forged[-1] ^= 0x01                                   # last byte of the DF33 signature
    files[3] = bytes(forged)
    slot = SimulatedSlot(SimulatedMyNumberCard(person, files))
    with slot.session() as channel, pytest.raises(CardIntegrityError) as caught:
        read_sequence.read_identity(channel, "1234", _issuer())
    assert caught.value.check == "signature"


def _forged_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_read_identity__issuer_key__card_authenticated_and_marked_verified() -> None:
    slot = _slot("plain")
    recorder = Recorder(slot)
    with slot.session():
        identity = read_sequence.read_identity(recorder, "1234", _issuer())
    assert identity.issuer_verified
    assert recorder.sent[-2] == "0084000010"                     # GET CHALLENGE
    assert recorder.sent[-1].startswith("802a000033" + "3031300d06096086480165030402010500")


def test_read_identity__no_issuer_key__not_marked_verified() -> None:
    slot = _slot("plain")
    with slot.session() as channel:
        identity = read_sequence.read_identity(channel, "1234")
    assert not identity.issuer_verified


def _forged_card(how: str) -> SimulatedMyNumberCard:
    """A card a forger can make: a key of his own wherever the issuer's is needed."""
    person, forged = load_person("plain"), _forged_key()
    if how == "own issuer":             # everything signed by a self-made "issuer"
        return SimulatedMyNumberCard(person, build_files(person, forged), ap_key=forged)
    if how == "replayed on a blank card":   # a real card's files, copied; its key is not
        return SimulatedMyNumberCard(person, build_files(person), ap_key=forged)
    files = build_files(person)         # real files, EF 0007 swapped for the forger's key
    files[7] = build_files(person, forged)[7]
    return SimulatedMyNumberCard(person, files, ap_key=forged)


@pytest.mark.parametrize(("how", "check"), [
    ("own issuer", "certificate"),
    ("replayed on a blank card", "internal authentication"),
    ("own AP key", "card key"),
])
def test_read_identity__forged_card__refused(how: str, check: str) -> None:
    slot = SimulatedSlot(_forged_card(how))
    with slot.session() as channel, pytest.raises(CardIntegrityError) as caught:
        read_sequence.read_identity(channel, "1234", _issuer())
    assert caught.value.check == check


def test_read_identity__forged_card_without_issuer_key__read_but_unverified() -> None:
    slot = SimulatedSlot(_forged_card("own issuer"))
    with slot.session() as channel:
        identity = read_sequence.read_identity(channel, "1234")
    assert identity.given_name == "花子"
    assert not identity.issuer_verified


def test_internal_authenticate__replayed_answer__refused() -> None:
    """Recording a genuine answer does not help: the kiosk's half of the nonce is new."""
    genuine = _slot("plain")
    with genuine.session() as channel:
        read_sequence.select_application(channel)
        read_sequence.verify_pin(channel, "1234")
        challenge = channel.transmit(read_sequence.apdu.get_challenge())[:-2]
        recorded = channel.transmit(read_sequence.apdu.internal_authenticate(
            read_sequence.challenge_digest_info(challenge + b"x" * 16)))

    def replay(command: bytes, response: bytes) -> bytes:
        return recorded if command[:2] == b"\x80\x2a" else response

    assert recorded.endswith(b"\x90\x00")
    assert len(recorded) == 258
    blank = Recorder(_slot("plain"), replay)
    with blank.slot.session(), pytest.raises(CardIntegrityError) as caught:
        read_sequence.read_identity(blank, "1234", _issuer())
    assert caught.value.check == "internal authentication"


def _answer_61xx(command: bytes, response: bytes) -> bytes:
    """A T=0-style path: data comes back through GET RESPONSE."""
    if command[1] == 0xB0 and len(response) > 2:
        _answer_61xx.pending = response  # type: ignore[attr-defined]
        return bytes([0x61, (len(response) - 2) & 0xFF])
    if command[1] == 0xC0:
        return _answer_61xx.pending  # type: ignore[attr-defined,no-any-return]
    return response


def _answer_6cxx(command: bytes, response: bytes) -> bytes:
    """A card that wants Le to be exactly what is left, answering 6Cxx first."""
    first_header_read = command[1:5] == bytes.fromhex("b0000000")
    if first_header_read and not getattr(_answer_6cxx, "seen", False):
        _answer_6cxx.seen = True  # type: ignore[attr-defined]
        return b"\x6c\x8d"                 # the EF: 125-byte TLV + 16 filler
    return response


@pytest.mark.parametrize(("rewrite", "extra"), [(_answer_61xx, "00c00000"),
                                                (_answer_6cxx, "00b000008d")],
                         ids=["61xx", "6cxx"])
def test_exchange__61xx_and_6cxx__followed_transparently(
        rewrite: Callable[[bytes, bytes], bytes], extra: str) -> None:
    slot = _slot("plain")
    recorder = Recorder(slot, rewrite)
    with slot.session():
        identity = read_sequence.read_identity(recorder, "1234")
    assert identity.given_name == "花子"
    assert any(sent.startswith(extra) for sent in recorder.sent[6:])


def test_exchange__endless_61xx__protocol_error() -> None:
    class Endless:
        def transmit(self, command: bytes) -> bytes:
            return b"\x61\x01" if command[1] != 0xC0 else b"\x00\x61\x01"

    with pytest.raises(CardProtocolError):
        read_sequence.exchange(Endless(), bytes.fromhex("00b0000001"))


def test_read_identity__traffic_log__pin_and_data_never_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    slot = _slot("plain")
    with caplog.at_level(TRAFFIC, logger="devices.smartcard"), slot.session() as channel:
        read_sequence.read_identity(channel, "1234")
    text = caplog.text
    assert "00 20 00 80 04 <4 bytes redacted>" in text
    assert "31 32 33 34" not in text
    assert "1234" not in text
    assert "花子" not in text
    assert "E8 8A B1" not in text.upper()
    assert all(record.levelno == TRAFFIC for record in caplog.records)


def test_read_my_number__explicit_api__digits_masked_in_repr() -> None:
    slot = _slot("plain")
    with slot.session() as channel:
        number = read_sequence.read_my_number(channel, "1234")
    assert number.digits == "123456789018"
    assert number.masked() == "********9018"
    assert "1234" not in repr(number)
    assert "1234" not in str(number)


def test_read_identity__plain_flow__never_selects_ef_0001() -> None:
    slot = _slot("plain")
    recorder = Recorder(slot)
    with slot.session():
        read_sequence.read_identity(recorder, "1234", _issuer())
    assert "00a4020c020001" not in recorder.sent


def test_logging_levels__traffic__below_debug() -> None:
    assert TRAFFIC < logging.DEBUG
