"""The expression language: what it evaluates, and everything outside its grammar it rejects."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pytest

from kiosk.procedures.expressions import ExpressionError, evaluate, names_in, parse_expression


class Env:
    """A fixed environment: a few values, one fee, a fixed today."""

    values: ClassVar[dict[str, Any]] = {"copies": 3, "kind": "proxy", "items": ["a", "b"],
                              "born": date(2011, 4, 2), "empty_text": "", "flag": True}

    def value(self, name: str) -> Any:
        return self.values.get(name)

    def fee(self, kind: str) -> int:
        return 300 if kind == "juminhyo" else 0

    def today(self) -> date:
        return date(2026, 4, 1)


@pytest.mark.parametrize(("source", "expected"), [
    ("copies * fee('juminhyo')", 900),
    ("copies + 2 * 3 - 1", 8),
    ("(copies + 1) / 2", 2.0),
    ("-copies", -3),
    ("kind == 'proxy'", True),
    ("kind != \"proxy\"", False),
    ("kind in ['self', 'proxy']", True),
    ("kind not in ['self', 'proxy']", False),
    ("not flag", False),
    ("flag and copies > 2 or false", True),
    ("copies >= 3 and copies <= 3 and copies < 4 and copies > 2", True),
    ("age(born)", 14),
    ("age(born) < 15", True),
    ("today() == today()", True),
    ("count(items)", 2),
    ("count(missing)", 0),
    ("selected(items, 'b')", True),
    ("empty(empty_text) and empty(missing)", True),
    ("min(copies, 2) + max(copies, 5)", 7),
    ("missing > 3", False),
    ("kind + 1", None),
    ("copies / 0", None),
    ("null == missing", True),
    ("1.5 * 2", 3.0),
], ids=str)
def test_evaluate__expression__gives_value(source: str, expected: Any) -> None:
    assert evaluate(parse_expression(source), Env()) == expected


@pytest.mark.parametrize("source", [
    "", "   ", "__import__('os')", "open('/etc/passwd')", "copies.__class__", "a[0]",
    "lambda: 1", "x = 1", "a; b", "`ls`", "1 +", "(1", "[1, 2", "'unterminated",
    "copies ** 2", "a if b else c", "f'{x}'", "$x", "a && b", "a || b", "a === b",
    "eval('1')", "age()", "today(1)", "selected(a)", "1 2", "x" * 501,
    "not " * 40 + "x",
], ids=lambda s: repr(s[:30]))
def test_parse__outside_grammar__is_rejected(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(source)


def test_parse__error__carries_column() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("copies + ;")
    assert caught.value.column == 10


def test_names_in__expression__lists_fields_read() -> None:
    assert names_in(parse_expression("a == 1 and count(b) > c")) == {"a", "b", "c"}
