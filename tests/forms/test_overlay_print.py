"""Printing onto the city's own 様式: each value lands inside its box (pdftotext -bbox), the
generic layout stays the fallback, and ``kiosk forms calibrate`` outlines and labels every box.

The 様式 is drawn by the test (a blank A4 with ruled boxes), never a real city form.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from devices.printer.overlay_render import render_on_background
from kiosk.cli import main
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.issues import IssueCode
from kiosk.procedures.overlay import calibration_texts, overlay_texts
from kiosk.procedures.session import FormSession, Provenance
from kiosk.procedures.source import parse_yaml
from kiosk.procedures.workbook_import import import_workbook
from kiosk.procedures.workbook_write import write_workbook

L = "{ja: 氏名, ja@easy: なまえ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"
BOXES = {"name": (30.0, 40.0, 80.0, 10.0, False), "address": (30.0, 55.0, 150.0, 10.0, False),
         "town": (180.0, 80.0, 10.0, 60.0, True), "born": (30.0, 70.0, 60.0, 9.0, False)}
FORM = f"""kind: procedure
id: yoshiki_test
version: 1.0.0
title: {L}
department: {L}
counter: '1'
service: A
legal_form: テスト用の様式
choices:
  towns:
    - {{value: hasama, label: {L.replace('氏名', '迫町')}}}
fields:
  - {{id: name, type: name, label: {L}, place: {{page: 1, box: [30, 40, 80, 10], size: 11}}}}
  - {{id: address, type: address, label: {L}, place: {{box: [30, 55, 150, 10]}}}}
  - {{id: town, type: select, choices: towns, label: {L},
      place: {{box: [180, 80, 10, 60], size: 12, vertical: true}}}}
  - {{id: born, type: date, label: {L}, place: {{box: [30, 70, 60, 9]}}}}
  - {{id: unplaced, type: text, label: {L}}}
print:
  background: yoshiki.pdf
"""


def _draw_yoshiki(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(80 * mm, 280 * mm, "TEST FORM")
    for x, y, w, h, _ in BOXES.values():
        canvas.rect(x * mm, A4[1] - (y + h) * mm, w * mm, h * mm)
    canvas.showPage()
    canvas.save()


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "yoshiki_test.yaml").write_text(FORM, encoding="utf-8")
    _draw_yoshiki(folder / "yoshiki.pdf")
    return folder


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(text, float(a), float(b), float(c), float(d))
            for a, b, c, d, text in re.findall(pattern, html)]


def _inside(word: tuple[str, float, float, float, float], box: tuple[float, ...]) -> bool:
    _, x0, y0, x1, y1 = word
    left, top, width, height = (v * mm for v in box[:4])
    slack = 0.5
    return (left - slack <= x0 and x1 <= left + width + slack and top - slack <= y0
            and y1 <= top + height + slack)


def test_overlay__values__land_inside_their_boxes(forms: Path, tmp_path: Path) -> None:
    form = load_catalog(forms).form("yoshiki_test")
    session = FormSession(form, today=date(2026, 4, 1))
    values = {"name": "登米　花子", "address": "宮城県登米市迫町佐沼字中江二丁目６番地１",
              "town": "hasama", "born": date(1989, 1, 8), "unplaced": "どこにも"}
    for key, value in values.items():
        session.set(key, value, by=Provenance.CITIZEN)
    out = tmp_path / "filled.pdf"

    render_on_background(overlay_texts(session), forms / "yoshiki.pdf", out)

    words = _words(out)
    expected = {"name": "花子", "address": "中江", "born": "平成", "town": "迫"}
    for field_id, piece in expected.items():
        found = [w for w in words if piece in w[0] and (field_id != "town" or w[0] == piece)]
        assert found, field_id
        assert all(_inside(w, BOXES[field_id]) for w in found), (field_id, found)
    assert not [w for w in words if "どこにも" in w[0]]
    assert any("TEST" in w[0] for w in words)          # the 様式 itself is still there


def test_overlay__vertical_box__stacks_characters_top_to_bottom(forms: Path,
                                                                tmp_path: Path) -> None:
    form = load_catalog(forms).form("yoshiki_test")
    session = FormSession(form, today=date(2026, 4, 1))
    session.set("town", "hasama", by=Provenance.CITIZEN)
    out = tmp_path / "v.pdf"

    render_on_background(overlay_texts(session), forms / "yoshiki.pdf", out)

    chars = [w for w in _words(out) if w[0] in ("迫", "町")]
    assert [w[0] for w in sorted(chars, key=lambda w: w[2])] == ["迫", "町"]
    assert chars[0][1] == pytest.approx(chars[1][1], abs=1.0)


def test_forms_calibrate__placed_fields__outlines_and_labels_every_box(
        forms: Path, tmp_path: Path) -> None:
    out = tmp_path / "calibrate.pdf"
    assert main(["forms", "--dir", str(forms), "calibrate", "yoshiki_test", "--out",
                 str(out)]) == 0
    text = " ".join(w[0] for w in _words(out))
    form = load_catalog(forms).form("yoshiki_test")
    assert [t.field_id for t in calibration_texts(form)] == ["name", "address", "town", "born"]
    for field_id in ("name", "address", "town", "born"):
        assert field_id in text


def test_forms_calibrate__form_without_yoshiki__exits_one(tmp_path: Path) -> None:
    assert main(["forms", "calibrate", "juminhyo", "--out", str(tmp_path / "x.pdf")]) == 1


@pytest.mark.parametrize("box", ["[1, 2, 3]", "[1, 2, 3, -4]", "nothing"])
def test_place__bad_box__is_reported(forms: Path, box: str) -> None:
    text = FORM.replace("box: [30, 40, 80, 10]", f"box: {box}")
    (forms / "yoshiki_test.yaml").write_text(text, encoding="utf-8")
    issues = load_catalog(forms).issues
    assert IssueCode.BAD_VALUE in {issue.code for issue in issues}


def test_workbook__placed_form__keeps_background_and_boxes(forms: Path, tmp_path: Path) -> None:
    data = parse_yaml(FORM, "x")[0].data
    write_workbook(data, tmp_path / "y.xlsx")
    text, issues = import_workbook(tmp_path / "y.xlsx")
    assert text is not None
    assert parse_yaml(text, "y")[0].data == data
    assert [str(i) for i in issues if i.severity.value == "error"] == []
