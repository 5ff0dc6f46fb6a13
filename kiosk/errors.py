"""One exception tree for the whole kiosk.

Errors a person will read (a citizen, a clerk, IT) carry a *message id*: the English gettext
msgid, with ``{name}`` placeholders, marked with :func:`kiosk.i18n.N_` so that extraction
finds it. The UI translates the id into the reader's language at display time, so the same
error reads correctly in every language and a language switch needs no new exception.

Parameters must never hold personal data (a name, an address, a PIN, a My Number): errors
are logged, and the log is read by people who must not see it.
"""

from __future__ import annotations

from collections.abc import Mapping

ParamValue = str | int | float

__all__ = [
    "ConfigError",
    "DeviceError",
    "DeviceLost",
    "KioskError",
    "ParamValue",
    "StorageError",
    "UserFacingError",
]


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose."""


class UserFacingError(KioskError):
    """An error with a translatable message for the person in front of the screen.

    Args:
        message_id: the English gettext msgid, e.g. ``"The card was removed. Please insert it again."``.
        **params: values for the msgid's ``{placeholders}``; never personal data.
    """

    def __init__(self, message_id: str, **params: ParamValue) -> None:
        self.message_id = message_id
        self.params: Mapping[str, ParamValue] = dict(params)
        super().__init__(self.english())

    def english(self) -> str:
        """The message in English (the msgid with its parameters filled in)."""
        try:
            return self.message_id.format(**self.params)
        except (KeyError, IndexError):
            # A missing parameter must not turn an error report into a second error.
            return self.message_id


class ConfigError(UserFacingError):
    """The configuration file or an environment override is invalid.

    The message names the file, the key and what is expected, so IT can fix it without
    reading code.
    """


class DeviceError(UserFacingError):
    """A device (card reader, printer, speaker, microphone) failed in a way the user must hear of."""


class DeviceLost(DeviceError):
    """A device went away (reader unplugged, pcscd restarted); the adapter tries to recover."""


class StorageError(UserFacingError):
    """The database is unreachable or refused an operation."""
