"""Turning what a citizen typed (or what the card said) into a clean value of a field's type.

Each coercion either returns the value in its canonical form (katakana readings, ``date``
objects, ``987-0511`` postal codes) or raises :class:`InvalidAnswerError`, whose message id the
citizen's screen translates. Messages never repeat the value: it may be personal data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.i18n import N_
from kiosk.procedures.eras import ERAS, WarekiError, parse_date
from kiosk.procedures.kana import is_reading, normalize_reading
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition

__all__ = ["InvalidAnswerError", "coerce", "my_number_check_digit"]


class InvalidAnswerError(UserFacingError):
    """An answer that does not fit its field; ``field`` is the field id (never the value)."""

    def __init__(self, field: str, message_id: str, **params: str | int | float) -> None:
        self.field = field
        super().__init__(message_id, **params)


def _text(value: Any, item: FieldDef, _form: FormDefinition) -> str:
    if not isinstance(value, str):
        raise InvalidAnswerError(item.id, N_("Please enter text here."))
    text = value.strip()
    if item.max_length is not None and len(text) > item.max_length:
        raise InvalidAnswerError(item.id, N_("Please use at most {count} characters."),
                            count=item.max_length)
    return text


def _reading(value: Any, item: FieldDef, form: FormDefinition) -> str:
    reading = normalize_reading(_text(value, item, form))
    if reading and not is_reading(reading):
        raise InvalidAnswerError(item.id, N_("Please write the reading in katakana or hiragana."))
    return reading


def _date(value: Any, item: FieldDef, form: FormDefinition) -> date:
    day = value if isinstance(value, date) else None
    if isinstance(value, str):
        try:
            day = parse_date(value, form.era)
        except WarekiError:
            day = None
    # Forms write dates in 和暦, so a date before 明治 cannot be printed and is refused.
    if day is None or day < ERAS[0].start:
        raise InvalidAnswerError(item.id, N_("Please enter a real date, for example 令和6年4月1日."))
    return day


def _digits(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)) if isinstance(value, str | int) else ""
    return re.sub(r"[-‐−ー\s]", "", text)


def _postal_code(value: Any, item: FieldDef, _form: FormDefinition) -> str:
    digits = _digits(value)
    if not re.fullmatch(r"\d{7}", digits):
        raise InvalidAnswerError(item.id, N_("A postal code has 7 digits, like 987-0511."))
    return f"{digits[:3]}-{digits[3:]}"


def _phone(value: Any, item: FieldDef, _form: FormDefinition) -> str:
    digits = _digits(value)
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise InvalidAnswerError(item.id, N_("Please enter a phone number of 10 or 11 digits."))
    # The grouping the person typed (0220-22-1111) is kept: it tells the area code, which the
    # digits alone do not. Any dash or space becomes "-"; other shapes are kept as digits.
    grouped = re.sub(r"[-‐−ー\s]+", "-", unicodedata.normalize("NFKC", str(value)).strip())
    return grouped if re.fullmatch(r"0\d{1,4}-\d{1,4}-\d{3,4}", grouped) else digits


def _choice_values(item: FieldDef, form: FormDefinition) -> set[str]:
    return {choice.value for choice in form.choices.get(item.choices or "", ())}


def _select(value: Any, item: FieldDef, form: FormDefinition) -> str:
    if not isinstance(value, str) or value not in _choice_values(item, form):
        raise InvalidAnswerError(item.id, N_("Please choose one of the options."))
    return value


def _multiselect(value: Any, item: FieldDef, form: FormDefinition) -> list[str]:
    allowed = _choice_values(item, form)
    if not isinstance(value, list | tuple) or any(
            not isinstance(v, str) or v not in allowed for v in value):
        raise InvalidAnswerError(item.id, N_("Please choose from the options."))
    return sorted(set(value), key=list(value).index)


def _yes_no(value: Any, item: FieldDef, _form: FormDefinition) -> bool:
    if not isinstance(value, bool):
        raise InvalidAnswerError(item.id, N_("Please answer yes or no."))
    return value


def _number(value: Any, item: FieldDef, _form: FormDefinition) -> int | float:
    number: int | float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", unicodedata.normalize(
            "NFKC", value).strip()):
        text = unicodedata.normalize("NFKC", value).strip()
        number = float(text) if "." in text else int(text)
    if number is None or number != number:  # noqa: PLR0124 - NaN is the only value unequal to itself
        raise InvalidAnswerError(item.id, N_("Please enter a number."))
    if (item.minimum is not None and number < item.minimum) or (
            item.maximum is not None and number > item.maximum):
        raise InvalidAnswerError(item.id, N_("Please enter a number from {low} to {high}."),
                            low=item.minimum if item.minimum is not None else "",
                            high=item.maximum if item.maximum is not None else "")
    return number


def my_number_check_digit(first_eleven: str) -> int:
    """The check digit of a 個人番号 (総務省令 第5条): weights 2..7, 2..6 from the right, mod 11."""
    total = 0
    for position, digit in enumerate(reversed(first_eleven), start=1):
        weight = position + 1 if position <= 6 else position - 5
        total += int(digit) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def _my_number(value: Any, item: FieldDef, _form: FormDefinition) -> str:
    digits = _digits(value)
    if not re.fullmatch(r"\d{12}", digits) or my_number_check_digit(digits[:11]) != int(digits[11]):
        raise InvalidAnswerError(item.id, N_("This is not a valid 12-digit My Number."))
    return digits


def _not_an_answer(_value: Any, item: FieldDef, _form: FormDefinition) -> Any:
    raise InvalidAnswerError(item.id, N_("This item cannot be answered."))


def _group(value: Any, item: FieldDef, form: FormDefinition) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or len(value) > item.repeat_max:
        raise InvalidAnswerError(item.id, N_("Please enter at most {count} entries."),
                            count=item.repeat_max)
    rows = []
    for row in value:
        if not isinstance(row, Mapping):
            raise InvalidAnswerError(item.id, N_("Please fill in each entry."))
        clean: dict[str, Any] = {}
        for child in item.fields:
            raw = row.get(child.id)
            if raw not in (None, "", []) and child.type.holds_value:
                clean[child.id] = coerce(child, raw, form)
        rows.append(clean)
    return rows


_COERCIONS: Mapping[FieldType, Callable[[Any, FieldDef, FormDefinition], Any]] = {
    FieldType.NAME: _text, FieldType.TEXT: _text, FieldType.ADDRESS: _text,
    FieldType.READING: _reading, FieldType.DATE: _date, FieldType.POSTAL_CODE: _postal_code,
    FieldType.PHONE: _phone, FieldType.SELECT: _select, FieldType.MULTISELECT: _multiselect,
    FieldType.YES_NO: _yes_no, FieldType.CONSENT: _yes_no, FieldType.NUMBER: _number,
    FieldType.MY_NUMBER: _my_number, FieldType.GROUP: _group,
    FieldType.NOTE: _not_an_answer, FieldType.SIGNATURE: _not_an_answer,
}


def coerce(item: FieldDef, value: Any, form: FormDefinition) -> Any:
    """``value`` in the canonical form of ``item``'s type.

    Raises:
        InvalidAnswerError: the value does not fit.
    """
    return _COERCIONS[item.type](value, item, form)
