"""Stage 3: lint rules over a built definition, each a small function returning issues.

A rule takes a :class:`FormDefinition` and yields :class:`FormIssue`; :data:`RULES` lists them
in the order ``kiosk forms check`` runs them. Rules across forms (duplicate ids, the same item
labelled differently) live in :mod:`kiosk.procedures.catalog`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kiosk.procedures.expressions import Binary, Call, Expression, ListExpr, Literal, Name, walk
from kiosk.procedures.issues import FormIssue, IssueCode, Location
from kiosk.procedures.kana import ruby_ok
from kiosk.procedures.layout import build_layout, overflowing_slots
from kiosk.procedures.model import (
    PREFILL_SOURCES,
    Bundle,
    Condition,
    FieldDef,
    FieldType,
    FormDefinition,
    LocalText,
)
from kiosk.procedures.pictures import picture_names

__all__ = ["RULES", "lint_bundle", "lint_definition"]

Rule = Callable[[FormDefinition], Iterator[FormIssue]]


def _at(form: FormDefinition | Bundle, path: str, line: int = 0) -> Location:
    return Location(form.file, line, path)


def duplicate_ids(form: FormDefinition) -> Iterator[FormIssue]:
    """F020: two fields (or two children of one group) with the same id."""
    def scope(items: tuple[FieldDef, ...], prefix: str) -> Iterator[FormIssue]:
        seen: dict[str, int] = {}
        for item in items:
            if item.id in seen:
                yield FormIssue(IssueCode.DUPLICATE_ID, _at(form, prefix + item.id, item.line),
                                {"id": item.id, "first_line": seen[item.id]})
            seen.setdefault(item.id, item.line)
            yield from scope(item.fields, f"{prefix}{item.id}[].")
    yield from scope(form.fields, "fields.")


def _expressions(form: FormDefinition) -> Iterator[tuple[str, int, Condition, set[str]]]:
    """``(path, line, condition, names it may read)`` for every expression of ``form``."""
    top = {item.id for item in form.fields}
    for path, item in form.walk_fields():
        names = top | ({c.id for c in item.fields} if item.type is FieldType.GROUP else set())
        if "[]." in path:
            group = form.field(path.split("[].")[0])
            names |= {c.id for c in group.fields}
        for key, condition in item.conditions():
            yield f"fields.{path}.{key}", item.line, condition, names
    for bring in form.bring:
        if bring.when is not None:
            yield f"bring.{bring.id}.when", 0, bring.when, top


def unknown_references(form: FormDefinition) -> Iterator[FormIssue]:
    """F030/F034: expressions naming a missing field or a fee not in the table."""
    fees = {fee.kind for fee in form.fees}
    for path, line, condition, names in _expressions(form):
        for node in walk(condition.tree):
            if isinstance(node, Name) and node.name not in names:
                yield FormIssue(IssueCode.UNKNOWN_REFERENCE, _at(form, path, line),
                                {"name": node.name})
            if isinstance(node, Call) and node.function == "fee" and isinstance(
                    node.args[0], Literal) and node.args[0].value not in fees:
                yield FormIssue(IssueCode.UNKNOWN_FEE, _at(form, path, line),
                                {"name": str(node.args[0].value)})


def unknown_choices(form: FormDefinition) -> Iterator[FormIssue]:
    """F031: select fields naming a choice list that does not exist, or having none."""
    for path, item in form.walk_fields():
        if item.type in (FieldType.SELECT, FieldType.MULTISELECT) and (
                item.choices not in form.choices):
            yield FormIssue(IssueCode.UNKNOWN_CHOICES, _at(form, f"fields.{path}.choices",
                                                           item.line), {"name": str(item.choices)})


def _choice_values(form: FormDefinition, name: str) -> set[str] | None:
    top = {item.id: item for item in form.fields}
    item = top.get(name)
    if item is None or item.type not in (FieldType.SELECT, FieldType.MULTISELECT):
        return None
    return {choice.value for choice in form.choices.get(item.choices or "", ())}


def _impossible_literal(form: FormDefinition, tree: Expression) -> str | None:
    """Why ``tree`` can never be true, for the patterns that are easy to prove."""
    for node in walk(tree):
        if isinstance(node, Literal) and node is tree and node.value in (False, None, 0, ""):
            return "it is a constant false value"
        pair = _name_and_values(node)
        if pair is None:
            continue
        name, values = pair
        allowed = _choice_values(form, name)
        if allowed is not None and not set(values) & allowed:
            return f"'{name}' has no choice {', '.join(repr(v) for v in values)}"
    return _contradiction(tree)


def _name_and_values(node: Expression) -> tuple[str, list[str]] | None:
    if isinstance(node, Binary) and node.op == "==" and isinstance(node.left, Name) and \
            isinstance(node.right, Literal) and isinstance(node.right.value, str):
        return node.left.name, [node.right.value]
    if isinstance(node, Binary) and node.op == "in" and isinstance(node.left, Name) and \
            isinstance(node.right, ListExpr) and node.right.items and \
            all(isinstance(i, Literal) for i in node.right.items):
        return node.left.name, [str(i.value) for i in node.right.items if isinstance(i, Literal)]
    if isinstance(node, Call) and node.function == "selected" and isinstance(node.args[0], Name) \
            and isinstance(node.args[1], Literal):
        return node.args[0].name, [str(node.args[1].value)]
    return None


def _contradiction(tree: Expression) -> str | None:
    """``a == 'x' and a == 'y'``: one field cannot equal two different values."""
    if not (isinstance(tree, Binary) and tree.op == "and"):
        return None
    equalities: dict[str, set[object]] = {}
    stack: list[Expression] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Binary) and node.op == "and":
            stack += [node.left, node.right]
        elif isinstance(node, Binary) and node.op == "==" and isinstance(node.left, Name) and \
                isinstance(node.right, Literal):
            equalities.setdefault(node.left.name, set()).add(node.right.value)
    for name, values in equalities.items():
        if len(values) > 1:
            return f"'{name}' cannot equal {len(values)} different values at once"
    return None


def never_true(form: FormDefinition) -> Iterator[FormIssue]:
    """F041: a condition that no answers can make true."""
    for path, line, condition, _names in _expressions(form):
        if path.endswith((".calculate", ".constraint", ".choice_filter")):
            continue
        reason = _impossible_literal(form, condition.tree)
        if reason is not None:
            yield FormIssue(IssueCode.NEVER_TRUE, _at(form, path, line),
                            {"key": path.rsplit(".", 1)[-1], "reason": reason})


def cycles(form: FormDefinition) -> Iterator[FormIssue]:
    """F042: a field whose condition or calculation depends, through others, on itself."""
    from kiosk.procedures.expressions import names_in  # noqa: PLC0415 - keep top imports short

    graph: dict[str, set[str]] = {}
    for item in form.fields:
        graph[item.id] = set()
        for key, condition in item.conditions():
            if key != "constraint":
                graph[item.id] |= names_in(condition.tree)
    reported: set[frozenset[str]] = set()
    for start in graph:
        cycle = _find_cycle(graph, start)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            line = form.field(start).line
            yield FormIssue(IssueCode.CYCLE, _at(form, f"fields.{start}", line),
                            {"cycle": " -> ".join([*cycle, cycle[0]])})


def _find_cycle(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, trail = stack.pop()
        for target in sorted(graph.get(node, ())):
            if target == start:
                return trail
            if target not in trail and len(trail) < len(graph):
                stack.append((target, [*trail, target]))
    return None


def _texts(form: FormDefinition) -> Iterator[tuple[str, int, LocalText]]:
    yield "title", 0, form.title
    yield "department", 0, form.department
    for path, item in form.walk_fields():
        yield f"fields.{path}.label", item.line, item.label
        for key in ("hint", "unit"):
            text = getattr(item, key)
            if text is not None:
                yield f"fields.{path}.{key}", item.line, text
        if item.constraint is not None:
            yield f"fields.{path}.constraint.message", item.line, item.constraint.message
    for name, choices in form.choices.items():
        for choice in choices:
            yield f"choices.{name}.{choice.value}", 0, choice.label
    for fee in form.fees:
        yield f"fees.{fee.kind}.label", 0, fee.label
    for bring in form.bring:
        yield f"bring.{bring.id}.label", 0, bring.label


def missing_translations(form: FormDefinition) -> Iterator[FormIssue]:
    """F050: a label, hint or choice without text in some first-tier language."""
    for path, line, text in _texts(form):
        missing = text.missing()
        if missing:
            yield FormIssue(IssueCode.MISSING_TRANSLATION, _at(form, path, line),
                            {"key": path, "languages": ", ".join(missing)})


def bad_ruby(form: FormDefinition) -> Iterator[FormIssue]:
    """F051: やさしい日本語 furigana markup that is not ``{漢字|かんじ}``."""
    for path, line, text in _texts(form):
        for language, value in text.texts.items():
            if language == "ja@easy" and not ruby_ok(value):
                yield FormIssue(IssueCode.BAD_RUBY, _at(form, path, line),
                                {"key": path, "language": language})


def prefill_sources(form: FormDefinition) -> Iterator[FormIssue]:
    """F060: a prefill naming no card item and no field of the visit."""
    for path, item in form.walk_fields():
        source = item.prefill
        if source is None or source in PREFILL_SOURCES:
            continue
        if not (source.startswith("visit.") and len(source) > len("visit.")):
            yield FormIssue(IssueCode.BAD_PREFILL, _at(form, f"fields.{path}.prefill", item.line),
                            {"source": source, "allowed": ", ".join([*PREFILL_SOURCES,
                                                                      "visit.<field>"])})


def my_number_basis(form: FormDefinition) -> Iterator[FormIssue]:
    """F061: the My Number (特定個人情報) only where a law is named that requires it."""
    for path, item in form.walk_fields():
        if item.type is FieldType.MY_NUMBER and not item.legal_basis:
            yield FormIssue(IssueCode.MY_NUMBER_WITHOUT_BASIS, _at(form, f"fields.{path}",
                                                                   item.line))


def print_layout(form: FormDefinition) -> Iterator[FormIssue]:
    """F071/F072/F070: print sections naming no field, a page too long, a sample too wide."""
    ids = {item.id for item in form.fields}
    for section in form.print.sections:
        for name in section.fields:
            if name not in ids:
                yield FormIssue(IssueCode.PRINT_UNKNOWN_FIELD,
                                _at(form, f"print.sections.{section.title}"), {"id": name})
    layout = build_layout(form)
    if layout.overflow_mm > 0:
        yield FormIssue(IssueCode.PRINT_PAGE_FULL, _at(form, "print"),
                        {"needed": round(layout.content_bottom_mm),
                         "room": round(layout.content_bottom_mm - layout.overflow_mm)})
    for field_id, needed, room in overflowing_slots(form, layout):
        item = form.field(field_id)
        yield FormIssue(IssueCode.PRINT_OVERFLOW, _at(form, f"fields.{field_id}.sample", item.line),
                        {"id": field_id, "needed": needed, "room": room})


def effective_dates_and_fees(form: FormDefinition) -> Iterator[FormIssue]:
    """F090: fees not yet confirmed against the city's fee ordinance (a warning)."""
    for fee in form.fees:
        if not fee.confirmed:
            yield FormIssue(IssueCode.FEE_UNCONFIRMED, _at(form, f"fees.{fee.kind}", fee.line),
                            {"name": fee.kind})


def unknown_picture(form: FormDefinition | Bundle) -> Iterator[FormIssue]:
    """F091: a ``picture:`` that names no pictogram file (a warning: the button shows text)."""
    if form.picture and form.picture not in picture_names():
        yield FormIssue(IssueCode.UNKNOWN_PICTURE, _at(form, "picture"), {"name": form.picture})


RULES: tuple[Rule, ...] = (
    duplicate_ids, unknown_references, unknown_choices, never_true, cycles,
    missing_translations, bad_ruby, prefill_sources, my_number_basis, print_layout,
    effective_dates_and_fees, unknown_picture,
)


def lint_definition(form: FormDefinition) -> list[FormIssue]:
    """Run every rule of :data:`RULES` on ``form``."""
    return [issue for rule in RULES for issue in rule(form)]


def lint_bundle(bundle: Bundle, procedures: set[str]) -> list[FormIssue]:
    """A bundle's rules name existing procedures and its conditions read its own questions."""
    issues = []
    names = {question.id for question in bundle.questions}
    for index, rule in enumerate(bundle.rules):
        location = _at(bundle, f"procedures[{index}]", rule.line)
        if rule.procedure not in procedures:
            issues.append(FormIssue(IssueCode.UNKNOWN_PROCEDURE, location, {"name": rule.procedure}))
        if rule.when is not None:
            issues += [FormIssue(IssueCode.UNKNOWN_REFERENCE, location, {"name": n.name})
                       for n in walk(rule.when.tree) if isinstance(n, Name) and n.name not in names]
        missing = rule.reason.missing()
        if missing:
            issues.append(FormIssue(IssueCode.MISSING_TRANSLATION, location,
                                    {"key": f"procedures[{index}].reason",
                                     "languages": ", ".join(missing)}))
    for question in bundle.questions:
        missing = question.label.missing()
        if missing:
            issues.append(FormIssue(IssueCode.MISSING_TRANSLATION,
                                    _at(bundle, f"questions.{question.id}", question.line),
                                    {"key": f"questions.{question.id}.label",
                                     "languages": ", ".join(missing)}))
    issues += unknown_picture(bundle)
    return issues
