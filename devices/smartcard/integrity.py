"""Integrity of the 基本4情報: the DF32 digest (EF 0003) and the DF33 signature (EF 0004 key).

EF 0003 (reference §A5.3)::

    FF30 { DF31 SHA-256 of EF 0001 as stored, DF32 SHA-256 of the DF22..DF25 TLVs,
           DF33 RSA-2048 PKCS#1 v1.5 SHA-256 signature over (DF31 TLV || DF32 TLV) }

EF 0004 (§A5.4): ``7F21 { 5F4E body, 5F37 signature of the body by the issuer CA }``; the body
is a 16-byte issuer key id, a 16-byte subject key id and ``90`` exponent, ``91`` modulus.

EF 0007 (§A7): ``FF50 { DF51 the AP's own public key (``90`` exponent, ``91`` modulus),
DF52 the issuer's signature over the DF51 value }``. The AP's private key never leaves the
card: after GET CHALLENGE the card signs a DigestInfo of the challenge with it (internal
authentication), which a blank card carrying copied files cannot do. The DF51 layout is our
reading of the reference (the same key encoding as EF 0004); confirm it on a real card.

The digest proves the bytes were read and parsed as the card holds them. The signature
proves the card's key signed them, and the certificate check (with the configured issuer CA
key) proves that key belongs to the issuer. A mismatch raises
:class:`~kiosk.domain.identity.CardIntegrityError`: the clerk sees it, nothing passes silently.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from devices.smartcard.tlv import TlvError, encode, find, parse, parse_header
from kiosk.domain.identity import CardIntegrityError

__all__ = [
    "DIGEST_PREFIX_LENGTH",
    "IntegrityRecord",
    "challenge_digest_info",
    "check_ap_key",
    "check_challenge_response",
    "check_digest",
    "check_signature",
    "encode_public_key",
    "parse_certificate",
    "parse_integrity",
]

TAG_INTEGRITY = 0xFF30
TAG_MY_NUMBER_DIGEST = 0xDF31
TAG_BASIC_FOUR_DIGEST = 0xDF32
TAG_SIGNATURE = 0xDF33
TAG_CERTIFICATE = 0x7F21
TAG_CERT_BODY = 0x5F4E
TAG_CERT_SIGNATURE = 0x5F37
TAG_AP_KEY_FILE = 0xFF50
TAG_AP_KEY = 0xDF51
TAG_AP_KEY_SIGNATURE = 0xDF52
_KEY_IDS_LENGTH = 32
# DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1): the card pads and signs it.
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
# FF30 82 01 4B | DF31 20 <32> | DF32 20 <32>: the bytes the digest check needs.
DIGEST_PREFIX_LENGTH = 5 + 2 * (3 + 32)


@dataclass(frozen=True)
class IntegrityRecord:
    """EF 0003 parsed: the two digests and, when the whole file was read, the signature."""

    my_number_digest: bytes
    basic_four_digest: bytes
    signature: bytes | None

    @property
    def signed_bytes(self) -> bytes:
        """DF31 TLV || DF32 TLV, the message the DF33 signature covers."""
        return (encode(TAG_MY_NUMBER_DIGEST, self.my_number_digest)
                + encode(TAG_BASIC_FOUR_DIGEST, self.basic_four_digest))


def parse_integrity(data: bytes | bytearray) -> IntegrityRecord:
    """Parse EF 0003, complete or only its first :data:`DIGEST_PREFIX_LENGTH` bytes.

    Raises:
        TlvError: malformed, or a digest is not 32 bytes.
    """
    raw = bytes(data)
    _, header_length, _ = _outer_header(raw, TAG_INTEGRITY)
    # A prefix read stops before DF33: parse the children that are complete.
    children = parse(_complete_prefix(raw[header_length:]))
    first = find(children, TAG_MY_NUMBER_DIGEST).value
    second = find(children, TAG_BASIC_FOUR_DIGEST).value
    if len(first) != 32 or len(second) != 32:
        raise TlvError("integrity digests are not 32 bytes")
    signature = next((tlv.value for tlv in children if tlv.tag == TAG_SIGNATURE), None)
    return IntegrityRecord(first, second, signature)


def _outer_header(raw: bytes, tag: int) -> tuple[int, int, int]:
    found, header_length, length = parse_header(raw)
    if found != tag:
        raise TlvError(f"expected tag {tag:X}, found {found:X}")
    return found, header_length, length


def _complete_prefix(body: bytes) -> bytes:
    """The longest prefix of ``body`` made of complete TLVs."""
    pos = 0
    while pos < len(body):
        try:
            _, header_length, length = parse_header(body, pos)
        except TlvError:
            break
        if pos + header_length + length > len(body):
            break
        pos += header_length + length
    return body[:pos]


def check_digest(record: IntegrityRecord, digest_source: bytes) -> None:
    """Compare DF32 with SHA-256 of the DF22..DF25 bytes read.

    Raises:
        CardIntegrityError: they differ.
    """
    if not hmac.compare_digest(hashlib.sha256(digest_source).digest(), record.basic_four_digest):
        raise CardIntegrityError("digest")


def parse_certificate(data: bytes | bytearray) -> tuple[bytes, bytes, rsa.RSAPublicKey]:
    """Parse EF 0004.

    Returns:
        ``(body, signature, public_key)``: the signed body, the CA's signature over it, and
        the card's signing key the body holds.

    Raises:
        TlvError: malformed certificate or key.
    """
    outer = find(parse(data), TAG_CERTIFICATE)
    children = outer.children()
    body = find(children, TAG_CERT_BODY).value
    signature = find(children, TAG_CERT_SIGNATURE).value
    return body, signature, _public_key(body[_KEY_IDS_LENGTH:])


def encode_public_key(key: rsa.RSAPublicKey) -> bytes:
    """``90`` exponent ``91`` modulus, the card's encoding of an RSA-2048 public key."""
    numbers = key.public_numbers()
    return (encode(0x90, numbers.e.to_bytes(3, "big"))
            + encode(0x91, numbers.n.to_bytes(256, "big")))


def _public_key(encoded: bytes) -> rsa.RSAPublicKey:
    key_tlvs = parse(encoded)
    exponent = int.from_bytes(find(key_tlvs, 0x90).value, "big")
    modulus = int.from_bytes(find(key_tlvs, 0x91).value, "big")
    try:
        return rsa.RSAPublicNumbers(exponent, modulus).public_key()
    except ValueError as exc:
        raise TlvError("card key is not a valid RSA key") from exc


def _verify(key: rsa.RSAPublicKey, signature: bytes, message: bytes, check: str) -> None:
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError) as exc:
        raise CardIntegrityError(check) from exc


def check_signature(record: IntegrityRecord, certificate: bytes,
                    issuer_key: rsa.RSAPublicKey) -> None:
    """Verify the certificate with ``issuer_key``, then DF33 with the certificate's key.

    Raises:
        CardIntegrityError: either signature fails, or the record has no signature.
    """
    body, cert_signature, card_key = parse_certificate(certificate)
    _verify(issuer_key, cert_signature, body, "certificate")
    if record.signature is None:
        raise CardIntegrityError("signature")
    _verify(card_key, record.signature, record.signed_bytes, "signature")


def check_ap_key(data: bytes | bytearray, issuer_key: rsa.RSAPublicKey) -> rsa.RSAPublicKey:
    """The AP's own public key from EF 0007, once its issuer signature (DF52) verifies.

    Raises:
        TlvError: malformed EF 0007.
        CardIntegrityError: the issuer did not sign this key (``card key``).
    """
    children = find(parse(data), TAG_AP_KEY_FILE).children()
    encoded = find(children, TAG_AP_KEY).value
    _verify(issuer_key, find(children, TAG_AP_KEY_SIGNATURE).value, encoded, "card key")
    return _public_key(encoded)


def challenge_digest_info(challenge: bytes) -> bytes:
    """The DigestInfo (SHA-256) of ``challenge`` that the card's AP key signs."""
    return _SHA256_DIGEST_INFO + hashlib.sha256(challenge).digest()


def check_challenge_response(card_key: rsa.RSAPublicKey, challenge: bytes,
                             signature: bytes) -> None:
    """Verify the card's answer to internal authentication over ``challenge``.

    Raises:
        CardIntegrityError: the card does not hold the private half of its EF 0007 key
            (``internal authentication``): copied data on another card.
    """
    _verify(card_key, signature, challenge, "internal authentication")
