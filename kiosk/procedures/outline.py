"""A plain-language outline of a form, for the clerk who signs a definition off."""

from __future__ import annotations

from kiosk.procedures.model import FieldDef, FormDefinition

__all__ = ["outline"]


def _field_lines(item: FieldDef, indent: str) -> list[str]:
    kind = item.type.value + (f" ({item.choices})" if item.choices else "")
    flags = []
    if item.required:
        flags.append("required")
    if item.prefill:
        flags.append(f"prefilled from {item.prefill}" +
                     (", locked" if item.prefill.startswith("card.") else ""))
    for key, condition in item.conditions():
        flags.append(f"{key.replace('_', ' ')}: {condition.source}")
    if item.legal_basis:
        flags.append(f"legal basis: {item.legal_basis}")
    lines = [f"{indent}- {item.label.get('ja')} / {item.label.get('en')} [{item.id}, {kind}]"]
    lines += [f"{indent}    {flag}" for flag in flags]
    for child in item.fields:
        lines += _field_lines(child, indent + "    ")
    return lines


def outline(form: FormDefinition) -> str:
    """The outline of ``form``: identity, fees, what to bring, fields with their conditions."""
    lines = [f"{form.title.get('ja')} / {form.title.get('en')}",
             f"  id {form.id}, version {form.version}, file {form.file}",
             f"  department {form.department.get('ja')}, counter {form.counter}, "
             f"service {form.service}",
             f"  effective {form.effective_from or '-'} to {form.effective_to or '-'}",
             f"  legal 様式: {form.legal_form or '-'}",
             "", "Fees (to be confirmed against the city's fee ordinance unless marked):"]
    for fee in form.fees:
        status = "confirmed" if fee.confirmed else "TO CONFIRM"
        basis = f" ({fee.basis})" if fee.basis else ""
        lines.append(f"  - {fee.label.get('ja')}: {fee.amount} yen per {fee.per}{basis} [{status}]")
    if not form.fees:
        lines.append("  - none")
    lines += ["", "Bring:"]
    for bring in form.bring:
        when = f" (when {bring.when.source})" if bring.when else ""
        lines.append(f"  - {bring.label.get('ja')}{when}")
    lines += ["", "Fields:"]
    for item in form.fields:
        lines += _field_lines(item, "  ")
    lines += ["", f"Printed as: {form.print.title} {form.print.form_number}".rstrip(),
              f"  signature box: {'yes' if form.print.signature else 'no'}",
              f"  after approval: {form.print.delivery}"]
    return "\n".join(lines) + "\n"
