"""Pictograms of procedures and life events: ``picture:`` keys, their files, the F091 warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.procedures.catalog import FormCatalog, load_catalog, load_text
from kiosk.procedures.issues import IssueCode, Severity
from kiosk.procedures.pictures import picture_names, picture_path

L = "{ja: あ, ja@easy: あ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"
FORM = (f"kind: procedure\nid: p\nversion: 1.0.0\ntitle: {L}\ndepartment: {L}\n"
        f"counter: '1'\nservice: A\nPICTURE\nfields:\n  - {{id: a, type: text, label: {L}}}\n")
BUNDLE = (f"kind: bundle\nid: b\nversion: 1.0.0\ntitle: {L}\nPICTURE\n"
          f"questions:\n  - {{id: q, type: yes_no, label: {L}}}\n"
          f"procedures:\n  - {{procedure: p, reason: {L}}}\n")


@pytest.mark.parametrize(("picture", "expected"), [
    ("", set()),
    ("picture: seal", set()),
    ("picture: no-such-picture", {IssueCode.UNKNOWN_PICTURE}),
])
def test_form_lint__picture__unknown_name_warns(picture, expected):
    definition, issues = load_text(FORM.replace("PICTURE", picture))

    assert {issue.code for issue in issues} == expected
    assert definition is not None
    assert definition.picture == picture.removeprefix("picture: ")


def test_bundle_lint__unknown_picture__warns_without_error(tmp_path: Path):
    (tmp_path / "p.yaml").write_text(FORM.replace("PICTURE", ""), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BUNDLE.replace("PICTURE", "picture: ghost"), encoding="utf-8")

    issues = load_catalog(tmp_path).issues

    assert [issue.code for issue in issues] == [IssueCode.UNKNOWN_PICTURE]
    assert issues[0].code.severity is Severity.WARNING


def test_bundled_forms__every_procedure_and_life_event__has_an_existing_picture(
        catalog: FormCatalog):
    named = [item.picture for item in (*catalog.forms.values(), *catalog.bundles.values())]

    assert all(named)
    assert set(named) <= picture_names()


@pytest.mark.parametrize("name", ["", "../fonts/x", "Seal", "ghost"])
def test_picture_path__bad_or_missing_name__is_none(name):
    assert picture_path(name) is None


def test_picture_files__every_svg__draws_in_current_color_only():
    for name in picture_names():
        text = (picture_path(name) or Path()).read_text(encoding="utf-8")
        assert "currentColor" in text
        assert "#" not in text, f"{name}: a fixed colour would ignore the theme"
