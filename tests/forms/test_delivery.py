"""``print.delivery``: paper (the default), electronic, or the clerk chooses."""

from __future__ import annotations

import pytest

from kiosk.procedures.catalog import FormCatalog, load_text
from kiosk.procedures.issues import IssueCode

L = "{ja: あ, ja@easy: あ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"


def _form(print_spec: str) -> str:
    return (f"kind: procedure\nid: sample\nversion: 1.0.0\ntitle: {L}\ndepartment: {L}\n"
            f"counter: '1'\nservice: A\nprint:\n  title: 申請書\n{print_spec}"
            f"fields:\n  - {{id: a, type: text, label: {L}}}\n")


@pytest.mark.parametrize(("spec", "delivery"), [
    ("", "paper"),
    ("  delivery: paper\n", "paper"),
    ("  delivery: electronic\n", "electronic"),
    ("  delivery: clerk\n", "clerk"),
])
def test_delivery__valid_value__kept(spec, delivery):
    form, issues = load_text(_form(spec))

    assert issues == []
    assert form is not None
    assert form.print.delivery == delivery


def test_delivery__unknown_value__bad_value_and_paper():
    form, issues = load_text(_form("  delivery: fax\n"))

    assert [issue.code for issue in issues] == [IssueCode.BAD_VALUE]
    assert form is None or form.print.delivery == "paper"


def test_delivery__juminhyo__clerk_chooses(catalog: FormCatalog):
    assert catalog.form("juminhyo").print.delivery == "clerk"
