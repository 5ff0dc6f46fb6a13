"""Stage 1 of loading: YAML text -> plain data, remembering the line of every value.

PyYAML's composer gives nodes with marks; we walk them ourselves instead of ``safe_load`` so
that every later stage can say ``forms/x.yaml:42`` and so that a key written twice in one
mapping (which PyYAML silently lets the last one win) is reported instead of ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from kiosk.procedures.issues import FormIssue, IssueCode, Location

__all__ = ["SourceDocument", "parse_yaml", "path_text"]

PathKey = tuple[str | int, ...]

# libyaml's composer is several times faster and keeps the marks we need for line numbers.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def path_text(path: PathKey) -> str:
    """``("fields", 3, "label")`` -> ``fields[3].label``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class SourceDocument:
    """The plain data of one YAML file and the 1-based line of each path inside it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def at(self, path: PathKey) -> Location:
        """A :class:`Location` for ``path`` inside this document."""
        return Location(self.file, self.line(path), path_text(path))


class _Walker:
    def __init__(self, file: str) -> None:
        self.doc = SourceDocument(file, None)
        self.issues: list[FormIssue] = []
        self._scalars = SafeConstructor()

    def walk(self, node: yaml.Node, path: PathKey) -> Any:
        self.doc.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self._scalars.construct_object(key_node, deep=True))
            if key in result:
                line = key_node.start_mark.line + 1
                self.issues.append(FormIssue(IssueCode.DUPLICATE_KEY, Location(
                    self.doc.file, line, path_text((*path, key))), {"key": key}))
                continue
            result[key] = self.walk(value_node, (*path, key))
        return result


def parse_yaml(text: str, file: str) -> tuple[SourceDocument, list[FormIssue]]:
    """Parse ``text`` (the contents of ``file``) into a :class:`SourceDocument`.

    Returns:
        The document (``data`` is ``None`` when the text is not valid YAML) and the issues.
    """
    walker = _Walker(file)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "unreadable"
        return walker.doc, [FormIssue(IssueCode.YAML_SYNTAX, Location(file, line),
                                      {"problem": problem})]
    except yaml.YAMLError as exc:
        return walker.doc, [FormIssue(IssueCode.YAML_SYNTAX, Location(file, 1),
                                      {"problem": type(exc).__name__})]
    if node is None:
        walker.doc.data = {}
        return walker.doc, []
    try:
        walker.doc.data = walker.walk(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        return walker.doc, [FormIssue(IssueCode.YAML_SYNTAX, Location(file, line),
                                      {"problem": exc.problem or "bad value"})]
    return walker.doc, walker.issues
