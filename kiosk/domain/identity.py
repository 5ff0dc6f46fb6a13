"""The citizen's identity as read from the My Number card, and what can go wrong reading it.

:class:`Identity` holds the 基本4情報 (name, address, birth date, sex). It is personal data: its
``repr`` is masked, it never goes to a log, and it lives only as long as the visit. The errors
below are what an :class:`kiosk.ports.IdentityReader` raises; each carries a message id the
citizen (or the clerk) reads, and none carries personal data.

The card events are published by the card reader's monitor thread on the core event bus.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from kiosk.errors import DeviceError, DeviceLost
from kiosk.events import Event
from kiosk.fonts import FontFace, missing_characters
from kiosk.i18n import N_

__all__ = [
    "IDEOGRAPHIC_SPACE",
    "PIN_LENGTH",
    "CardBusyError",
    "CardDataError",
    "CardError",
    "CardInserted",
    "CardIntegrityError",
    "CardProtocolError",
    "CardReaderLost",
    "CardReaderRecovered",
    "CardRemovedError",
    "CardStatus",
    "CardWithdrawn",
    "Identity",
    "LastTryError",
    "MyNumber",
    "MyNumberNotAllowedError",
    "NoCardError",
    "NoReaderError",
    "NotMyNumberCardError",
    "PinFormatError",
    "PinLockedError",
    "ReaderLostError",
    "Sex",
    "WrongPinError",
]

IDEOGRAPHIC_SPACE = "\u3000"
PIN_LENGTH = 4


class Sex(Enum):
    """Sex code of JIS X 0303 / ISO 5218, as the card stores it (one ASCII digit)."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    NOT_APPLICABLE = "9"


@dataclass(frozen=True, repr=False)
class Identity:
    """The 基本4情報 of one citizen, as the card holds them.

    Attributes:
        name: the full name exactly as on the card (family and given name separated by U+3000).
        address: the address exactly as on the card: kept for display and print, because
            the citizen's 住民票 characters (IVS, supplementary-plane kanji) must survive.
        birth_date: the Gregorian birth date.
        sex: the sex code.
        issuer_verified: the data's signature chains to the configured issuer CA key and the
            card proved it holds its issuer-signed key (internal authentication). False
            means only the digest was checked, which whoever made the card can compute.
    """

    name: str
    address: str
    birth_date: date
    sex: Sex
    issuer_verified: bool = False

    @property
    def family_name(self) -> str:
        """The part of the name before the first ideographic space (the whole name if none)."""
        return self.name.split(IDEOGRAPHIC_SPACE, 1)[0]

    @property
    def given_name(self) -> str:
        """The part after the first ideographic space; empty for a mononym."""
        parts = self.name.split(IDEOGRAPHIC_SPACE, 1)
        return parts[1] if len(parts) == 2 else ""

    @property
    def address_for_fields(self) -> str:
        """The address normalised with NFKC, for form fields that compare and validate.

        The card writes block numbers with full-width digits and U+FF0D; NFKC turns them into
        ASCII. IVS selectors survive NFKC, so rare kanji keep their variant.
        """
        return unicodedata.normalize("NFKC", self.address)

    def undrawable_characters(self, faces: Iterable[FontFace]) -> list[str]:
        """Characters of the name and address that none of ``faces`` can draw (外字 handling)."""
        return missing_characters(self.name + self.address, list(faces))

    def __repr__(self) -> str:
        # Masked: an Identity in a traceback or a debug print must not leak the person.
        return "Identity(name=***, address=***, birth_date=***, sex=***)"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class MyNumber:
    """A 12-digit 個人番号 (特定個人情報): masked in every repr and str, never logged."""

    digits: str = field()

    def masked(self) -> str:
        """The number with all but the last four digits hidden, for showing to the clerk."""
        return "*" * (len(self.digits) - 4) + self.digits[-4:]

    def __repr__(self) -> str:
        return "MyNumber(***)"

    __str__ = __repr__


@dataclass(frozen=True)
class CardStatus:
    """What ``kiosk card status`` and the welcome screen know without a PIN.

    Attributes:
        reader: name of the reader in use.
        present: a card is in the reader.
        atr: the card's answer-to-reset in hex, empty when no card.
        my_number_card: the card has the 券面事項入力補助AP (``None`` when no card).
        tries_left: PIN tries left (``None`` when no card or not a My Number card).
    """

    reader: str
    present: bool
    atr: str = ""
    my_number_card: bool | None = None
    tries_left: int | None = None


# ---------------------------------------------------------------- errors


class CardError(DeviceError):
    """Base of the errors of reading the My Number card."""


class NoReaderError(CardError):
    """No card reader matches the configuration."""

    def __init__(self, wanted: str = "") -> None:
        super().__init__(N_("No card reader is connected. Please call a staff member."),
                         wanted=wanted)


class ReaderLostError(DeviceLost, CardError):
    """The PC/SC service or the reader went away; the monitor keeps trying to reconnect."""

    def __init__(self) -> None:
        super().__init__(N_("The card reader stopped responding. Please wait a moment."))


class NoCardError(CardError):
    """The reader has no card."""

    def __init__(self) -> None:
        super().__init__(N_("Please insert your My Number card."))


class CardRemovedError(CardError):
    """The card was taken out (or reset by another program) during a read; nothing was kept."""

    def __init__(self) -> None:
        super().__init__(N_("The card was removed. Please insert it again."))


class CardBusyError(CardError):
    """Another program holds the card exclusively."""

    def __init__(self) -> None:
        super().__init__(N_("The card is in use by another program. Please call a staff member."))


class NotMyNumberCardError(CardError):
    """The card has no 券面事項入力補助AP (SELECT answered 6A82)."""

    def __init__(self) -> None:
        super().__init__(N_("This card is not a My Number card. Please insert your My Number "
                            "card."))


class PinFormatError(CardError):
    """The PIN typed is not exactly four digits; nothing was sent to the card."""

    def __init__(self) -> None:
        super().__init__(N_("The PIN has exactly 4 digits. Please enter it again."))


class WrongPinError(CardError):
    """The card refused the PIN; ``tries_left`` more attempts remain (at least 1)."""

    def __init__(self, tries_left: int) -> None:
        self.tries_left = tries_left
        if tries_left == 1:
            message = N_("The PIN is not correct. Only 1 try is left: if the next PIN is wrong "
                         "too, the card will be locked. If you are not sure, please ask a staff "
                         "member.")
        else:
            message = N_("The PIN is not correct. {tries} tries are left.")
        super().__init__(message, tries=tries_left)


class LastTryError(CardError):
    """One try is left and the caller did not say to use it: nothing was sent to the card.

    The last try is spent only on an explicit, separate confirmation (the tablet's second
    screen, ``kiosk card read --use-last-try``): a wrong PIN then locks the card.
    """

    def __init__(self) -> None:
        self.tries_left = 1
        super().__init__(N_("Only 1 try left"))


class PinLockedError(CardError):
    """The PIN is blocked (63C0, 6983, 6984); only the municipal counter can reset it."""

    def __init__(self) -> None:
        self.tries_left = 0
        super().__init__(N_("The PIN of this card is locked. Please go to the counter to "
                            "have it reset."))


class CardDataError(CardError):
    """The card's data could not be parsed (broken TLV, bad date, not UTF-8)."""

    def __init__(self, detail: str = "") -> None:
        # ``detail`` names the structure that failed (a tag or an offset), never a value.
        self.detail = detail
        super().__init__(N_("The data on the card could not be read. Please ask a staff "
                            "member."), detail=detail)


class CardIntegrityError(CardError):
    """The digest or the signature of the card's data does not match: the clerk must check."""

    def __init__(self, check: str) -> None:
        self.check = check
        super().__init__(N_("The card's data failed the integrity check ({check}). "
                            "Staff: check the card by eye before using the data."), check=check)


class CardProtocolError(CardError):
    """The card answered a status word the read sequence does not expect (a bug or odd card)."""

    def __init__(self, step: str, sw: int) -> None:
        self.step = step
        self.sw = sw
        super().__init__(N_("The card answered unexpectedly ({step}: {sw}). Please call a "
                            "staff member."), step=step, sw=f"{sw:04X}")


class MyNumberNotAllowedError(CardError):
    """Reading the 個人番号 is switched off in the configuration ([card] allow_my_number)."""

    def __init__(self) -> None:
        super().__init__(N_("Reading the My Number is not enabled on this kiosk."))


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class CardInserted(Event):
    """A card was inserted into ``reader``."""

    reader: str


@dataclass(frozen=True, slots=True)
class CardWithdrawn(Event):
    """The card was taken out of ``reader`` (the error of a read cut short is CardRemovedError)."""

    reader: str


@dataclass(frozen=True, slots=True)
class CardReaderLost(Event):
    """The PC/SC service or the reader went away (the monitor keeps trying)."""

    reader: str


@dataclass(frozen=True, slots=True)
class CardReaderRecovered(Event):
    """The PC/SC service is back after :class:`CardReaderLost`."""

    reader: str
