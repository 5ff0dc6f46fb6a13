"""``kiosk forms import FORM.xlsx``: a workbook -> checked YAML, every problem at its cell.

The workbook goes through the same stages as a YAML file (build, then lint); an issue's place
becomes ``FORM.xlsx:survey!C12`` so that whoever wrote the workbook finds the cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from kiosk.procedures.issues import FormIssue, Location, errors_of
from kiosk.procedures.lint import lint_definition
from kiosk.procedures.schema import CommonLibrary, build_bundle, build_definition
from kiosk.procedures.source import SourceDocument
from kiosk.procedures.workbook_read import CellMap, read_workbook

__all__ = ["dump_yaml", "import_workbook"]

_ORDER = ("kind", "id", "version", "effective", "legal_form", "title", "department", "counter",
          "service", "picture", "certificate", "era", "fees", "bring", "choices", "questions",
          "fields", "procedures", "print")


class _Dumper(yaml.SafeDumper):
    """Block style for the structure, flow style for small mappings (labels, choices)."""


def _flat_enough(value: Mapping[str, Any]) -> bool:
    return all(not isinstance(v, dict | list) or (isinstance(v, dict) and all(
        not isinstance(x, dict | list) for x in v.values())) for v in value.values())


def _represent_dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    flow = _flat_enough(value) and "fields" not in value
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: Mapping[str, Any], source: str = "") -> str:
    """The YAML text of a definition's plain data, keys in the usual order."""
    ordered = {key: data[key] for key in _ORDER if key in data}
    ordered.update({key: value for key, value in data.items() if key not in ordered})
    head = f"# Imported from {source}; edit the workbook and import it again.\n" if source else ""
    return head + yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                            width=100_000)


def _placed(issue: FormIssue, doc: SourceDocument, cells: CellMap) -> FormIssue:
    location = issue.location
    if location.file != doc.file:
        return issue
    where = cells.cell(location.path, location.line)
    return FormIssue(issue.code, Location(f"{doc.file}:{where}", 0, location.path), issue.params)


def _checked(doc: SourceDocument, common: CommonLibrary | None) -> list[FormIssue]:
    data = doc.data if isinstance(doc.data, dict) else {}
    if data.get("kind") == "bundle":
        return build_bundle(doc, common)[1]
    definition, issues = build_definition(doc, common)
    if definition is not None and not errors_of(issues):
        issues += lint_definition(definition)
    return issues


def import_workbook(path: Path, common: CommonLibrary | None = None) -> tuple[str | None,
                                                                              list[FormIssue]]:
    """The YAML of the workbook at ``path`` and every issue, placed at its cell.

    Returns:
        ``(yaml text, issues)``; the text is ``None`` when the workbook could not be read.
    """
    doc, cells, issues = read_workbook(path)
    if doc.data is None:
        return None, issues
    issues += [_placed(issue, doc, cells) for issue in _checked(doc, common)]
    return dump_yaml(doc.data, path.name), issues
