"""The feed's shared HMAC key and the inner side's ticket-token key, read from the config."""

from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import Path

from kiosk.errors import ConfigError
from kiosk.i18n import S_

__all__ = ["KEY_BYTES", "load_key", "new_key_text"]

KEY_BYTES = 32


def new_key_text() -> str:
    """A fresh key in the ``base64:...`` form the configuration takes."""
    return "base64:" + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def load_key(spec: str, name: str, *, demo: bool = False) -> bytes:
    """The 32-byte key ``[web] <name>`` names (``base64:...`` or ``file:...``).

    An empty spec gives a random key in the demo, where both sides live in one process.

    Raises:
        ConfigError: the key is missing or malformed.
    """
    if spec.startswith("base64:"):
        return _decode(spec.removeprefix("base64:"), name)
    if spec.startswith("file:"):
        path = Path(spec.removeprefix("file:")).expanduser()
        try:
            return _decode(path.read_text(encoding="ascii").strip(), name)
        except OSError as exc:
            raise ConfigError(S_("[web] {key}: cannot read the key file ({reason})."),
                              key=name, reason=exc.strerror or type(exc).__name__) from exc
    if not spec and demo:
        return secrets.token_bytes(KEY_BYTES)
    raise ConfigError(S_("[web] {key} must be base64:... or file:... (32 bytes); "
                         "kiosk web new-key prints one."), key=name)


def _decode(text: str, name: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigError(S_("[web] {key} must be 32 bytes in base64."), key=name)
    return key
