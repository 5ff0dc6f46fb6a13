"""An emulated My Number card that answers the real APDUs, from a small person file.

It is a product feature (demo, training, CI), not a test double: it holds the same EFs a real
card holds (EF 0001..0004 and 0007 built to the layouts of reference §A5/§A7), enforces the
same access rules (EF 0001..0003 and 0007 need the PIN, EF 0004 is free), counts PIN tries
the same way (3 tries, 63Cx, 63C0 on the last, 6984 after), answers internal authentication
(GET CHALLENGE, then ``80 2A`` signs a DigestInfo with the AP key) and forgets the verified
state and the challenge on power-off or reset.

Persons live in ``devices/smartcard/persons/<name>.toml``. The files are signed with the
throwaway key ``TEST-ONLY-simulator-key.pem`` beside them, which plays the issuer CA, the
data-signing key and the card's AP key; it signs nothing real. A forged card is the same
card built with another key (``build_files(person, key=forged)``, ``ap_key=forged``).

:class:`SimulatedSlot` puts a card into an in-process "reader" for
:class:`~devices.smartcard.card_reader.CardIdentityReader`; :mod:`devices.smartcard.vpcd_card`
puts the same card behind pcscd.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from devices.smartcard import apdu
from devices.smartcard.integrity import challenge_digest_info, encode_public_key
from devices.smartcard.tlv import encode
from kiosk.domain.identity import CardRemovedError, NoCardError

__all__ = [
    "PERSONS_DIR",
    "TEST_KEY_PATH",
    "Person",
    "SimulatedChannel",
    "SimulatedMyNumberCard",
    "SimulatedSlot",
    "build_files",
    "load_person",
    "person_names",
    "simulator_issuer_public_pem",
]

PERSONS_DIR = Path(__file__).with_name("persons")
TEST_KEY_PATH = PERSONS_DIR / "TEST-ONLY-simulator-key.pem"
MY_NUMBER_CARD_ATR = bytes.fromhex("3BE000FF8131FE4514")
MAX_TRIES = 3
_OK = b"\x90\x00"
_TEST_KEY_ID = b"9999999\x08\x05999\x00\x00\x00\x01"   # 16 bytes, clearly not 5000033


@dataclass(frozen=True, repr=False)
class Person:
    """A test person: card data, PIN and tries. Fictitious, but masked like the real thing."""

    key: str
    my_number_card: bool = True
    name: str = ""
    address: str = ""
    birth_date: str = ""
    sex: str = ""
    pin: str = ""
    tries: int = MAX_TRIES
    my_number: str = ""
    atr: str = MY_NUMBER_CARD_ATR.hex()
    description: str = ""

    def __repr__(self) -> str:
        return f"Person({self.key!r})"


def person_names() -> list[str]:
    """Names of the shipped test persons."""
    return sorted(path.stem for path in PERSONS_DIR.glob("*.toml"))


def load_person(key: str, directory: Path = PERSONS_DIR) -> Person:
    """Read ``<directory>/<key>.toml``.

    Raises:
        KeyError: no such person file.
    """
    path = directory / f"{key}.toml"
    if not path.is_file():
        raise KeyError(key)
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    return Person(key=key, **table)


@functools.lru_cache(maxsize=1)
def _test_key() -> rsa.RSAPrivateKey:
    # The project's own test key, shipped beside this module: the consistency checks that
    # guard against a crafted key (some 60 ms of a tablet's start-up) buy nothing here.
    key = serialization.load_pem_private_key(TEST_KEY_PATH.read_bytes(), password=None,
                                             unsafe_skip_rsa_key_validation=True)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def simulator_issuer_public_pem() -> bytes:
    """The public half of the test key, as IT would configure an issuer CA key (PEM)."""
    return _test_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _sign(key: rsa.RSAPrivateKey, message: bytes) -> bytes:
    return key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def _basic_four(person: Person) -> tuple[bytes, bytes]:
    """EF 0002 content and the DF22..DF25 bytes its digest covers."""
    values = (person.name, person.address, person.birth_date, person.sex)
    tlvs = [encode(tag, value.encode()) for tag, value in zip(range(0xDF22, 0xDF26), values,
                                                               strict=True)]
    fields = b"".join(tlvs)
    table_length = 3 + 8                       # DF21 08 + four u16
    content_length = table_length + len(fields)
    outer_header = len(encode(0xFF20, bytes(content_length))) - content_length
    offsets, position = [], outer_header + table_length
    for tlv in tlvs:                           # offsets count from the start of the file
        offsets.append(position)
        position += len(tlv)
    table = b"".join(offset.to_bytes(2, "big") for offset in offsets)
    return encode(0xFF20, encode(0xDF21, table) + fields), fields


def build_files(person: Person, key: rsa.RSAPrivateKey | None = None,
                ap_key: rsa.RSAPrivateKey | None = None) -> dict[int, bytes]:
    """The EFs of the 券面事項入力補助AP for ``person``, as the card stores them.

    Args:
        person: whose data.
        key: the issuer (signs EF 0004 and EF 0007) and data-signing key; the test key.
        ap_key: the card's own AP key whose public half EF 0007 holds; defaults to ``key``.
    """
    key = key or _test_key()
    ap_public = encode_public_key((ap_key or key).public_key())
    my_number = encode(0xFF10, person.my_number.encode()) + b"\xff\xff"
    basic, digest_source = _basic_four(person)
    digests = (encode(0xDF31, hashlib.sha256(my_number).digest())
               + encode(0xDF32, hashlib.sha256(digest_source).digest()))
    integrity = encode(0xFF30, digests + encode(0xDF33, _sign(key, digests)))
    body = _TEST_KEY_ID + _TEST_KEY_ID + encode_public_key(key.public_key())
    certificate = encode(0x7F21, encode(0x5F4E, body) + encode(0x5F37, _sign(key, body)))
    ap_key_file = encode(0xFF50, encode(0xDF51, ap_public) + encode(0xDF52, _sign(key, ap_public)))
    # Real EFs are larger than their TLV; the rest is filler the reader must ignore.
    return {apdu.EF_MY_NUMBER: my_number, apdu.EF_BASIC_FOUR: basic + b"\xff" * 16,
            apdu.EF_INTEGRITY: integrity, apdu.EF_CERTIFICATE: certificate,
            apdu.EF_AP_KEY: ap_key_file}


class SimulatedMyNumberCard:
    """The card: answers command APDUs like the 券面事項入力補助AP of a real card.

    Thread-safe; the PIN counter lives as long as the object (a power cycle keeps it).

    Args:
        person: the card holder.
        files: the EFs (built from ``person`` with the test key when omitted).
        ap_key: the private AP key the card signs challenges with; the test key by default.
            A blank card with copied files has files of one card and a key of its own.
    """

    def __init__(self, person: Person, files: dict[int, bytes] | None = None,
                 ap_key: rsa.RSAPrivateKey | None = None) -> None:
        self.person = person
        self._ap_key = ap_key
        self.tries = person.tries
        self.atr = bytes.fromhex(person.atr)
        self.commands = 0
        self._files = files if files is not None else (
            build_files(person) if person.my_number_card else {})
        self._lock = threading.Lock()
        self._in_ap = False
        self._current: int | None = None
        self._verified = False
        self._challenge: bytes | None = None

    def reset(self) -> None:
        """Power-off, power-on or reset: the selected DF and the verified state are lost."""
        with self._lock:
            self._in_ap = False
            self._current = None
            self._verified = False
            self._challenge = None

    def process(self, command: bytes) -> bytes:
        """Answer one command APDU with response data + SW1 SW2."""
        with self._lock:
            self.commands += 1
            if len(command) < 4:
                return b"\x67\x00"
            handler = {(0x00, 0xA4): self._select, (0x00, 0x20): self._verify,
                       (0x00, 0xB0): self._read_binary, (0x00, 0x84): self._get_challenge,
                       (0x80, 0x2A): self._sign}.get((command[0], command[1]))
            if handler is None:
                return b"\x6d\x00" if command[0] in (0x00, 0x80) else b"\x6e\x00"
            return handler(command)

    def _select(self, command: bytes) -> bytes:
        data = command[5:5 + command[4]] if len(command) > 5 else b""
        if command[2] == 0x04:
            self._verified = self._verified and self._in_ap and data == apdu.TEXT_AP_AID
            self._in_ap = self.person.my_number_card and data == apdu.TEXT_AP_AID
            self._current = None
            return _OK if self._in_ap else b"\x6a\x82"
        if command[2] != 0x02 or len(data) != 2:
            return b"\x6a\x86"
        file_id = int.from_bytes(data, "big")
        if not self._in_ap or (file_id not in self._files and file_id != apdu.IEF_PIN):
            return b"\x6a\x82"
        self._current = file_id
        return _OK

    def _verify(self, command: bytes) -> bytes:
        uses_sfi = command[3] == 0x80 | apdu.IEF_PIN
        if not self._in_ap or not (uses_sfi or (command[3] == 0x80
                                                 and self._current == apdu.IEF_PIN)):
            return b"\x69\x86"
        if len(command) <= 5:                      # empty VERIFY: the tries, none used
            return bytes([0x63, 0xC0 | self.tries])
        if self.tries == 0:
            return b"\x69\x84"
        if command[5:5 + command[4]] == self.person.pin.encode():
            self.tries = MAX_TRIES
            self._verified = True
            return _OK
        self.tries -= 1
        self._verified = False
        return bytes([0x63, 0xC0 | self.tries])

    def _get_challenge(self, command: bytes) -> bytes:
        if not self._in_ap:
            return b"\x69\x86"
        self._challenge = os.urandom(command[4] if len(command) == 5 and command[4] else 8)
        return self._challenge + _OK

    def _sign(self, command: bytes) -> bytes:
        """The AP key signs the DigestInfo sent (PKCS#1 v1.5), after the PIN and a challenge."""
        if not self._in_ap or not self._verified:
            return b"\x69\x82"
        if self._challenge is None:
            return b"\x69\x85"                     # conditions of use not satisfied
        self._challenge = None                     # one signature per challenge
        digest_info = command[5:5 + command[4]] if len(command) > 5 else b""
        digest = digest_info[-32:]
        if len(digest_info) != 51 or challenge_digest_info(b"")[:19] != digest_info[:19]:
            return b"\x6a\x80"
        key = self._ap_key or _test_key()
        return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())) + _OK

    def _read_binary(self, command: bytes) -> bytes:
        if command[2] & 0x80:                      # short EF identifier form
            file_id, offset = command[2] & 0x1F, command[3]
        else:
            file_id, offset = self._current or 0, (command[2] << 8) | command[3]
        if file_id == apdu.IEF_PIN:
            return b"\x69\x81"
        content = self._files.get(file_id)
        if not self._in_ap or content is None:
            return b"\x69\x86"
        if file_id != apdu.EF_CERTIFICATE and not self._verified:
            return b"\x69\x82"
        if offset >= len(content):
            return b"\x6b\x00"
        length = command[4] if len(command) == 5 and command[4] else 256
        return content[offset:offset + length] + _OK


class SimulatedChannel:
    """In-process transport to a card, with the reader's per-APDU delay and a removal trigger."""

    def __init__(self, slot: SimulatedSlot) -> None:
        self._slot = slot

    def transmit(self, command: bytes) -> bytes:
        """Send one APDU to the card in the slot.

        Raises:
            CardRemovedError: the card left the slot (or leaves it now, after N APDUs).
        """
        return self._slot.transmit(command)


class SimulatedSlot:
    """A simulated reader slot holding at most one :class:`SimulatedMyNumberCard`.

    Args:
        reader: the reader name it reports.
        delay_s: time each APDU takes, to feel like a contact reader (about 20-50 ms).
        remove_after: take the card out after this many APDUs (to test removal mid-read).
    """

    def __init__(self, card: SimulatedMyNumberCard | None = None, *,
                 reader: str = "Simulated My Number reader", delay_s: float = 0.0,
                 remove_after: int | None = None) -> None:
        self.reader = reader
        self.card = card
        self.delay_s = delay_s
        self.remove_after = remove_after
        self.apdus = 0

    def insert(self, card: SimulatedMyNumberCard) -> None:
        """Insert ``card`` (powered off)."""
        card.reset()
        self.card = card
        self.apdus = 0

    def remove(self) -> None:
        """Take the card out."""
        self.card = None

    def transmit(self, command: bytes) -> bytes:
        """See :meth:`SimulatedChannel.transmit`."""
        if self.card is None:
            raise CardRemovedError
        if self.remove_after is not None and self.apdus >= self.remove_after:
            self.remove()
            raise CardRemovedError
        self.apdus += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        return self.card.process(command)

    def atr(self) -> bytes:
        """The ATR of the card in the slot (empty when none)."""
        return self.card.atr if self.card is not None else b""

    @contextmanager
    def session(self) -> Iterator[SimulatedChannel]:
        """Power the card, yield a channel, and power it down whatever happens.

        Raises:
            NoCardError: the slot is empty.
        """
        if self.card is None:
            raise NoCardError
        card = self.card
        card.reset()
        try:
            yield SimulatedChannel(self)
        finally:
            card.reset()          # unpower: no verified state outlives the session
