"""Forms as XLSForm-style workbooks: export, import, cell-named errors, the template."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.cli import main
from kiosk.paths import forms_dir
from kiosk.procedures.catalog import COMMON_FILE
from kiosk.procedures.issues import IssueCode
from kiosk.procedures.schema import CommonLibrary, build_common
from kiosk.procedures.source import parse_yaml
from kiosk.procedures.workbook_import import import_workbook
from kiosk.procedures.workbook_write import write_workbook

FILES = sorted(p for p in forms_dir().glob("*.yaml") if p.name != COMMON_FILE)


@pytest.fixture(scope="module")
def common() -> CommonLibrary:
    path = forms_dir() / COMMON_FILE
    return build_common(parse_yaml(path.read_text(encoding="utf-8"), "c")[0])[0]


def _data(path: Path) -> object:
    return parse_yaml(path.read_text(encoding="utf-8"), path.name)[0].data


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_workbook__every_bundled_form__imports_back_to_the_same_definition(
        path: Path, tmp_path: Path, common: CommonLibrary) -> None:
    book = tmp_path / f"{path.stem}.xlsx"
    write_workbook(_data(path), book)  # type: ignore[arg-type]

    text, issues = import_workbook(book, common)

    assert text is not None
    assert parse_yaml(text, "x")[0].data == _data(path)
    assert [str(i) for i in issues if i.severity.value == "error"] == []


def _broken(tmp_path: Path, cell: str, value: str) -> Path:
    book = tmp_path / "FORM.xlsx"
    write_workbook(_data(forms_dir() / "kouki_shikaku.yaml"), book)  # type: ignore[arg-type]
    workbook = load_workbook(book)
    sheet, address = cell.split("!")
    workbook[sheet][address] = value
    workbook.save(book)
    return book


@pytest.mark.parametrize(("cell", "value", "code", "expected"), [
    ("survey!A7", "select_one nothing_here", IssueCode.UNKNOWN_CHOICES, "FORM.xlsx:survey!A7"),
    ("survey!W7", "nobody == 1", IssueCode.UNKNOWN_REFERENCE, "FORM.xlsx:survey!W7"),
    ("survey!B6", "Bad Id", IssueCode.BAD_VALUE, "FORM.xlsx:survey!B6"),
    ("survey!A2", "end_repeat", IssueCode.WORKBOOK, "FORM.xlsx:survey!A2"),
])
def test_workbook_import__broken_cell__names_sheet_and_cell(
        tmp_path: Path, common: CommonLibrary, cell: str, value: str, code: IssueCode,
        expected: str) -> None:
    _, issues = import_workbook(_broken(tmp_path, cell, value), common)

    found = [str(i) for i in issues if i.code is code]
    assert found
    assert found[0].startswith(expected)


def test_workbook_import__not_a_workbook__is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    text, issues = import_workbook(path)
    assert text is None
    assert [i.code for i in issues] == [IssueCode.WORKBOOK]


def test_forms_template__written__has_explanation_and_imports_as_the_example(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, yaml_out = tmp_path / "t.xlsx", tmp_path / "t.yaml"
    assert main(["forms", "template", "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames[0] == "説明"
    assert main(["forms", "import", str(out), "--out", str(yaml_out)]) == 0
    assert _data(yaml_out) == _data(forms_dir() / "templates" / "example.yaml")


def test_forms_template__committed_workbook__matches_the_example(common: CommonLibrary) -> None:
    text, _ = import_workbook(forms_dir() / "templates" / "form_template.xlsx", common)
    assert text is not None
    assert parse_yaml(text, "x")[0].data == _data(forms_dir() / "templates" / "example.yaml")


def test_forms_export__unknown_id__exits_one(tmp_path: Path) -> None:
    assert main(["forms", "export", "nothing", "--xlsx", str(tmp_path / "x.xlsx")]) == 1
