"""Stage 2 of loading: plain data -> :class:`FormDefinition` (or :class:`Bundle`).

Each check is small and reports a coded :class:`FormIssue` at the line of the offending value;
building goes on past an error so that one run of ``kiosk forms check`` lists every problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from kiosk.procedures.eras import JUKI_CODES, SHAKAI_HOKEN_CODES, EraStyle
from kiosk.procedures.expressions import ExpressionError, parse_expression
from kiosk.procedures.issues import FormIssue, IssueCode
from kiosk.procedures.model import (
    DELIVERIES,
    Bring,
    Bundle,
    BundleRule,
    Choice,
    Condition,
    Constraint,
    Fee,
    FieldDef,
    FieldType,
    FormDefinition,
    LocalText,
    Place,
    PrintSection,
    PrintSpec,
)
from kiosk.procedures.source import PathKey, SourceDocument

__all__ = ["CommonLibrary", "build_bundle", "build_common", "build_definition"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_FORM_KEYS = {"kind", "id", "version", "title", "department", "counter", "service", "effective",
              "fees", "bring", "era", "choices", "fields", "print", "certificate", "picture",
              "legal_form"}
_FIELD_KEYS = {"id", "type", "label", "hint", "required", "visible_if", "required_if",
               "readonly_if", "constraint", "calculate", "default", "prefill", "choices",
               "choice_filter", "unit", "min", "max", "max_length", "fields", "repeat", "sample",
               "legal_basis", "print_chars", "use", "place"}
_EXPRESSION_KEYS = ("visible_if", "required_if", "readonly_if", "calculate", "choice_filter")
_ERA_PRESETS: Mapping[str, Mapping[str, int]] = {"juki": JUKI_CODES,
                                                 "shakai_hoken": SHAKAI_HOKEN_CODES}


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no", int: "a number",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


class CommonLibrary:
    """Fields and choice lists shared by every form (``forms/_common.yaml``).

    A form says ``- use: applicant_name`` and gets the same labels as every other form
    (アスコエ: the same plain label for the same item everywhere), optionally overriding keys.
    Besides fields and choice lists it holds named ``texts`` (departments, units: any
    translated text, written ``{use: name}`` where a form expects one) and ``bring`` items
    (written ``- use: id_document``), so that a department or a document is worded once.
    """

    def __init__(self, fields: Mapping[str, dict[str, Any]] | None = None,
                 choices: Mapping[str, Any] | None = None,
                 texts: Mapping[str, Any] | None = None,
                 bring: Mapping[str, dict[str, Any]] | None = None) -> None:
        self.fields: dict[str, dict[str, Any]] = dict(fields or {})
        self.choices: dict[str, Any] = dict(choices or {})
        self.texts: dict[str, Any] = dict(texts or {})
        self.bring: dict[str, dict[str, Any]] = dict(bring or {})


class _Builder:
    """Reads typed values out of a :class:`SourceDocument`, collecting issues."""

    def __init__(self, doc: SourceDocument, common: CommonLibrary | None = None) -> None:
        self.doc = doc
        self.common = common or CommonLibrary()
        self.issues: list[FormIssue] = []

    def report(self, code: IssueCode, path: PathKey, **params: str | int) -> None:
        self.issues.append(FormIssue(code, self.doc.at(path), params))

    def mapping(self, value: Any, path: PathKey, allowed: set[str],
                required: tuple[str, ...] = ()) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.report(IssueCode.NOT_A_MAPPING, path, found=_type_name(value))
            return None
        for key in value:
            if key not in allowed:
                self.report(IssueCode.UNKNOWN_KEY, (*path, key), key=key,
                            allowed=", ".join(sorted(allowed)))
        for key in required:
            if key not in value:
                self.report(IssueCode.MISSING_KEY, path, key=key)
        return value

    def typed(self, value: Any, path: PathKey, kind: type | tuple[type, ...], expected: str) -> Any:
        if value is None:
            return None
        ok = isinstance(value, kind) and not (kind in (int, float, (int, float)) and
                                              isinstance(value, bool))
        if not ok:
            self.report(IssueCode.WRONG_TYPE, path, key=str(path[-1]) if path else "",
                        expected=expected, found=_type_name(value))
            return None
        return value

    def identifier(self, value: Any, path: PathKey) -> str:
        text = self.typed(value, path, str, "text")
        if text is not None and not _ID.match(text):
            self.report(IssueCode.BAD_VALUE, path, key=str(path[-1]),
                        problem="ids are lower-case letters, digits and _ and start with a letter")
        return text or ""

    def local_text(self, value: Any, path: PathKey) -> LocalText | None:
        if value is None:
            return None
        if isinstance(value, dict) and set(value) == {"use"}:
            value = self._shared_text(str(value["use"]), (*path, "use"))
            if value is None:
                return None
        if not isinstance(value, dict):
            self.report(IssueCode.WRONG_TYPE, path, key=str(path[-1]),
                        expected="a mapping of language to text", found=_type_name(value))
            return None
        texts = {}
        for language, text in value.items():
            if self.typed(text, (*path, language), str, "text") is not None:
                texts[language] = text
        return LocalText(texts)

    def _shared_text(self, name: str, path: PathKey) -> Any:
        """The common text ``name`` (``{use: name}``), reported F033 when there is none."""
        if name not in self.common.texts:
            self.report(IssueCode.UNKNOWN_COMMON, path, name=name)
            return None
        return self.common.texts[name]

    def condition(self, value: Any, path: PathKey) -> Condition | None:
        if value is None:
            return None
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, int | float):
            value = str(value)
        source = self.typed(value, path, str, "an expression")
        if source is None:
            return None
        try:
            return Condition(source, parse_expression(source))
        except ExpressionError as exc:
            self.report(IssueCode.BAD_EXPRESSION, path, key=str(path[-1]),
                        problem=f"{exc.problem} (column {exc.column})")
            return None

    def a_date(self, value: Any, path: PathKey) -> date | None:
        return self.typed(value, path, date, "a date (YYYY-MM-DD)")  # type: ignore[no-any-return]

    # ------------------------------------------------------------ pieces of a form
    def choices(self, value: Any, path: PathKey) -> dict[str, tuple[Choice, ...]]:
        merged: dict[str, tuple[Choice, ...]] = {}
        lists = {**self.common.choices, **(value if isinstance(value, dict) else {})}
        if value is not None and not isinstance(value, dict):
            self.report(IssueCode.NOT_A_MAPPING, path, found=_type_name(value))
        for name, items in lists.items():
            item_path = (*path, name) if isinstance(value, dict) and name in value else path
            merged[name] = self.choice_list(items, item_path)
        return merged

    def choice_list(self, items: Any, path: PathKey) -> tuple[Choice, ...]:
        if self.typed(items, path, list, "a list of choices") is None:
            return ()
        result = []
        for index, item in enumerate(items):
            spec = self.mapping(item, (*path, index), {"value", "label", "tags"}, ("value", "label"))
            if spec is None:
                continue
            value = str(spec.get("value", ""))
            tags = spec.get("tags") or []
            label = self.local_text(spec.get("label"), (*path, index, "label"))
            result.append(Choice(value, label or LocalText(),
                                 frozenset(str(t) for t in tags if isinstance(tags, list))))
        return tuple(result)

    def fields(self, value: Any, path: PathKey) -> tuple[FieldDef, ...]:
        if self.typed(value, path, list, "a list of fields") is None:
            return ()
        built = (self.field(item, (*path, index)) for index, item in enumerate(value))
        return tuple(item for item in built if item is not None)

    def resolve_use(self, spec: dict[str, Any], path: PathKey) -> dict[str, Any] | None:
        name = spec.get("use")
        if name is None:
            return spec
        base = self.common.fields.get(str(name))
        if base is None:
            self.report(IssueCode.UNKNOWN_COMMON, (*path, "use"), name=str(name))
            return None
        return {**base, **{k: v for k, v in spec.items() if k != "use"}}

    def field(self, item: Any, path: PathKey) -> FieldDef | None:
        spec = self.mapping(item, path, _FIELD_KEYS)
        spec = self.resolve_use(spec, path) if spec is not None else None
        if spec is None:
            return None
        for key in ("id", "type", "label"):
            if key not in spec:
                self.report(IssueCode.MISSING_KEY, path, key=key)
        try:
            kind = FieldType(spec.get("type"))
        except ValueError:
            if "type" in spec:
                self.report(IssueCode.UNKNOWN_FIELD_TYPE, (*path, "type"), type=str(spec["type"]),
                            allowed=", ".join(t.value for t in FieldType))
            return None
        return self.field_of(kind, spec, path)

    def field_of(self, kind: FieldType, spec: dict[str, Any], path: PathKey) -> FieldDef:
        conditions = {key: self.condition(spec.get(key), (*path, key)) for key in _EXPRESSION_KEYS}
        repeat = spec.get("repeat")
        repeat_spec = self.mapping(repeat, (*path, "repeat"), {"min", "max"}) if repeat else None
        number = (int, float)
        return FieldDef(
            id=self.identifier(spec.get("id"), (*path, "id")), type=kind,
            label=self.local_text(spec.get("label"), (*path, "label")) or LocalText(),
            line=self.doc.line(path), hint=self.local_text(spec.get("hint"), (*path, "hint")),
            required=bool(self.typed(spec.get("required"), (*path, "required"), bool, "yes/no")),
            visible_if=conditions["visible_if"], required_if=conditions["required_if"],
            readonly_if=conditions["readonly_if"], calculate=conditions["calculate"],
            choice_filter=conditions["choice_filter"],
            constraint=self.constraint(spec.get("constraint"), (*path, "constraint")),
            default=spec.get("default"),
            prefill=self.typed(spec.get("prefill"), (*path, "prefill"), str, "a source name"),
            choices=self.typed(spec.get("choices"), (*path, "choices"), str, "a choice list name"),
            unit=self.local_text(spec.get("unit"), (*path, "unit")),
            minimum=self.typed(spec.get("min"), (*path, "min"), number, "a number"),
            maximum=self.typed(spec.get("max"), (*path, "max"), number, "a number"),
            max_length=self.typed(spec.get("max_length"), (*path, "max_length"), int, "a number"),
            fields=self.fields(spec["fields"], (*path, "fields")) if "fields" in spec else (),
            repeat_min=int((repeat_spec or {}).get("min", 0) or 0),
            repeat_max=int((repeat_spec or {}).get("max", 1) or 1),
            sample=spec.get("sample"),
            legal_basis=self.typed(spec.get("legal_basis"), (*path, "legal_basis"), str, "text"),
            print_chars=self.typed(spec.get("print_chars"), (*path, "print_chars"), int, "a number"),
            place=self.place(spec.get("place"), (*path, "place")),
        )

    def place(self, value: Any, path: PathKey) -> Place | None:
        """``place: {page: 1, box: [x, y, w, h], size: 10, vertical: false}`` (mm, pt)."""
        spec = self.mapping(value, path, {"page", "box", "size", "vertical"}, ("box",)) \
            if value is not None else None
        if not spec:
            return None
        box = spec.get("box")
        if not (isinstance(box, list) and len(box) == 4 and all(
                isinstance(n, int | float) and not isinstance(n, bool) and n >= 0 for n in box)):
            self.report(IssueCode.BAD_VALUE, (*path, "box"), key="box",
                        problem="four numbers in mm: left, top, width, height")
            return None
        page = self.typed(spec.get("page", 1), (*path, "page"), int, "a page number") or 1
        size = self.typed(spec.get("size", 10.0), (*path, "size"), (int, float), "points") or 10.0
        vertical = self.typed(spec.get("vertical", False), (*path, "vertical"), bool, "yes/no")
        x, y, w, h = (float(n) for n in box)
        return Place(page=max(1, page), x=x, y=y, w=w, h=h, size=float(size),
                     vertical=bool(vertical))

    def constraint(self, value: Any, path: PathKey) -> Constraint | None:
        spec = self.mapping(value, path, {"expr", "message"}, ("expr", "message")) if value else None
        if not spec:
            return None
        condition = self.condition(spec.get("expr"), (*path, "expr"))
        message = self.local_text(spec.get("message"), (*path, "message"))
        return Constraint(condition, message or LocalText()) if condition else None

    def fees(self, value: Any, path: PathKey) -> tuple[Fee, ...]:
        result = []
        for index, item in enumerate(self.typed(value, path, list, "a list of fees") or []):
            spec = self.mapping(item, (*path, index), {"kind", "amount", "per", "label", "confirmed",
                                                    "basis"},
                                ("kind", "amount", "per", "label"))
            if spec is None:
                continue
            per = spec.get("per")
            if per not in ("copy", "application"):
                self.report(IssueCode.BAD_VALUE, (*path, index, "per"), key="per",
                            problem="'copy' or 'application'")
            result.append(Fee(
                kind=self.identifier(spec.get("kind"), (*path, index, "kind")),
                amount=self.typed(spec.get("amount"), (*path, index, "amount"), int, "yen") or 0,
                per=str(per), label=self.local_text(spec.get("label"), (*path, index, "label"))
                or LocalText(), confirmed=bool(spec.get("confirmed", False)),
                line=self.doc.line((*path, index)),
                basis=self.typed(spec.get("basis"), (*path, index, "basis"), str, "text") or ""))
        return tuple(result)

    def bring(self, value: Any, path: PathKey) -> tuple[Bring, ...]:
        result = []
        for index, item in enumerate(self.typed(value, path, list, "a list") or []):
            spec = self.mapping(item, (*path, index), {"id", "label", "when", "use"})
            if spec is not None and "use" in spec:
                base = self.common.bring.get(str(spec["use"]))
                if base is None:
                    self.report(IssueCode.UNKNOWN_COMMON, (*path, index, "use"),
                                name=str(spec["use"]))
                    continue
                spec = {"id": spec["use"], **base, **{k: v for k, v in spec.items() if k != "use"}}
            for key in ("id", "label"):
                if spec is not None and key not in spec:
                    self.report(IssueCode.MISSING_KEY, (*path, index), key=key)
            if spec is not None:
                result.append(Bring(self.identifier(spec.get("id"), (*path, index, "id")),
                                    self.local_text(spec.get("label"), (*path, index, "label"))
                                    or LocalText(),
                                    self.condition(spec.get("when"), (*path, index, "when"))))
        return tuple(result)

    def era(self, value: Any, path: PathKey) -> EraStyle:
        spec = self.mapping(value, path, {"preset", "codes", "pattern", "gannen"}) if value else None
        if not spec:
            return EraStyle()
        preset = spec.get("preset", "juki")
        if preset not in _ERA_PRESETS:
            self.report(IssueCode.BAD_VALUE, (*path, "preset"), key="preset",
                        problem=f"one of {', '.join(_ERA_PRESETS)}")
        codes = dict(_ERA_PRESETS.get(preset, JUKI_CODES))
        codes.update(self.typed(spec.get("codes"), (*path, "codes"), dict, "a mapping") or {})
        pattern = self.typed(spec.get("pattern"), (*path, "pattern"), str, "text")
        style = EraStyle(codes, pattern or EraStyle().pattern, bool(spec.get("gannen", True)))
        try:
            style.pattern.format(era="", initial="", code="", year="", yy="", month="", day="",
                                 mm="", dd="", western="")
        except (KeyError, IndexError, ValueError):
            self.report(IssueCode.BAD_VALUE, (*path, "pattern"), key="pattern",
                        problem="unknown {placeholder}")
            return EraStyle(codes)
        return style

    def print_spec(self, value: Any, path: PathKey, title: str) -> PrintSpec:
        spec = self.mapping(value, path, {"title", "form_number", "addressee", "signature",
                                          "sections", "background", "delivery"}
                            ) if value is not None else None
        if spec is None:
            return PrintSpec(title)
        sections = []
        for index, item in enumerate(self.typed(spec.get("sections"), (*path, "sections"), list,
                                                "a list") or []):
            section = self.mapping(item, (*path, "sections", index), {"title", "fields"},
                                   ("title", "fields"))
            if section is not None:
                listed = section.get("fields")
                names: list[Any] = listed if isinstance(listed, list) else []
                sections.append(PrintSection(str(section.get("title", "")),
                                             tuple(str(n) for n in names)))
        return PrintSpec(title=str(spec.get("title") or title),
                         form_number=str(spec.get("form_number") or ""),
                         addressee=str(spec.get("addressee") or "登米市長　様"),
                         sections=tuple(sections), signature=bool(spec.get("signature", False)),
                         background=str(spec.get("background") or ""),
                         delivery=self.delivery(spec.get("delivery"), (*path, "delivery")))

    def delivery(self, value: Any, path: PathKey) -> str:
        """``print.delivery``: paper (the default), electronic or clerk."""
        if value is None:
            return "paper"
        if value not in DELIVERIES:
            self.report(IssueCode.BAD_VALUE, path, key="delivery",
                        problem="one of " + ", ".join(DELIVERIES))
            return "paper"
        return str(value)


def build_definition(doc: SourceDocument,
                     common: CommonLibrary | None = None) -> tuple[FormDefinition | None, list[FormIssue]]:
    """Build a procedure from ``doc``; ``None`` when it is not even a mapping."""
    builder = _Builder(doc, common)
    data = builder.mapping(doc.data, (), _FORM_KEYS,
                           ("kind", "id", "version", "title", "department", "counter", "service",
                            "fields"))
    if data is None:
        return None, builder.issues
    version = str(data.get("version", ""))
    if not _VERSION.match(version):
        builder.report(IssueCode.BAD_VERSION, ("version",), version=version)
    effective = builder.mapping(data.get("effective") or {}, ("effective",), {"from", "to"}) or {}
    start = builder.a_date(effective.get("from"), ("effective", "from"))
    end = builder.a_date(effective.get("to"), ("effective", "to"))
    if start and end and end < start:
        builder.report(IssueCode.BAD_DATE_RANGE, ("effective", "to"), to=end.isoformat(),
                       start=start.isoformat())
    title = builder.local_text(data.get("title"), ("title",)) or LocalText()
    definition = FormDefinition(
        id=builder.identifier(data.get("id"), ("id",)), version=version, title=title,
        department=builder.local_text(data.get("department"), ("department",)) or LocalText(),
        counter=str(data.get("counter", "")), service=str(data.get("service", "")),
        file=doc.file, effective_from=start, effective_to=end,
        fees=builder.fees(data.get("fees"), ("fees",)),
        bring=builder.bring(data.get("bring"), ("bring",)),
        era=builder.era(data.get("era"), ("era",)),
        choices=builder.choices(data.get("choices"), ("choices",)),
        fields=builder.fields(data.get("fields"), ("fields",)),
        print=builder.print_spec(data.get("print"), ("print",), title.get("ja")),
        certificate=bool(data.get("certificate", False)),
        picture=str(data.get("picture") or ""),
        legal_form=builder.typed(data.get("legal_form"), ("legal_form",), str, "text") or "",
    )
    return definition, builder.issues


def build_common(doc: SourceDocument) -> tuple[CommonLibrary, list[FormIssue]]:
    """Read ``forms/_common.yaml`` and check each shared field, text and item on its own."""
    raw = doc.data if isinstance(doc.data, dict) else {}
    raw_texts = _dict_of(raw.get("texts"))
    builder = _Builder(doc, CommonLibrary(texts=raw_texts))
    data = builder.mapping(doc.data, (), {"kind", "choices", "fields", "texts", "bring"},
                           ("kind", "fields")) or {}
    raw_fields, raw_choices = _dict_of(data.get("fields")), _dict_of(data.get("choices"))
    raw_bring = _dict_of(data.get("bring"))
    for name, spec in raw_fields.items():
        builder.field({"id": name, **spec} if isinstance(spec, dict) else spec, ("fields", name))
    for name, items in raw_choices.items():
        builder.choice_list(items, ("choices", name))
    for name, text in raw_texts.items():
        builder.local_text(text, ("texts", name))
    for name, spec in raw_bring.items():
        if builder.mapping(spec, ("bring", name), {"label", "when"}, ("label",)):
            builder.local_text(spec.get("label"), ("bring", name, "label"))
    library = CommonLibrary({name: {"id": name, **spec} for name, spec in raw_fields.items()
                             if isinstance(spec, dict)}, raw_choices, raw_texts,
                            {name: spec for name, spec in raw_bring.items()
                             if isinstance(spec, dict)})
    return library, builder.issues


def _dict_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def build_bundle(doc: SourceDocument,
                 common: CommonLibrary | None = None) -> tuple[Bundle | None, list[FormIssue]]:
    """Build a life-event bundle from ``doc``."""
    builder = _Builder(doc, common)
    data = builder.mapping(doc.data, (), {"kind", "id", "version", "title", "choices", "questions",
                                          "procedures", "picture"},
                           ("kind", "id", "version", "title", "procedures"))
    if data is None:
        return None, builder.issues
    rules = []
    for index, item in enumerate(builder.typed(data.get("procedures"), ("procedures",), list,
                                               "a list") or []):
        path: PathKey = ("procedures", index)
        spec = builder.mapping(item, path, {"procedure", "when", "reason"}, ("procedure", "reason"))
        if spec is not None:
            rules.append(BundleRule(str(spec.get("procedure", "")),
                                    builder.condition(spec.get("when"), (*path, "when")),
                                    builder.local_text(spec.get("reason"), (*path, "reason"))
                                    or LocalText(), doc.line(path)))
    version = str(data.get("version", ""))
    if not _VERSION.match(version):
        builder.report(IssueCode.BAD_VERSION, ("version",), version=version)
    bundle = Bundle(
        id=builder.identifier(data.get("id"), ("id",)), version=version,
        title=builder.local_text(data.get("title"), ("title",)) or LocalText(), file=doc.file,
        questions=builder.fields(data.get("questions") or [], ("questions",)),
        choices=builder.choices(data.get("choices"), ("choices",)), rules=tuple(rules),
        picture=str(data.get("picture") or ""))
    return bundle, builder.issues
