"""Checking mapping files against the bundled forms (``kiosk export --check``).

Each rule is a small function that yields :class:`MappingError`; the check runs them all over
every system and every procedure it receives, so one run names every problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from kiosk.handover.mapping import (
    ItemMap,
    MappingError,
    MappingIssue,
    MappingSet,
    ProcedureMapping,
    TargetSystem,
)
from kiosk.procedures.model import FieldDef, FieldType, FormDefinition

__all__ = ["check_mappings", "uncovered"]

_CHOICE_TYPES = (FieldType.SELECT, FieldType.MULTISELECT)


def _fields(form: FormDefinition) -> dict[str, FieldDef]:
    return {item.id: item for item in form.fields if item.type.holds_value}


def _unknown(system: TargetSystem, mapping: ProcedureMapping,
             form: FormDefinition) -> Iterator[MappingError]:
    known = _fields(form)
    for field_id in sorted(mapping.own):
        if field_id not in known:
            yield MappingError(MappingIssue.UNKNOWN_FIELD, system.file,
                               f"procedures.{mapping.procedure}.{field_id}",
                               f"{form.file} has no item {field_id}")


def _unmapped(system: TargetSystem, mapping: ProcedureMapping,
              form: FormDefinition) -> Iterator[MappingError]:
    for field_id, item in _fields(form).items():
        where = f"procedures.{mapping.procedure}.{field_id}"
        if field_id in mapping.skip:
            continue
        target = mapping.items.get(field_id)
        if target is None:
            yield MappingError(MappingIssue.UNMAPPED_FIELD, system.file, where,
                               f"{form.file}:{item.line} is neither mapped nor in skip")
            continue
        yield from _codes(system, form, item, target, where)
        if item.type is FieldType.GROUP:
            for child in item.fields:
                mapped = target.fields.get(child.id)
                if child.type.holds_value and mapped is None:
                    yield MappingError(MappingIssue.UNMAPPED_FIELD, system.file,
                                       f"{where}.fields.{child.id}",
                                       f"{form.file}:{child.line} is not mapped")
                elif mapped is not None:
                    yield from _codes(system, form, child, mapped, f"{where}.fields.{child.id}")


def _codes(system: TargetSystem, form: FormDefinition, item: FieldDef, target: ItemMap,
           where: str) -> Iterator[MappingError]:
    if not target.codes:
        return
    if item.type not in _CHOICE_TYPES:
        yield MappingError(MappingIssue.BAD_CODES, system.file, f"{where}.codes",
                           f"{item.id} has no choices to code")
        return
    values = {choice.value for choice in form.choices.get(item.choices or "", ())}
    for value in sorted(values - set(target.codes)):
        yield MappingError(MappingIssue.BAD_CODES, system.file, f"{where}.codes",
                           f"choice {value} has no code")


def _duplicates(system: TargetSystem, mapping: ProcedureMapping,
                form: FormDefinition) -> Iterator[MappingError]:
    used = Counter(mapping.items[f].item for f in _fields(form)
                   if f in mapping.items and f not in mapping.skip)
    for name, count in sorted(used.items()):
        if count > 1:
            yield MappingError(MappingIssue.DUPLICATE_ITEM, system.file,
                               f"procedures.{mapping.procedure}", f"{count} fields go to {name}")


_RULES = (_unknown, _unmapped, _duplicates)


def check_mappings(mappings: MappingSet, forms: Mapping[str, FormDefinition]
                   ) -> list[MappingError]:
    """Every problem of ``mappings`` against ``forms`` (the file problems included)."""
    found = list(mappings.errors)
    for system in mappings.systems.values():
        for procedure, mapping in system.procedures.items():
            form = forms.get(procedure)
            if form is None:
                found.append(MappingError(MappingIssue.UNKNOWN_PROCEDURE, system.file,
                                          f"procedures.{procedure}", "no bundled form has this id"))
                continue
            for rule in _RULES:
                found.extend(rule(system, mapping, form))
    return found


def uncovered(mappings: MappingSet, forms: Iterable[str]) -> list[str]:
    """The procedures no mapping receives (their data stays on paper: re-keyed)."""
    covered = {p for system in mappings.systems.values() for p in system.procedures}
    return sorted(set(forms) - covered)
