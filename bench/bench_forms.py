"""Benchmarks of the form engine and the PDF renderer, printed next to their goals.

Run: ``.venv/bin/python bench/bench_forms.py``. Goals on the 2-core reference machine:
load and check every definition in forms/ under 150 ms; render one filled application PDF in
under 60 ms (median after warm-up: font registration is cached per process).
Issue 19 (forms at city scale): load and lint all forms under 1 s (printed per form too);
import of a 40-question workbook under 1 s; a filled PDF on a 様式 background under 100 ms
(median, warm).
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

_L = {"ja": "項目", "ja@easy": "こうもく", "en": "Item", "vi": "Mục", "zh_Hans": "项目",
      "ne": "वस्तु", "id": "Butir", "tl": "Aytem"}


def _times(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _line(name: str, value: float, goal: float) -> None:
    status = "OK" if value < goal else "MISSED"
    print(f"{name:<44} {value:7.1f} ms   goal < {goal:.0f} ms   {status}")


def main() -> None:
    """Measure and print."""
    print(f"bench_forms: {os.cpu_count()} CPUs, load average at start "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    from devices.printer.pdf_render import render_application, render_receipt
    from kiosk.procedures.catalog import load_catalog
    from kiosk.procedures.printing import fill_form
    from kiosk.procedures.receipt import build_receipt
    from kiosk.procedures.sample import sample_session

    first = _times(load_catalog, 1)[0]
    load = _times(load_catalog, 15)
    catalog = load_catalog()
    session = sample_session(catalog.form("idou"))
    cold = _times(lambda: render_application(fill_form(session), io.BytesIO()), 1)[0]
    warm = _times(lambda: render_application(fill_form(session), io.BytesIO()), 25)
    receipt = build_receipt([session], language="vi", application_id="B-1")
    receipts = _times(lambda: render_receipt(receipt, io.BytesIO()), 15)

    print(f"forms: {len(catalog.forms)} procedures, {len(catalog.bundles)} bundles")
    _line("load + check all definitions (first)", first, 150)
    _line("load + check all definitions (median)", statistics.median(load), 150)
    print(f"{'render application PDF (cold, fonts register)':<44} {cold:7.1f} ms   (no goal)")
    _line("render application PDF (median, warm)", statistics.median(warm), 60)
    _line("render receipt PDF vi (median, warm)", statistics.median(receipts), 60)


def _forty_questions() -> dict[str, Any]:
    kinds = ("text", "name", "date", "yes_no", "number", "address", "phone", "reading")
    fields = [{"id": f"q{n:02d}", "type": kinds[n % len(kinds)], "label": _L, "required": True,
               "hint": _L} for n in range(40)]
    return {"kind": "procedure", "id": "bench40", "version": "1.0.0", "title": _L,
            "department": _L, "counter": "1", "service": "A", "fields": fields}


def _yoshiki(folder: Path) -> tuple[Path, Any]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from kiosk.procedures.catalog import load_catalog

    canvas = Canvas(str(folder / "yoshiki.pdf"), pagesize=A4)
    for row in range(12):
        canvas.rect(60, 760 - row * 45, 470, 30)
    canvas.showPage()
    canvas.save()
    lines = [f"kind: procedure\nid: bench_yoshiki\nversion: 1.0.0\ntitle: {_L}\n"
             f"department: {_L}\ncounter: '1'\nservice: A\nprint: {{background: yoshiki.pdf}}"
             "\nfields:"]
    for row in range(12):
        kind = "date" if row % 4 == 3 else "text"
        lines.append(f"  - {{id: f{row}, type: {kind}, label: {_L}, "
                     f"place: {{box: [22, {12 + row * 16}, 160, 10], vertical: {row == 11}}}}}")
    (folder / "bench_yoshiki.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "yoshiki.pdf", load_catalog(folder).form("bench_yoshiki")


def _per_form() -> None:
    """Each definition's own load and lint (median of 5), slowest first, three to a line; the
    whole-catalog checks across forms are in the total above, not here."""
    from kiosk.paths import forms_dir
    from kiosk.procedures.catalog import COMMON_FILE, load_text
    from kiosk.procedures.schema import build_common
    from kiosk.procedures.source import parse_yaml

    folder = forms_dir()
    doc, _issues = parse_yaml((folder / COMMON_FILE).read_text(encoding="utf-8"), COMMON_FILE)
    common, _built = build_common(doc)
    each = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name != COMMON_FILE:
            text = path.read_text(encoding="utf-8")
            each[path.stem] = statistics.median(
                _times(lambda text=text, name=path.name: load_text(text, name, common), 5))
    ranked = sorted(each.items(), key=lambda item: -item[1])
    print(f"  each form's load + lint, slowest first (ms; {len(ranked)} files):")
    for start in range(0, len(ranked), 3):
        print(("   " + "".join(f"{name:<18}{ms:6.2f}   "
                            for name, ms in ranked[start:start + 3])).rstrip())


def city_scale() -> None:
    """Issue 19's three goals."""
    from devices.printer.overlay_render import render_on_background
    from kiosk.procedures.catalog import load_catalog
    from kiosk.procedures.overlay import overlay_texts
    from kiosk.procedures.session import FormSession, Provenance
    from kiosk.procedures.workbook_import import import_workbook
    from kiosk.procedures.workbook_write import write_workbook

    catalog = load_catalog()
    count = len(catalog.forms) + len(catalog.bundles)
    load = statistics.median(_times(load_catalog, 7))
    _line(f"load + lint all {count} definitions (median)", load, 1000)
    print(f"{'  per definition':<44} {load / count:7.2f} ms")
    _per_form()
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as name:
        folder = Path(name)
        book = folder / "forty.xlsx"
        write_workbook(_forty_questions(), book)
        imports = _times(lambda: import_workbook(book), 7)
        _line("import a 40-question workbook (median)", statistics.median(imports), 1000)
        background, form = _yoshiki(folder)
        session = FormSession(form, today=date(2026, 4, 1))
        for item in form.fields:
            value = date(1989, 1, 8) if item.type.value == "date" else "登米市迫町佐沼字中江二丁目"
            session.set(item.id, value, by=Provenance.CITIZEN)
        out = folder / "filled.pdf"
        render_on_background(overlay_texts(session), background, out)      # warm the fonts
        fills = _times(lambda: render_on_background(overlay_texts(session), background, out), 25)
        _line("filled PDF on a 様式 background (median)", statistics.median(fills), 100)


if __name__ == "__main__":
    main()
    city_scale()
