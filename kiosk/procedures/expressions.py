"""The small, safe expression language of ``visible_if``, ``required_if``, ``readonly_if``,
``constraint`` and ``calculate``.

It is parsed into a tiny syntax tree when a definition loads and evaluated by walking that
tree: nothing is ever handed to ``eval``, and anything outside the grammar is rejected at
load time with the column where it went wrong.

Grammar::

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum)?
    sum    := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | STRING | "true" | "false" | "null" | NAME | NAME "(" args ")"
            | "(" expr ")" | "[" (expr ("," expr)*)? "]"

Names are field ids (``[a-z_][a-z0-9_]*``); strings use single or double quotes. Functions:
``age(date)``, ``today()``, ``count(x)``, ``selected(x, "v")``, ``empty(x)``, ``fee("kind")``,
``min(a, b)``, ``max(a, b)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

import msgspec

__all__ = [
    "FUNCTIONS",
    "Binary",
    "Call",
    "Environment",
    "Expression",
    "ExpressionError",
    "ListExpr",
    "Literal",
    "Name",
    "Unary",
    "evaluate",
    "names_in",
    "parse_expression",
    "truthy",
]

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
_MAX_LENGTH = 500
_MAX_DEPTH = 30

# name -> (min args, max args); the evaluator below implements each.
FUNCTIONS: Mapping[str, tuple[int, int]] = {
    "age": (1, 2), "today": (0, 0), "count": (1, 1), "selected": (2, 2),
    "empty": (1, 1), "fee": (1, 1), "min": (2, 2), "max": (2, 2),
}


class ExpressionError(ValueError):
    """An expression outside the grammar; ``column`` is 1-based."""

    def __init__(self, problem: str, column: int) -> None:
        super().__init__(f"{problem} at column {column}")
        self.problem = problem
        self.column = column


# Frozen msgspec structs, as the model's (kiosk.procedures.model): made in C at import.
class Literal(msgspec.Struct, frozen=True):
    """A number, string, boolean or null."""

    value: Any


class Name(msgspec.Struct, frozen=True):
    """A reference to a field's value."""

    name: str


class Call(msgspec.Struct, frozen=True):
    """A call of one of :data:`FUNCTIONS`."""

    function: str
    args: tuple[Expression, ...]


class Unary(msgspec.Struct, frozen=True):
    """``not x`` or ``-x``."""

    op: str
    operand: Expression


class Binary(msgspec.Struct, frozen=True):
    """``a op b`` for logic, comparison, membership and arithmetic."""

    op: str
    left: Expression
    right: Expression


class ListExpr(msgspec.Struct, frozen=True):
    """``[a, b, c]``, the right side of ``in``."""

    items: tuple[Expression, ...]


Expression = Literal | Name | Call | Unary | Binary | ListExpr


class _Token(msgspec.Struct, frozen=True):
    kind: str
    text: str
    column: int


def _tokens(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected character {source[position]!r}", position + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group()
            if kind == "name" and text in _KEYWORDS:
                kind = "op"
            tokens.append(_Token(kind, text, position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def accept(self, *texts: str) -> _Token | None:
        token = self.current
        if token.kind == "op" and token.text in texts:
            self.index += 1
            return token
        return None

    def expect(self, text: str) -> None:
        if self.accept(text) is None:
            raise ExpressionError(f"expected {text!r}", self.current.column)

    def parse(self) -> Expression:
        tree = self.or_()
        if self.current.kind != "end":
            raise ExpressionError(f"unexpected {self.current.text!r}", self.current.column)
        return tree

    def or_(self) -> Expression:
        left = self.and_()
        while self.accept("or"):
            left = Binary("or", left, self.and_())
        return left

    def and_(self) -> Expression:
        left = self.not_()
        while self.accept("and"):
            left = Binary("and", left, self.not_())
        return left

    def not_(self) -> Expression:
        if self.accept("not"):
            return Unary("not", self.nested(self.not_))
        return self.comparison()

    def comparison(self) -> Expression:
        left = self.sum_()
        token = self.accept("==", "!=", "<", "<=", ">", ">=", "in")
        if token is not None:
            return Binary(token.text, left, self.sum_())
        if self.current.text == "not" and self.tokens[self.index + 1].text == "in":
            self.index += 2
            return Unary("not", Binary("in", left, self.sum_()))
        return left

    def sum_(self) -> Expression:
        left = self.term()
        while (token := self.accept("+", "-")) is not None:
            left = Binary(token.text, left, self.term())
        return left

    def term(self) -> Expression:
        left = self.unary()
        while (token := self.accept("*", "/")) is not None:
            left = Binary(token.text, left, self.unary())
        return left

    def unary(self) -> Expression:
        if self.accept("-"):
            return Unary("-", self.nested(self.unary))
        return self.atom()

    def nested(self, rule: Callable[[], Expression]) -> Expression:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", self.current.column)
        try:
            return rule()
        finally:
            self.depth -= 1

    def atom(self) -> Expression:
        token = self.current
        if token.kind == "number":
            self.index += 1
            return Literal(float(token.text) if "." in token.text else int(token.text))
        if token.kind == "string":
            self.index += 1
            return Literal(token.text[1:-1])
        if token.kind == "name":
            self.index += 1
            return self.call(token) if self.accept("(") else Name(token.text)
        constants = {"true": True, "false": False, "null": None}
        if token.kind == "op" and token.text in constants:
            self.index += 1
            return Literal(constants[token.text])
        if self.accept("("):
            inner = self.nested(self.or_)
            self.expect(")")
            return inner
        if self.accept("["):
            return ListExpr(self.items("]"))
        raise ExpressionError(f"unexpected {token.text or 'end of expression'!r}", token.column)

    def items(self, closing: str) -> tuple[Expression, ...]:
        items: list[Expression] = []
        if not self.accept(closing):
            items.append(self.nested(self.or_))
            while self.accept(","):
                items.append(self.nested(self.or_))
            self.expect(closing)
        return tuple(items)

    def call(self, token: _Token) -> Expression:
        if token.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function {token.text!r}", token.column)
        args = self.items(")")
        low, high = FUNCTIONS[token.text]
        if not low <= len(args) <= high:
            raise ExpressionError(f"{token.text}() takes {low}..{high} arguments", token.column)
        return Call(token.text, args)


def parse_expression(source: str) -> Expression:
    """Parse ``source`` into a syntax tree.

    Raises:
        ExpressionError: ``source`` is outside the grammar (or longer than 500 characters).
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty expression", 1)
    if len(source) > _MAX_LENGTH:
        raise ExpressionError(f"longer than {_MAX_LENGTH} characters", _MAX_LENGTH)
    return _Parser(source).parse()


def walk(tree: Expression) -> Iterator[Expression]:
    """Every node of ``tree``, the root first."""
    yield tree
    children: Sequence[Expression] = ()
    if isinstance(tree, Call | ListExpr):
        children = tree.args if isinstance(tree, Call) else tree.items
    elif isinstance(tree, Unary):
        children = (tree.operand,)
    elif isinstance(tree, Binary):
        children = (tree.left, tree.right)
    for child in children:
        yield from walk(child)


def names_in(tree: Expression) -> set[str]:
    """The field ids ``tree`` reads."""
    return {node.name for node in walk(tree) if isinstance(node, Name)}


class Environment(Protocol):
    """What an expression can see: field values, the fee table and today's date."""

    def value(self, name: str) -> Any:
        """The current value of field ``name`` (``None`` when unanswered)."""
        ...

    def fee(self, kind: str) -> int:
        """The fee in yen of ``kind`` in this form's fee table."""
        ...

    def today(self) -> date:
        """The date the application is made."""
        ...


def truthy(value: Any) -> bool:
    """Truth of an expression result: empty strings, lists and ``None`` are false."""
    return value not in (None, "", [], 0, False)


def evaluate(tree: Expression, env: Environment) -> Any:
    """Evaluate ``tree``; type mismatches give ``None`` (unknown) rather than an exception."""
    if isinstance(tree, Literal):
        return tree.value
    if isinstance(tree, Name):
        return env.value(tree.name)
    if isinstance(tree, ListExpr):
        return [evaluate(item, env) for item in tree.items]
    if isinstance(tree, Unary):
        operand = evaluate(tree.operand, env)
        if tree.op == "not":
            return not truthy(operand)
        return -operand if _is_number(operand) else None
    if isinstance(tree, Call):
        return _call(tree, env)
    return _binary(tree, env)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _binary(tree: Binary, env: Environment) -> Any:
    if tree.op == "and":
        return truthy(evaluate(tree.left, env)) and truthy(evaluate(tree.right, env))
    if tree.op == "or":
        return truthy(evaluate(tree.left, env)) or truthy(evaluate(tree.right, env))
    left, right = evaluate(tree.left, env), evaluate(tree.right, env)
    if tree.op == "==":
        return bool(left == right)
    if tree.op == "!=":
        return bool(left != right)
    if tree.op == "in":
        return (isinstance(right, list) and left in right) or (
            isinstance(right, str) and isinstance(left, str) and left in right)
    return _ordered(tree.op, left, right)


_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b else None,
}
_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: bool(a < b), "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b), ">=": lambda a, b: bool(a >= b),
}


def _ordered(op: str, left: Any, right: Any) -> Any:
    comparable = (_is_number(left) and _is_number(right)) or (
        type(left) is type(right) and isinstance(left, str | date))
    if op in _ARITHMETIC:
        return _ARITHMETIC[op](left, right) if _is_number(left) and _is_number(right) else None
    return _COMPARE[op](left, right) if comparable else False


def _age(born: Any, at: Any) -> int | None:
    if not isinstance(born, date) or not isinstance(at, date):
        return None
    # 年齢計算ニ関スル法律: a birthday counts from the day before, but for "age on a date"
    # at counters the ordinary completed-years count is what the forms ask.
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _call(tree: Call, env: Environment) -> Any:
    args = [evaluate(arg, env) for arg in tree.args]
    name = tree.function
    if name == "today":
        return env.today()
    if name == "age":
        return _age(args[0], args[1] if len(args) > 1 else env.today())
    if name == "count":
        return len(args[0]) if isinstance(args[0], list) else (0 if args[0] is None else 1)
    if name == "selected":
        return args[1] in args[0] if isinstance(args[0], list) else args[0] == args[1]
    if name == "empty":
        return args[0] in (None, "", [])
    if name == "fee":
        return env.fee(str(args[0]))
    numbers = [a for a in args if _is_number(a)]
    if len(numbers) != len(args):
        return None
    return min(numbers) if name == "min" else max(numbers)
