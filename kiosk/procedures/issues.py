"""Coded problems found while loading, checking or printing a form definition.

Like pyxform's ``ErrorCode``, every problem the engine reports has a code in one enum with its
English message; a :class:`FormIssue` pairs a code with the place it was found
(``forms/juminhyo.yaml:42`` and the path inside the document) and the message parameters.
These messages are read by IT and by the clerk who signs a definition off, in the terminal of
``kiosk forms check``; citizens never see them, because nothing invalid reaches a citizen.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.errors import UserFacingError
from kiosk.i18n import S_

__all__ = [
    "FormDefinitionError",
    "FormIssue",
    "IssueCode",
    "Location",
    "Severity",
    "errors_of",
]


class Severity(enum.Enum):
    """Whether an issue stops the definition from reaching a citizen."""

    ERROR = "error"
    WARNING = "warning"


class IssueCode(enum.Enum):
    """Every problem a definition can have: ``(code, severity, English message)``."""

    YAML_SYNTAX = ("F001", Severity.ERROR, "YAML syntax error: {problem}")
    DUPLICATE_KEY = ("F002", Severity.ERROR, "key '{key}' appears twice in the same mapping")
    WORKBOOK = ("F005", Severity.ERROR, "workbook: {problem}")
    NOT_A_MAPPING = ("F003", Severity.ERROR, "expected a mapping (key: value), found {found}")
    NOT_UTF8 = ("F004", Severity.ERROR,
                "not UTF-8 text (byte {offset}; Shift_JIS?): save the file as UTF-8")
    MISSING_KEY = ("F010", Severity.ERROR, "required key '{key}' is missing")
    UNKNOWN_KEY = ("F011", Severity.ERROR, "unknown key '{key}' (allowed: {allowed})")
    WRONG_TYPE = ("F012", Severity.ERROR, "'{key}' must be {expected}, found {found}")
    BAD_VALUE = ("F013", Severity.ERROR, "'{key}' has an invalid value: {problem}")
    UNKNOWN_FIELD_TYPE = ("F014", Severity.ERROR, "unknown field type '{type}' (allowed: {allowed})")
    DUPLICATE_ID = ("F020", Severity.ERROR, "id '{id}' is used twice (first at line {first_line})")
    DUPLICATE_FORM = ("F021", Severity.ERROR, "form id '{id}' is also defined in {other}")
    UNKNOWN_REFERENCE = ("F030", Severity.ERROR, "'{name}' refers to no field of this form")
    UNKNOWN_CHOICES = ("F031", Severity.ERROR, "choice list '{name}' is not defined")
    UNKNOWN_PROCEDURE = ("F032", Severity.ERROR, "procedure '{name}' is not defined in forms/")
    UNKNOWN_COMMON = ("F033", Severity.ERROR, "'use: {name}' names no common field")
    UNKNOWN_FEE = ("F034", Severity.ERROR, "fee '{name}' is not in this form's fee table")
    BAD_EXPRESSION = ("F040", Severity.ERROR, "expression error in {key}: {problem}")
    NEVER_TRUE = ("F041", Severity.ERROR, "{key} can never be true: {reason}")
    CYCLE = ("F042", Severity.ERROR, "conditions or calculations form a cycle: {cycle}")
    MISSING_TRANSLATION = ("F050", Severity.ERROR, "{key} has no text in {languages}")
    BAD_RUBY = ("F051", Severity.ERROR, "{key} ({language}) has malformed furigana markup")
    INCONSISTENT_LABEL = ("F052", Severity.WARNING,
                          "field '{id}' is labelled differently in {other} ({language})")
    BAD_PREFILL = ("F060", Severity.ERROR, "unknown prefill source '{source}' (allowed: {allowed})")
    MY_NUMBER_WITHOUT_BASIS = ("F061", Severity.ERROR,
                               "a My Number field needs 'legal_basis' naming the law that requires it")
    PRINT_OVERFLOW = ("F070", Severity.ERROR,
                      "the sample value of '{id}' needs {needed} characters; its box holds {room}")
    PRINT_UNKNOWN_FIELD = ("F071", Severity.ERROR, "print section lists '{id}', which is no field")
    PRINT_PAGE_FULL = ("F072", Severity.ERROR, "print layout needs {needed} mm; A4 has {room} mm")
    BAD_DATE_RANGE = ("F080", Severity.ERROR, "effective 'to' ({to}) is before 'from' ({start})")
    BAD_VERSION = ("F081", Severity.ERROR, "version '{version}' is not semantic (1.2.3)")
    FEE_UNCONFIRMED = ("F090", Severity.WARNING,
                       "fee '{name}' is not yet confirmed against the city's fee ordinance")
    UNKNOWN_PICTURE = ("F091", Severity.WARNING,
                       "picture '{name}' has no file in kiosk/resources/pictures (text only)")

    def __init__(self, code: str, severity: Severity, message: str) -> None:
        self.code = code
        self.severity = severity
        self.message = message


@dataclass(frozen=True)
class Location:
    """Where an issue is: a file, a 1-based line, and a path inside the document."""

    file: str
    line: int = 0
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} ({self.path})" if self.path else where


@dataclass(frozen=True)
class FormIssue:
    """One coded problem at one place, with the parameters of its message."""

    code: IssueCode
    location: Location
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        """Error or warning, from the code."""
        return self.code.severity

    def message(self) -> str:
        """The English message with its parameters."""
        try:
            return self.code.message.format(**self.params)
        except (KeyError, IndexError):
            return self.code.message

    def __str__(self) -> str:
        return f"{self.location}: {self.code.code} {self.severity.value}: {self.message()}"


def errors_of(issues: Iterable[FormIssue]) -> list[FormIssue]:
    """Only the issues that stop a definition from being used."""
    return [issue for issue in issues if issue.severity is Severity.ERROR]


class FormDefinitionError(UserFacingError):
    """A definition could not be loaded; ``issues`` says where and why (no personal data)."""

    def __init__(self, issues: Iterable[FormIssue]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0] if self.issues else None
        super().__init__(S_("The form definition {file} has {count} error(s); first: {first}"),
                         file=first.location.file if first else "?", count=len(self.issues),
                         first=str(first) if first else "")
