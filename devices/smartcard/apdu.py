"""Command APDUs of the 券面事項入力補助AP, built as bytes; response splitting; redaction.

Pure functions. Only short APDUs are built (Le at most 256): extended length needs reader
support that many contact and contactless readers lack (they answer 6700 or fail).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CHALLENGE_LENGTH",
    "EF_AP_KEY",
    "EF_BASIC_FOUR",
    "EF_CERTIFICATE",
    "EF_INTEGRITY",
    "EF_MY_NUMBER",
    "IEF_PIN",
    "MAX_SHORT_LE",
    "TEXT_AP_AID",
    "Response",
    "get_challenge",
    "get_response",
    "internal_authenticate",
    "read_binary",
    "redacted_hex",
    "select_df",
    "select_ef",
    "split_response",
    "verify",
    "with_le",
]

# The full 10-byte AID: an 8-byte prefix relies on partial-name selection and can select
# another DF of the same family (reference §A10.1).
TEXT_AP_AID = bytes.fromhex("D3921000310001010408")
EF_MY_NUMBER = 0x0001
EF_BASIC_FOUR = 0x0002
EF_INTEGRITY = 0x0003
EF_CERTIFICATE = 0x0004
EF_AP_KEY = 0x0007            # FF50 { DF51 the AP's own public key, DF52 issuer signature }
IEF_PIN = 0x0011              # 券面事項入力補助用暗証番号 (4 digits, 3 tries)
MAX_SHORT_LE = 256
CHALLENGE_LENGTH = 16
_INS_VERIFY = 0x20
_INS_CHANGE_REFERENCE = 0x24


@dataclass(frozen=True, slots=True)
class Response:
    """A response APDU: data and the status word."""

    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        """The first status byte."""
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        """The second status byte."""
        return self.sw & 0xFF


def split_response(raw: bytes | bytearray | list[int]) -> Response:
    """Split a raw response into data and status word.

    Raises:
        ValueError: fewer than two bytes (a transport fault, not a card answer).
    """
    body = bytes(raw)
    if len(body) < 2:
        raise ValueError("response shorter than a status word")
    return Response(body[:-2], int.from_bytes(body[-2:], "big"))


def select_df(aid: bytes) -> bytes:
    """SELECT by DF name, first occurrence, no FCI (P1=04, P2=0C)."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid


def select_ef(file_id: int) -> bytes:
    """SELECT an EF under the current DF, no FCI (P1=02, P2=0C)."""
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02]) + file_id.to_bytes(2, "big")


def verify(pin: bytes | bytearray | None) -> bytearray:
    """VERIFY against the key of the current EF (P2=80); ``None`` asks the tries left.

    Returns a ``bytearray`` so that the caller can wipe the PIN bytes after sending.
    """
    header = bytearray([0x00, _INS_VERIFY, 0x00, 0x80])
    if pin is None:
        return header                        # case 1: no Lc, no data, no try used
    return header + bytes([len(pin)]) + pin


def read_binary(offset: int, length: int) -> bytes:
    """READ BINARY of ``length`` (1..256) bytes at ``offset`` of the current EF.

    Raises:
        ValueError: the offset does not fit 15 bits or the length is not a short Le.
    """
    if not 0 <= offset <= 0x7FFF:
        raise ValueError(f"offset {offset} out of range")
    if not 1 <= length <= MAX_SHORT_LE:
        raise ValueError(f"length {length} out of range")
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF])


def get_challenge() -> bytes:
    """GET CHALLENGE of :data:`CHALLENGE_LENGTH` random bytes (``00 84 00 00 10``)."""
    return bytes([0x00, 0x84, 0x00, 0x00, CHALLENGE_LENGTH])


def internal_authenticate(digest_info: bytes) -> bytes:
    """The AP key signs ``digest_info`` (``80 2A 00 00 Lc <DigestInfo> 00``, reference §A7).

    The answer is a PKCS#1 v1.5 signature of the AP's own key (EF 0007); Le = 00 asks for 256.

    Raises:
        ValueError: ``digest_info`` does not fit a short Lc.
    """
    if not 1 <= len(digest_info) <= 255:
        raise ValueError(f"DigestInfo of {len(digest_info)} bytes")
    return bytes([0x80, 0x2A, 0x00, 0x00, len(digest_info)]) + digest_info + b"\x00"


def get_response(length: int) -> bytes:
    """GET RESPONSE for the ``61xx`` case (``xx`` = 00 means 256)."""
    return bytes([0x00, 0xC0, 0x00, 0x00, length & 0xFF])


def with_le(command: bytes | bytearray, length: int) -> bytes:
    """The same case-2 command with Le replaced (the ``6Cxx`` case)."""
    return bytes(command[:4]) + bytes([length & 0xFF])


def redacted_hex(command: bytes | bytearray) -> str:
    """Hex of a command for the TRAFFIC log, with VERIFY/CHANGE data replaced.

    PIN digits never reach a log, at any level: only the header and Lc stay visible.
    """
    if len(command) > 5 and command[1] in (_INS_VERIFY, _INS_CHANGE_REFERENCE):
        return bytes(command[:5]).hex(" ").upper() + f" <{len(command) - 5} bytes redacted>"
    return bytes(command).hex(" ").upper()
