"""Every file in forms/ loads without an error, and `kiosk forms` reports and exits right."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.paths import forms_dir
from kiosk.procedures.catalog import COMMON_FILE, FormCatalog, load_catalog, load_text
from kiosk.procedures.issues import FormDefinitionError, errors_of
from kiosk.procedures.model import Bundle, FormDefinition
from kiosk.procedures.schema import build_common
from kiosk.procedures.source import parse_yaml

FILES = sorted(p for p in forms_dir().glob("*.yaml") if p.name != COMMON_FILE)
PROCEDURES = ("juminhyo", "inkan_shomei", "koseki", "shotoku", "idou", "inkan_toroku", "kokuho",
              "jidou_teate")
BUNDLES = ("bundle_tennyu", "bundle_tenkyo", "bundle_shussei", "bundle_shibou", "bundle_kekkon")


def _common() -> object:
    path = forms_dir() / COMMON_FILE
    doc, _ = parse_yaml(path.read_text(encoding="utf-8"), f"forms/{COMMON_FILE}")
    return build_common(doc)[0]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_form_file__loads__without_errors(path: Path) -> None:
    item, issues = load_text(path.read_text(encoding="utf-8"), f"forms/{path.name}",
                             _common())  # type: ignore[arg-type]
    assert isinstance(item, FormDefinition | Bundle)
    assert [str(i) for i in errors_of(issues)] == []


def test_common_file__loads__without_issues() -> None:
    path = forms_dir() / COMMON_FILE
    doc, issues = parse_yaml(path.read_text(encoding="utf-8"), "forms/_common.yaml")
    assert issues == []
    assert build_common(doc)[1] == []


def test_catalog__bundled_forms__has_every_procedure_and_bundle(catalog: FormCatalog) -> None:
    assert set(PROCEDURES) <= set(catalog.forms)
    assert set(BUNDLES) <= set(catalog.bundles)
    assert catalog.errors() == []


@pytest.mark.parametrize("form_id", PROCEDURES)
def test_catalog__fees__are_marked_unconfirmed_until_checked(catalog: FormCatalog,
                                                             form_id: str) -> None:
    assert all(not fee.confirmed for fee in catalog.form(form_id).fees)


def test_forms_check__bundled__exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "check"]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_forms_check__broken_file__exits_one_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.yaml").write_text("kind: procedure\nid: x\nfields: [\n", encoding="utf-8")
    assert main(["forms", "--dir", str(tmp_path), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path.name}/broken.yaml:" in out
    assert "F001" in out


def test_forms_outline__kokuho__names_fields_conditions_and_basis(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "outline", "kokuho"]) == 0
    out = capsys.readouterr().out
    assert "世帯主の個人番号" in out
    assert "legal basis" in out
    assert "visible if: reason == 'left_employee_insurance'" in out


def test_forms_print__sample__writes_pdf(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    assert main(["forms", "print", "juminhyo", "--sample", "--lang", "ja", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_catalog_form__definition_with_errors__is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "kind: procedure\nid: bad\nversion: 1.0.0\ntitle: {ja: x}\ndepartment: {ja: x}\n"
        "counter: '1'\nservice: A\nfields: []\n", encoding="utf-8")
    catalog = load_catalog(tmp_path)
    with pytest.raises(FormDefinitionError) as caught:
        catalog.form("bad")
    assert caught.value.issues


def test_forms_preview__no_screens__writes_the_printed_pdf(tmp_path: Path) -> None:
    assert main(["forms", "preview", "kaigo_nintei", "--out", str(tmp_path), "--no-screens"]) == 0
    assert (tmp_path / "kaigo_nintei.pdf").read_bytes().startswith(b"%PDF")
