"""Loading every definition in ``forms/``: the named stages end to end, plus cross-form checks.

Stages: YAML text -> plain data (:func:`~kiosk.procedures.source.parse_yaml`) ->
:class:`FormDefinition` (:mod:`~kiosk.procedures.schema`) -> lint
(:mod:`~kiosk.procedures.lint`) -> :class:`~kiosk.procedures.session.FormSession` at run time.
A definition with an error never reaches a citizen: :meth:`FormCatalog.form` refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.paths import forms_dir
from kiosk.procedures.issues import (
    FormDefinitionError,
    FormIssue,
    IssueCode,
    Location,
    errors_of,
)
from kiosk.procedures.lint import lint_bundle, lint_definition
from kiosk.procedures.model import Bundle, FormDefinition
from kiosk.procedures.schema import CommonLibrary, build_bundle, build_common, build_definition
from kiosk.procedures.source import parse_yaml

__all__ = ["COMMON_FILE", "FormCatalog", "load_catalog", "load_text"]

COMMON_FILE = "_common.yaml"


@dataclass
class FormCatalog:
    """Every procedure and bundle that loaded, and every issue found on the way."""

    forms: dict[str, FormDefinition] = field(default_factory=dict)
    bundles: dict[str, Bundle] = field(default_factory=dict)
    issues: list[FormIssue] = field(default_factory=list)
    _broken: set[str] = field(default_factory=set)

    def errors(self) -> list[FormIssue]:
        """The issues that are errors."""
        return errors_of(self.issues)

    def form(self, form_id: str) -> FormDefinition:
        """The definition ``form_id``, only if it loaded without error.

        Raises:
            KeyError: no such form.
            FormDefinitionError: the form has errors (they are attached).
        """
        if form_id in self._broken:
            raise FormDefinitionError(i for i in self.errors()
                                      if i.location.file == self.forms[form_id].file)
        return self.forms[form_id]


def load_text(text: str, file: str = "forms/inline.yaml",
              common: CommonLibrary | None = None) -> tuple[FormDefinition | Bundle | None,
                                                          list[FormIssue]]:
    """Run every stage on one YAML text (a procedure or a bundle) and return all issues."""
    doc, issues = parse_yaml(text, file)
    if doc.data is None:
        return None, issues
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    if kind == "bundle":
        bundle, built = build_bundle(doc, common)
        return bundle, issues + built
    if kind not in (None, "procedure"):
        return None, [*issues, FormIssue(IssueCode.BAD_VALUE, doc.at(("kind",)),
                                         {"key": "kind", "problem": "procedure or bundle"})]
    definition, built = build_definition(doc, common)
    issues += built
    if definition is not None and not errors_of(built):
        issues += lint_definition(definition)
    return definition, issues


def _read(path: Path, catalog: FormCatalog) -> tuple[str, str] | None:
    """The text and the shown name of ``path``; a file that is not UTF-8 is an issue (F004)."""
    name = f"{path.parent.name}/{path.name}"
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        catalog.issues.append(FormIssue(IssueCode.NOT_UTF8, Location(name, line),
                                        {"offset": exc.start}))
        return None


def load_catalog(directory: Path | None = None) -> FormCatalog:
    """Load ``forms/`` (``_common.yaml`` first), lint everything, and check across forms."""
    directory = directory or forms_dir()
    catalog = FormCatalog()
    common = CommonLibrary()
    common_path = directory / COMMON_FILE
    read = _read(common_path, catalog) if common_path.exists() else None
    if read is not None:
        doc, issues = parse_yaml(*read)
        catalog.issues += issues
        if doc.data is not None:
            common, built = build_common(doc)
            catalog.issues += built
    for path in sorted(directory.glob("*.yaml")):
        read = _read(path, catalog) if path.name != COMMON_FILE else None
        if read is not None:
            _add(catalog, *read, common)
    for bundle in catalog.bundles.values():
        catalog.issues += lint_bundle(bundle, set(catalog.forms))
    catalog.issues += list(_inconsistent_labels(catalog.forms.values()))
    return catalog


def _add(catalog: FormCatalog, text: str, name: str, common: CommonLibrary) -> None:
    item, issues = load_text(text, name, common)
    catalog.issues += issues
    if item is None:
        return
    existing = catalog.forms.get(item.id) or catalog.bundles.get(item.id)
    if existing is not None:
        catalog.issues.append(FormIssue(IssueCode.DUPLICATE_FORM, Location(name, 1, "id"),
                                        {"id": item.id, "other": existing.file}))
        return
    if isinstance(item, Bundle):
        catalog.bundles[item.id] = item
        return
    catalog.forms[item.id] = item
    if errors_of(issues):
        catalog._broken.add(item.id)


def _inconsistent_labels(forms: Iterable[FormDefinition]) -> Iterable[FormIssue]:
    """F052: one field id with different labels in different forms (アスコエ's rule)."""
    first: dict[str, tuple[FormDefinition, dict[str, str]]] = {}
    for form in forms:
        for item in form.fields:
            if item.id not in first:
                first[item.id] = (form, dict(item.label.texts))
                continue
            other, texts = first[item.id]
            for language, text in item.label.texts.items():
                if texts.get(language, text) != text:
                    yield FormIssue(IssueCode.INCONSISTENT_LABEL,
                                    Location(form.file, item.line, f"fields.{item.id}.label"),
                                    {"id": item.id, "other": other.file, "language": language})
                    break
