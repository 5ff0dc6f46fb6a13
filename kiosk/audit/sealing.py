"""Forward-secure sealing of the usage log, after systemd-journald's Forward Secure Sealing.

At install, ``kiosk audit init-key`` draws a random *seed*, gives it to the auditor as a
printable :class:`VerificationKey` (shown once) and leaves on the device only the *sealing
key* of epoch 0 (:class:`SealingKey`, file ``sealing-key.json``, mode 0600). Time is cut into
epochs of ``interval`` seconds from ``start``. At the end of every epoch the log appends a
``log.seal`` record whose ``mac`` is an HMAC, under that epoch's key, of the hash of the record
before it (which covers, through the hash chain, every record before it) and of the epoch the
log continues in; then the key is *evolved* (``key[n+1] = SHA-256(key[n])``) and the old one
is overwritten on disk and in memory. Whoever takes the device at time t holds only the key of
t's epoch: they cannot compute an earlier epoch's key, so they cannot rewrite, drop or reorder
anything sealed before t without the seal failing. The auditor's seed recomputes every key.

Each seal also goes off the device (:class:`SealedHead`, the shared database's
``audit_heads`` table, insert-only for the devices), so a log cut back to an older seal shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "KEY_FILE",
    "KeyWalker",
    "SealedHead",
    "SealingKey",
    "SealingKeyError",
    "VerificationKey",
    "evolve",
    "seal_mac",
]

KEY_FILE = "sealing-key.json"
_PREFIX = "kiosk-seal-1"
_SEED_BYTES = 32


class SealingKeyError(ValueError):
    """A verification key that cannot be read, or a sealing key file that is not one."""


def _first_key(seed: bytes) -> bytes:
    return hashlib.sha256(b"kiosk-audit-seed\0" + seed).digest()


_EVOLVE = b"kiosk-audit-evolve\0"


def evolve(key: bytes) -> bytes:
    """The key of the next epoch; one-way, so the next key does not give the previous one."""
    return hashlib.sha256(_EVOLVE + key).digest()


def seal_mac(key: bytes, device: str, epoch: int, next_epoch: int, prev: str) -> str:
    """The HMAC-SHA-256 (hex) of a seal: binds the device, the epoch, where the log goes on,
    and the hash of the record before the seal."""
    message = f"{device}\n{epoch}\n{next_epoch}\n{prev}".encode("ascii")
    return hmac.digest(key, message, "sha256").hex()     # (one call: verify checks every seal)


def _epoch_of(moment: datetime, start: int, interval: int) -> int:
    return max(0, int((moment.timestamp() - start) // interval))


@dataclass(frozen=True)
class SealedHead:
    """One seal as sent off the device: which epoch, where it stands and its hash."""

    device: str
    epoch: int
    file: str          # the day (YYYY-MM-DD) of the file the seal record is in
    line: int
    hash: str          # the seal record's own hash
    mac: str
    sealed_at: datetime


@dataclass(frozen=True)
class VerificationKey:
    """What the auditor keeps: the seed of one device's keys, and its epochs' start and length.

    Printed as ``kiosk-seal-1/<device>/<seed in groups of 8 hex>/<start>/<interval>``.
    """

    device: str
    seed: bytes
    start: int          # Unix time of epoch 0
    interval: int       # seconds per epoch

    def text(self) -> str:
        """The printable form (``kiosk audit verify --key`` reads it back)."""
        digits = self.seed.hex()
        groups = "-".join(digits[i:i + 8] for i in range(0, len(digits), 8))
        return f"{_PREFIX}/{self.device}/{groups}/{self.start}/{self.interval}"

    def __repr__(self) -> str:
        return f"VerificationKey(device={self.device!r}, seed=<hidden>)"

    @staticmethod
    def parse(text: str) -> VerificationKey:
        """Read a printed verification key.

        Raises:
            SealingKeyError: not in the printed form.
        """
        parts = text.strip().split("/")
        try:
            if len(parts) != 5 or parts[0] != _PREFIX:
                raise ValueError(text)
            seed = bytes.fromhex(parts[2].replace("-", ""))
            start, interval = int(parts[3]), int(parts[4])
        except ValueError:
            raise SealingKeyError("not a verification key (kiosk-seal-1/DEVICE/SEED/START/"
                                  "INTERVAL)") from None
        if len(seed) != _SEED_BYTES or interval <= 0 or not parts[1]:
            raise SealingKeyError("not a verification key (wrong seed length or interval)")
        return VerificationKey(parts[1], seed, start, interval)

    def epoch_of(self, moment: datetime) -> int:
        """The epoch ``moment`` falls in."""
        return _epoch_of(moment, self.start, self.interval)


class KeyWalker:
    """Recomputes a device's epoch keys from the seed, walking forward (verify's epochs only
    grow, so a year of five-minute epochs costs one hash each)."""

    def __init__(self, key: VerificationKey) -> None:
        self._seed = key.seed
        self.epoch = 0
        self._key = _first_key(key.seed)

    def key(self, epoch: int) -> bytes:
        """The sealing key of ``epoch``."""
        if epoch < self.epoch:
            self.epoch, self._key = 0, _first_key(self._seed)
        # evolve() inlined: a year of five-minute epochs is 105,120 steps per device.
        key, sha256 = self._key, hashlib.sha256
        for _ in range(epoch - self.epoch):
            key = sha256(_EVOLVE + key).digest()
        self.epoch, self._key = max(self.epoch, epoch), key
        return key


class SealingKey:
    """The device's evolving sealing key, kept in a 0600 file; only the current one exists.

    Args:
        path: the key file.
        device: the device id it seals for.
        start, interval: epoch 0's Unix time and the epoch length in seconds.
        epoch: the epoch of ``key``.
        key: the current key.
    """

    def __init__(self, path: Path, device: str, start: int, interval: int, epoch: int,
                 key: bytes) -> None:
        self.path, self.device = path, device
        self.start, self.interval, self.epoch = start, interval, epoch
        self._key = bytearray(key)

    def __repr__(self) -> str:
        return f"SealingKey(device={self.device!r}, epoch={self.epoch}, key=<hidden>)"

    @staticmethod
    def create(path: Path, device: str, now: datetime, interval: int
               ) -> tuple[SealingKey, VerificationKey]:
        """Draw a seed, write the epoch-0 key to ``path`` (0600) and return both keys.

        Raises:
            FileExistsError: ``path`` exists (an auditor already holds its verification key).
        """
        if path.exists():
            raise FileExistsError(path)
        seed = secrets.token_bytes(_SEED_BYTES)
        verification = VerificationKey(device, seed, int(now.timestamp()), interval)
        sealing = SealingKey(path, device, verification.start, interval, 0, _first_key(seed))
        sealing._save()
        return sealing, verification

    @staticmethod
    def load(path: Path) -> SealingKey | None:
        """The key in ``path``; ``None`` when there is none.

        Raises:
            SealingKeyError: the file is not a sealing key.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return SealingKey(path, str(data["device"]), int(data["start"]),
                              int(data["interval"]), int(data["epoch"]),
                              bytes.fromhex(data["key"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise SealingKeyError(f"{path}: not a sealing key file") from None

    def matches(self, key: bytes) -> bool:
        """Whether the current key is ``key`` (verify compares it with the seed's)."""
        return hmac.compare_digest(bytes(self._key), key)

    def epoch_at(self, moment: datetime) -> int:
        """The epoch ``moment`` falls in."""
        return _epoch_of(moment, self.start, self.interval)

    def mac(self, next_epoch: int, prev: str) -> str:
        """The seal of the current epoch after the record hashed ``prev``."""
        return seal_mac(bytes(self._key), self.device, self.epoch, next_epoch, prev)

    def evolve_to(self, epoch: int) -> None:
        """Move to ``epoch``; the older keys are overwritten in memory and on disk."""
        key = bytes(self._key)
        while self.epoch < epoch:
            key = evolve(key)
            self.epoch += 1
        old, self._key = self._key, bytearray(key)
        old[:] = bytes(len(old))
        self._save()

    def _save(self) -> None:
        data = json.dumps({"device": self.device, "start": self.start, "interval": self.interval,
                           "epoch": self.epoch, "key": bytes(self._key).hex()})
        temporary = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Replacing the file (not rewriting it in place) leaves no old key in its blocks
        # through this path; the old file's data is freed by the file system.
        os.replace(temporary, self.path)
