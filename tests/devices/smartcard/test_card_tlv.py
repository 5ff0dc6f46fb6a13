"""BER-TLV parsing and EF 0002/0003 parsing: tables with the real-card vectors, and fuzzing."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.smartcard.basic_four import parse_basic_four
from devices.smartcard.integrity import parse_integrity
from devices.smartcard.tlv import TlvError, encode, find, parse, parse_header
from kiosk.domain.identity import CardDataError, Sex

# Real card, from soltia48/myna-card text.rs test `attributes_file` (reference §A5.2).
REAL_ADDRESS = "東京都清瀬市観布子南１２－７－２０２"
REAL_BASIC_FOUR = bytes.fromhex(
    "ff2065"
    "df2108000e002000590064"
    "df220fe9bb92e6a190e38080e5b9b9e4b99f"
    "df2336" + REAL_ADDRESS.encode().hex() +
    "df24083139383030323137"
    "df250131")
# The emulated card's worked example of reference §A5.6.
EMULATED_ADDRESS = "東京都千代田区霞が関９丁目９番９号　テスト荘１０１"
EMULATED_BASIC_FOUR = bytes.fromhex(
    "ff207a"
    "df2108000e0020006e0079"
    "df220fe8a9a6e9a893e38080e88ab1e5ad90"
    "df234b" + EMULATED_ADDRESS.encode().hex() +
    "df24083139383530343132"
    "df250132")


@pytest.mark.parametrize(("hex_bytes", "expected"), [
    ("df2108", (0xDF21, 3, 8)),
    ("ff2065", (0xFF20, 3, 0x65)),
    ("ff30 82014b", (0xFF30, 5, 0x14B)),
    ("df23 81c8", (0xDF23, 4, 200)),
    ("7f21 820233", (0x7F21, 5, 0x233)),
    ("5f4e 820129", (0x5F4E, 5, 0x129)),
    ("90 03", (0x90, 2, 3)),
    ("9f8101 05", (0x9F8101, 4, 5)),
], ids=["short", "constructed", "82-length", "81-length", "cv-cert", "cert-body",
        "one-byte-tag", "three-byte-tag"])
def test_parse_header__card_headers__tag_and_lengths(hex_bytes: str,
                                                     expected: tuple[int, int, int]) -> None:
    assert parse_header(bytes.fromhex(hex_bytes)) == expected


@pytest.mark.parametrize("hex_bytes", [
    "", "df", "df21", "ff20 83010000", "ff20 80", "df2181", "df21 8201", "9f818101 00",
], ids=["empty", "truncated-tag", "no-length", "3-byte-length-count", "indefinite",
        "truncated-81", "truncated-82", "four-byte-tag"])
def test_parse_header__malformed__tlv_error(hex_bytes: str) -> None:
    with pytest.raises(TlvError):
        parse_header(bytes.fromhex(hex_bytes))


@pytest.mark.parametrize(("hex_bytes", "tags"), [
    ("df2101aa df2200", [0xDF21, 0xDF22]),
    ("df2101aa 0000", [0xDF21]),
    ("df2101aa ffff", [0xDF21]),
    ("df2101aa ff", [0xDF21]),
    ("ff2003df2100 ffffff", [0xFF20]),
    ("", []),
], ids=["two", "zero-filler", "ff-filler", "single-ff", "constructed-then-filler", "empty"])
def test_parse__sequences_with_filler__stops_at_filler(hex_bytes: str, tags: list[int]) -> None:
    assert [tlv.tag for tlv in parse(bytes.fromhex(hex_bytes))] == tags


def test_parse__value_past_end__tlv_error() -> None:
    with pytest.raises(TlvError) as caught:
        parse(bytes.fromhex("df2105aabb"))
    assert "runs past" in caught.value.detail


@pytest.mark.parametrize(("length", "header"), [(0, "df2200"), (127, "df227f"),
                                                (128, "df228180"), (255, "df2281ff"),
                                                (256, "df22820100"), (300, "df2282012c")])
def test_encode__lengths__shortest_form_round_trips(length: int, header: str) -> None:
    encoded = encode(0xDF22, b"x" * length)
    assert encoded.hex().startswith(header)
    assert parse(encoded)[0].value == b"x" * length


def test_find__missing_tag__tlv_error() -> None:
    with pytest.raises(TlvError) as caught:
        find(parse(bytes.fromhex("df2101aa")), 0xDF25)
    assert caught.value.detail == "tag DF25 missing"


@pytest.mark.parametrize(("data", "name", "address", "born", "sex"), [
    (REAL_BASIC_FOUR, "黒桐　幹也", REAL_ADDRESS, date(1980, 2, 17), Sex.MALE),
    (EMULATED_BASIC_FOUR, "試験　花子", EMULATED_ADDRESS, date(1985, 4, 12), Sex.FEMALE),
    (REAL_BASIC_FOUR + b"\xff" * 20, "黒桐　幹也", REAL_ADDRESS, date(1980, 2, 17), Sex.MALE),
    (EMULATED_BASIC_FOUR + b"\x00" * 3, "試験　花子", EMULATED_ADDRESS, date(1985, 4, 12),
     Sex.FEMALE),
], ids=["real-card", "emulated-example", "real-with-ff-filler", "emulated-with-00-filler"])
def test_parse_basic_four__card_vectors__four_items(data: bytes, name: str, address: str,
                                                    born: date, sex: Sex) -> None:
    identity = parse_basic_four(data).identity
    assert (identity.name, identity.address, identity.birth_date, identity.sex) == (
        name, address, born, sex)


def test_parse_basic_four__real_vector__digest_source_is_df22_to_df25() -> None:
    assert parse_basic_four(REAL_BASIC_FOUR).digest_source == REAL_BASIC_FOUR[14:]


def _replace(data: bytes, old: str, new: str) -> bytes:
    return data.replace(bytes.fromhex(old), bytes.fromhex(new), 1)


@pytest.mark.parametrize(("data", "detail"), [
    (_replace(REAL_BASIC_FOUR, "000e0020", "000f0020"), "offset table entry 0"),
    (_replace(REAL_BASIC_FOUR, "3139383030323137", "3139383030323330"), "valid date"),
    (_replace(REAL_BASIC_FOUR, "3139383030323137", "31393830303231ff"), "YYYYMMDD"),
    (_replace(REAL_BASIC_FOUR, "df250131", "df250133"), "sex code"),
    (_replace(REAL_BASIC_FOUR, "e9bb92", "ffbb92"), "not UTF-8"),
    (_replace(REAL_BASIC_FOUR, "df2108", "df2107")[:-1], "runs past"),
    (REAL_BASIC_FOUR[:50], "runs past"),
    (bytes.fromhex("ff10 03 313233"), "FF20 missing"),
], ids=["offset-mismatch", "impossible-date", "non-digit-date", "unknown-sex", "bad-utf8",
        "short-table", "truncated", "wrong-file"])
def test_parse_basic_four__corrupt__card_data_error(data: bytes, detail: str) -> None:
    with pytest.raises(CardDataError) as caught:
        parse_basic_four(data)
    assert detail in caught.value.detail
    assert "黒桐" not in str(caught.value)      # errors never carry the citizen's data


def _integrity(prefix_only: bool) -> bytes:
    digests = (encode(0xDF31, hashlib.sha256(b"a").digest())
               + encode(0xDF32, hashlib.sha256(b"b").digest()))
    whole = encode(0xFF30, digests + encode(0xDF33, bytes(256)))
    return whole[:75] if prefix_only else whole


@pytest.mark.parametrize(("prefix_only", "has_signature"), [(False, True), (True, False)],
                         ids=["whole-file", "digest-prefix"])
def test_parse_integrity__whole_or_prefix__digests_found(prefix_only: bool,
                                                        has_signature: bool) -> None:
    record = parse_integrity(_integrity(prefix_only))
    assert record.basic_four_digest == hashlib.sha256(b"b").digest()
    assert (record.signature is not None) is has_signature


# Fuzzing: whatever bytes come off a card (or a broken reader), only typed errors escape.
_FUZZ = settings(max_examples=10_000, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=300))
def test_parse__random_bytes__only_typed_errors(data: bytes) -> None:
    with contextlib.suppress(TlvError):
        parse(data)


@_FUZZ
@given(st.binary(max_size=120).map(lambda tail: bytes.fromhex("ff20") + tail)
       | st.builds(lambda cut, flip: bytearray(REAL_BASIC_FOUR[:cut]) + bytes([flip]),
                   st.integers(0, len(REAL_BASIC_FOUR)), st.integers(0, 255)))
def test_parse_basic_four__mutated_bytes__only_card_data_errors(data: bytes) -> None:
    with contextlib.suppress(CardDataError):
        parse_basic_four(data)


@_FUZZ
@given(st.binary(max_size=120).map(lambda tail: bytes.fromhex("ff30") + tail))
def test_parse_integrity__random_bytes__only_card_data_errors(data: bytes) -> None:
    with contextlib.suppress(CardDataError):
        parse_integrity(data)
