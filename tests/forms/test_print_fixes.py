"""The generic printed form (issue 19, "Also"): a 署名 box on every application, 市使用欄 with
stamp boxes, and labels kept on one line instead of wrapping a lone character."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from devices.printer.pdf_render import render_application
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.layout import build_layout
from kiosk.procedures.printing import fill_form
from kiosk.procedures.sample import sample_session


def _lines(pdf: Path) -> list[str]:
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = re.findall(r"<line [^>]*>(.*?)</line>", html, flags=re.S)
    return ["".join(re.findall(r">([^<]*)</word>", line)) for line in lines]


def test_layout__every_bundled_form__has_a_signature_box(catalog: FormCatalog) -> None:
    assert [f.id for f in catalog.forms.values() if build_layout(f).signature_box is None] == []


def test_printed_form__juminhyo__has_stamp_boxes_and_one_line_labels(
        catalog: FormCatalog, tmp_path: Path) -> None:
    out = tmp_path / "j.pdf"
    render_application(fill_form(sample_session(catalog.form("juminhyo"))), out)

    lines = _lines(out)
    assert "記載内容に誤りはありません" in lines
    assert "ん" not in lines
    assert {"受付", "確認", "入力", "交付", "市使用欄"} <= set(lines)
    assert any(line.startswith("署名") for line in lines)
