"""The validated model of a procedure: what stage 2 of loading produces from plain data.

Everything here is frozen and holds no personal data. Conditions and calculations are already
parsed (:class:`Condition`), so a session never parses text while a citizen waits.

The classes are frozen msgspec structs, which behave as frozen dataclasses (fields, equality,
hashing, ``repr``; ``msgspec.structs.replace`` for a changed copy) but are made in C: the
tablet imports this module as it starts, and the dataclasses compiled six methods each from
source (some 25 ms of the start; issue 18).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import msgspec

from kiosk.i18n import FIRST_TIER
from kiosk.procedures.eras import EraStyle
from kiosk.procedures.expressions import Expression

__all__ = [
    "DELIVERIES",
    "LANGUAGES",
    "PREFILL_SOURCES",
    "Bring",
    "Bundle",
    "BundleRule",
    "Choice",
    "Condition",
    "Constraint",
    "Fee",
    "FieldDef",
    "FieldType",
    "FormDefinition",
    "LocalText",
    "Place",
    "PrintSection",
    "PrintSpec",
]

LANGUAGES: tuple[str, ...] = FIRST_TIER

# Where a prefill may come from; ``visit.<field>`` (an answer given earlier in the same visit)
# is checked separately because its field part is free.
PREFILL_SOURCES: tuple[str, ...] = (
    "card.name", "card.reading", "card.address", "card.birth_date", "card.sex",
)


class FieldType(enum.Enum):
    """The kinds of item a Japanese counter form asks."""

    NAME = "name"
    READING = "reading"
    DATE = "date"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    PHONE = "phone"
    TEXT = "text"
    SELECT = "select"
    MULTISELECT = "multiselect"
    YES_NO = "yes_no"
    NUMBER = "number"
    CONSENT = "consent"
    NOTE = "note"
    SIGNATURE = "signature"
    GROUP = "group"
    MY_NUMBER = "my_number"

    @property
    def holds_value(self) -> bool:
        """Whether the citizen answers this kind of item (notes and signatures are not)."""
        return self not in (FieldType.NOTE, FieldType.SIGNATURE)


class LocalText(msgspec.Struct, frozen=True):
    """A text in several languages; ``get`` falls back to Japanese, then English."""

    texts: Mapping[str, str] = msgspec.field(default_factory=dict)

    def get(self, language: str) -> str:
        """The text in ``language`` (やさしい日本語 falls back to 日本語)."""
        for code in (language, "ja" if language.startswith("ja") else "", "ja", "en"):
            if code and self.texts.get(code):
                return self.texts[code]
        return next(iter(self.texts.values()), "")

    def missing(self, languages: tuple[str, ...] = LANGUAGES) -> list[str]:
        """The languages of ``languages`` without a non-empty text."""
        return [code for code in languages if not str(self.texts.get(code, "")).strip()]


class Condition(msgspec.Struct, frozen=True):
    """A parsed expression with the text it came from (for outlines and messages)."""

    source: str
    tree: Expression


class Constraint(msgspec.Struct, frozen=True):
    """A rule the answer must satisfy, and what to tell the citizen when it does not."""

    condition: Condition
    message: LocalText


class Choice(msgspec.Struct, frozen=True):
    """One option of a choice list; ``tags`` let a ``choice_filter`` narrow the list."""

    value: str
    label: LocalText
    tags: frozenset[str] = frozenset()


class Place(msgspec.Struct, frozen=True):
    """Where a field's value goes on the city's own 様式 PDF: page (1-based), box in mm from
    the page's top-left corner, font size in points, and vertical writing (縦書き)."""

    page: int
    x: float
    y: float
    w: float
    h: float
    size: float = 10.0
    vertical: bool = False


class FieldDef(msgspec.Struct, frozen=True):
    """One item of a form."""

    id: str
    type: FieldType
    label: LocalText
    line: int = 0
    hint: LocalText | None = None
    required: bool = False
    visible_if: Condition | None = None
    required_if: Condition | None = None
    readonly_if: Condition | None = None
    constraint: Constraint | None = None
    calculate: Condition | None = None
    default: Any = None
    prefill: str | None = None
    choices: str | None = None
    choice_filter: Condition | None = None
    unit: LocalText | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    fields: tuple[FieldDef, ...] = ()
    repeat_min: int = 0
    repeat_max: int = 1
    sample: Any = None
    legal_basis: str | None = None
    print_chars: int | None = None
    place: Place | None = None     # on the 様式 background (print.background), if any

    def conditions(self) -> Iterator[tuple[str, Condition]]:
        """``(key, condition)`` for every expression of this field, constraint included."""
        for key in ("visible_if", "required_if", "readonly_if", "calculate", "choice_filter"):
            condition = getattr(self, key)
            if condition is not None:
                yield key, condition
        if self.constraint is not None:
            yield "constraint", self.constraint.condition


class Fee(msgspec.Struct, frozen=True):
    """One line of a fee table, in yen; ``confirmed`` once checked against the ordinance."""

    kind: str
    amount: int
    per: str
    label: LocalText
    confirmed: bool = False
    line: int = 0
    basis: str = ""      # the ordinance article it comes from (登米市手数料条例 ...)


class Bring(msgspec.Struct, frozen=True):
    """Something to bring to the counter (本人確認書類, 委任状 ...), perhaps only when a condition holds."""

    id: str
    label: LocalText
    when: Condition | None = None


class PrintSection(msgspec.Struct, frozen=True):
    """A titled block of the printed form and the fields it shows, in order."""

    title: str
    fields: tuple[str, ...]


DELIVERIES = ("paper", "electronic", "clerk")
"""How an approved application leaves the counter (``print.delivery``)."""


class PrintSpec(msgspec.Struct, frozen=True):
    """The paper 様式: its title, its number, sections in order, and whether it is signed."""

    title: str
    form_number: str = ""
    addressee: str = "登米市長　様"
    sections: tuple[PrintSection, ...] = ()
    signature: bool = False
    background: str = ""     # the city's blank 様式 PDF, relative to forms/ ("" = generic layout)
    # After approval: "paper" (printed and signed by hand), "electronic" (a PDF/A signed by
    # the city, nothing printed) or "clerk" (the clerk chooses per application).
    delivery: str = "paper"


class FormDefinition(msgspec.Struct, frozen=True):
    """A validated procedure definition."""

    id: str
    version: str
    title: LocalText
    department: LocalText
    counter: str
    service: str
    file: str
    effective_from: date | None = None
    effective_to: date | None = None
    fees: tuple[Fee, ...] = ()
    bring: tuple[Bring, ...] = ()
    era: EraStyle = msgspec.field(default_factory=EraStyle)
    choices: Mapping[str, tuple[Choice, ...]] = msgspec.field(default_factory=dict)
    fields: tuple[FieldDef, ...] = ()
    print: PrintSpec = msgspec.field(default_factory=lambda: PrintSpec(""))
    certificate: bool = False
    picture: str = ""    # pictogram name (kiosk.procedures.pictures); "" shows text only
    legal_form: str = ""  # the law, ordinance or notice that defines the paper 様式

    def walk_fields(self) -> Iterator[tuple[str, FieldDef]]:
        """Every field with its path (``members[].name`` inside a repeat group)."""
        def _walk(prefix: str, items: tuple[FieldDef, ...]) -> Iterator[tuple[str, FieldDef]]:
            for item in items:
                path = f"{prefix}{item.id}"
                yield path, item
                yield from _walk(f"{path}[].", item.fields)
        yield from _walk("", self.fields)

    def field(self, field_id: str) -> FieldDef:
        """The top-level field ``field_id``.

        Raises:
            KeyError: no such field.
        """
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)

    def fee(self, kind: str) -> Fee:
        """The fee line ``kind``.

        Raises:
            KeyError: not in the fee table.
        """
        for line in self.fees:
            if line.kind == kind:
                return line
        raise KeyError(kind)

    def choice_label(self, list_name: str, value: str, language: str) -> str:
        """The label of ``value`` in choice list ``list_name`` (the value itself if unknown)."""
        for choice in self.choices.get(list_name, ()):
            if choice.value == value:
                return choice.label.get(language)
        return value


class BundleRule(msgspec.Struct, frozen=True):
    """A procedure of a life event that applies when ``when`` holds, with the reason why."""

    procedure: str
    when: Condition | None
    reason: LocalText
    line: int = 0


class Bundle(msgspec.Struct, frozen=True):
    """A life event (転入, 出生 ...): a few questions decide which procedures apply."""

    id: str
    version: str
    title: LocalText
    file: str
    questions: tuple[FieldDef, ...] = ()
    choices: Mapping[str, tuple[Choice, ...]] = msgspec.field(default_factory=dict)
    rules: tuple[BundleRule, ...] = ()
    picture: str = ""    # pictogram name (kiosk.procedures.pictures); "" shows text only
