"""Encryption at rest of application answers (AES-256-GCM) and where the key comes from.

The key never goes into the database: it comes from the configuration (``[database]
answers_key``), from a key file, or from the operating system's key store. Each sealed value
is bound to its row (associated data = the application's idempotency key), so a ciphertext
copied onto another application does not decrypt.

``answers_key`` forms:
    ``base64:<44 characters>``   the key itself (better via ``KIOSK_DATABASE_ANSWERS_KEY``)
    ``file:<path>``              a file holding the base64 key (readable by the kiosk user only)
    ``keyring:<service>/<name>`` the OS key store (Windows Credential Manager ...) via ``keyring``
    empty                        embedded SQLite only: a key file ``answers.key`` created in the
                                 key folder (:func:`kiosk.paths.default_key_dir`), never beside
                                 the database; one left in the data directory by an older
                                 version is moved there
A key file that other users can read is refused (:func:`kiosk.file_modes.check_key_file`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.domain.application import Provenance, StoredAnswer
from kiosk.errors import ConfigError, StorageError
from kiosk.file_modes import check_key_file, private_dir
from kiosk.i18n import S_
from kiosk.paths import default_key_dir

__all__ = ["AnswerSealer", "generate_key_text", "load_answers_key"]

_NONCE_BYTES = 12
KEY_FILE_NAME = "answers.key"

_log = logging.getLogger(__name__)


class AnswerSealer:
    """Seals and opens application answers with one AES-256-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the answers key must be 32 bytes")
        self._aead = AESGCM(key)
        # A short fingerprint stored next to each ciphertext says which key sealed it.
        self.key_id = hashlib.sha256(b"kiosk-answers-key-id" + key).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"AnswerSealer(key_id={self.key_id})"

    def seal(self, answers: Mapping[str, StoredAnswer], bound_to: str) -> bytes:
        """Encrypt ``answers``; ``bound_to`` (the idempotency key) must be given to open them."""
        plain = json.dumps({name: _pack(a) for name, a in answers.items()},
                           ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plain, bound_to.encode("utf-8"))

    def open(self, sealed: bytes, bound_to: str) -> dict[str, StoredAnswer]:
        """Decrypt answers sealed by :meth:`seal` for the same ``bound_to``.

        Raises:
            StorageError: wrong key, or the data was altered or moved to another row.
        """
        try:
            plain = self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:],
                                       bound_to.encode("utf-8"))
        except InvalidTag as exc:
            raise StorageError(S_("The stored answers cannot be decrypted with this device's "
                                  "key (wrong key, or the data was altered).")) from exc
        raw = json.loads(plain)
        return {name: _unpack(item) for name, item in raw.items()}


def _pack(answer: StoredAnswer) -> list[str | None]:
    # Submissions stay [value, origin]; only a clerk's correction adds [reason, original] and
    # the original's origin, so answers sealed before corrections existed open unchanged.
    if answer.original_provenance is not None:
        return [answer.value, answer.provenance.value, answer.reason, answer.original,
                answer.original_provenance.value]
    if answer.reason or answer.original is not None:
        return [answer.value, answer.provenance.value, answer.reason, answer.original]
    return [answer.value, answer.provenance.value]


def _unpack(item: list[str | None]) -> StoredAnswer:
    value, origin, *correction = item
    reason, original, original_origin = [*correction, "", None, None][:3]
    return StoredAnswer(str(value), Provenance(str(origin)), reason=str(reason or ""),
                  original=original,
                  original_provenance=Provenance(original_origin) if original_origin else None)


def generate_key_text() -> str:
    """A new random key in the ``base64:`` form of ``answers_key``."""
    return "base64:" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def load_answers_key(spec: str, data_dir: Path, *, shared_database: bool,
                     key_dir: Path | None = None) -> bytes:
    """The 32-byte answers key named by ``spec`` (the ``[database] answers_key`` value).

    ``key_dir`` holds the key file of an empty ``spec`` (default: :func:`default_key_dir`).

    Raises:
        ConfigError: the key is missing, malformed, or its source is unavailable.
    """
    if spec.startswith("base64:"):
        return _decode(spec.removeprefix("base64:"), "base64")
    if spec.startswith("file:"):
        path = Path(spec.removeprefix("file:")).expanduser()
        check_key_file(path)
        try:
            return _decode(path.read_text(encoding="ascii").strip(), "file")
        except OSError as exc:
            raise ConfigError(S_("[database] answers_key: cannot read the key file ({reason})."),
                              reason=exc.strerror or type(exc).__name__) from exc
    if spec.startswith("keyring:"):
        return _from_keyring(spec.removeprefix("keyring:"))
    if spec:
        raise ConfigError(S_("[database] answers_key must start with base64:, file: or "
                             "keyring:."))
    if shared_database:
        # Every tablet and clerk PC must hold the same key; a key made up here would leave
        # the clerk unable to read what this tablet stored.
        raise ConfigError(S_("[database] answers_key is required with a shared database: "
                             "give every device the same key (kiosk db new-key prints one)."))
    path = (key_dir or default_key_dir()) / KEY_FILE_NAME
    _move_old_key_file(data_dir / KEY_FILE_NAME, path)
    return _local_key_file(path)


def _decode(text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise ConfigError(S_("[database] answers_key ({source}) must be 32 bytes in base64."),
                          source=source)
    return key


def _from_keyring(name: str) -> bytes:
    service, _, user = name.partition("/")
    try:
        keyring = importlib.import_module("keyring")
    except ImportError as exc:
        raise ConfigError(S_("[database] answers_key uses the OS key store, but the 'keyring' "
                             "package is not installed.")) from exc
    secret = keyring.get_password(service, user)
    if not secret:
        raise ConfigError(S_("[database] answers_key: no key named {name} in the OS key store."),
                          name=name)
    return _decode(str(secret).removeprefix("base64:"), "keyring")


def _move_old_key_file(old: Path, new: Path) -> None:
    """Move a key file an older version left beside the database to the key folder.

    Raises:
        ConfigError: both files exist and hold different keys (the kiosk does not guess which
            one sealed the database).
    """
    if not old.exists() or old.resolve() == new.resolve():
        return
    check_key_file(old)
    try:
        text = old.read_text(encoding="ascii")
    except FileNotFoundError:
        return                       # another kiosk process of this device moved it just now
    if new.exists() and new.read_text(encoding="ascii").strip() != text.strip():
        raise ConfigError(S_("Two different answers keys: {old} (beside the database) and {new}. "
                             "Set [database] answers_key = \"file:{old}\" to keep using the "
                             "first, or delete it if the database was sealed with the second."),
                          old=str(old), new=str(new))
    if not new.exists():
        _write_new_key(new, text)
    old.unlink(missing_ok=True)
    _log.info("moved the answers key out of the data directory")


def _write_new_key(path: Path, text: str) -> None:
    private_dir(path.parent)
    # O_EXCL: two processes starting at once must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _local_key_file(path: Path) -> bytes:
    if not path.exists():
        _write_new_key(path, generate_key_text().removeprefix("base64:") + "\n")
    check_key_file(path)
    return _decode(path.read_text(encoding="ascii").strip(), "file")

