"""Benchmarks of the form engine and the PDF renderer, printed next to their goals.

Run: ``.venv/bin/python bench/bench_forms.py``. Goals on the 2-core reference machine:
load and check every definition in forms/ under 150 ms; render one filled application PDF in
under 60 ms (median after warm-up: font registration is cached per process).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable


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


if __name__ == "__main__":
    main()
