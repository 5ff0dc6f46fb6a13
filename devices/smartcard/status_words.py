"""Status words of the My Number card as a table, and the typed error each one means.

The table follows the JICSAP list (reference §A4). :func:`classify` turns a status word into
a :class:`SwKind`; :func:`raise_for` raises the citizen-facing error for a kind at a step of
the read sequence. ``61xx``/``6Cxx`` are handled by the exchange layer before they get here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

from kiosk.domain.identity import (
    CardProtocolError,
    NotMyNumberCardError,
    PinLockedError,
    WrongPinError,
)

__all__ = ["STATUS_WORDS", "StatusWord", "SwKind", "classify", "raise_for"]


class SwKind(Enum):
    """What a status word means to the read sequence."""

    OK = "ok"
    MORE_DATA = "more data (GET RESPONSE)"
    WRONG_LE = "wrong Le (resend with SW2)"
    TRIES_LEFT = "verification failed, SW2 & 0F tries left"
    VERIFY_FAILED = "verification failed, no retry counter"
    BLOCKED = "authentication method blocked"
    SECURITY = "security status not satisfied"
    NOT_FOUND = "file or application not found"
    END_OF_FILE = "end of file reached"
    WRONG_P1P2 = "wrong P1/P2"
    WRONG_LENGTH = "wrong length"
    NO_CURRENT_EF = "command incompatible with the file"
    UNSUPPORTED = "instruction, class or channel not supported"
    OTHER = "unexpected"


@dataclass(frozen=True)
class StatusWord:
    """One row of the table: ``sw`` matched under ``mask``."""

    sw: int
    mask: int
    kind: SwKind
    meaning: str


STATUS_WORDS: tuple[StatusWord, ...] = (
    StatusWord(0x9000, 0xFFFF, SwKind.OK, "normal end"),
    StatusWord(0x6100, 0xFF00, SwKind.MORE_DATA, "SW2 more bytes available"),
    StatusWord(0x6C00, 0xFF00, SwKind.WRONG_LE, "wrong Le, SW2 is the right one"),
    StatusWord(0x63C0, 0xFFF0, SwKind.TRIES_LEFT, "verification failed, SW2&0F tries left"),
    StatusWord(0x6300, 0xFFFF, SwKind.VERIFY_FAILED, "verification failed"),
    StatusWord(0x6983, 0xFFFF, SwKind.BLOCKED, "authentication method blocked"),
    StatusWord(0x6984, 0xFFFF, SwKind.BLOCKED, "referenced data invalidated (PIN blocked)"),
    StatusWord(0x6982, 0xFFFF, SwKind.SECURITY, "security status not satisfied"),
    StatusWord(0x6A82, 0xFFFF, SwKind.NOT_FOUND, "file or application not found"),
    StatusWord(0x6B00, 0xFFFF, SwKind.END_OF_FILE, "offset outside the EF"),
    StatusWord(0x6282, 0xFFFF, SwKind.END_OF_FILE, "end of file before Le bytes"),
    StatusWord(0x6A86, 0xFFFF, SwKind.WRONG_P1P2, "incorrect P1/P2"),
    StatusWord(0x6700, 0xFFFF, SwKind.WRONG_LENGTH, "wrong Lc/Le"),
    StatusWord(0x6981, 0xFFFF, SwKind.NO_CURRENT_EF, "incompatible with file structure"),
    StatusWord(0x6986, 0xFFFF, SwKind.NO_CURRENT_EF, "no current EF"),
    StatusWord(0x6D00, 0xFFFF, SwKind.UNSUPPORTED, "INS not supported"),
    StatusWord(0x6E00, 0xFFFF, SwKind.UNSUPPORTED, "CLA not supported"),
    StatusWord(0x6881, 0xFFFF, SwKind.UNSUPPORTED, "logical channel not supported"),
)


def classify(sw: int) -> SwKind:
    """The kind of status word ``sw`` (``OTHER`` when it is not in the table)."""
    for row in STATUS_WORDS:
        if sw & row.mask == row.sw:
            return row.kind
    return SwKind.OTHER


def raise_for(sw: int, step: str) -> NoReturn:
    """Raise the typed error for a status word that ended ``step`` unsuccessfully.

    ``63C0`` is the attempt that used the last try: the card is locked from now on, exactly
    like ``6983``/``6984``. ``6300`` has no counter; it is a wrong PIN with the count unknown,
    reported as 1 try left so that the citizen gets the strong warning.
    """
    kind = classify(sw)
    if kind is SwKind.TRIES_LEFT:
        tries = sw & 0x0F
        if tries == 0:
            raise PinLockedError
        raise WrongPinError(tries)
    if kind is SwKind.VERIFY_FAILED:
        raise WrongPinError(1)
    if kind is SwKind.BLOCKED:
        raise PinLockedError
    if kind is SwKind.NOT_FOUND and step == "select application":
        raise NotMyNumberCardError
    raise CardProtocolError(step, sw)
