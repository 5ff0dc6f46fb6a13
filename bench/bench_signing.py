"""Benchmarks of issue 21: the city's signature on an application PDF, and the pad's ink.

Run: ``.venv/bin/python bench/bench_signing.py``. Goals on the 2-core reference machine:

* signing an application PDF (PDF/A, PAdES, RSA-2048, no TSA) under 300 ms (median, warm);
* the signature pad's ink under 30 ms from a touch event to the stroke drawn (median and p95,
  offscreen Qt: from the move event's dispatch to the end of the paint that shows it; the
  panel's digitiser and the compositor add their own few milliseconds on a tablet).

The machine's load is printed with the figures: 8 helpers share these 2 cores.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime


def _times(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _line(name: str, value: float, goal: float | None) -> None:
    if goal is None:
        print(f"{name:<52} {value:7.1f} ms   (no goal)")
        return
    status = "met" if value < goal else "MISSED"
    print(f"{name:<52} {value:7.1f} ms   goal < {goal:.0f} ms   {status}")


def bench_signing() -> None:
    """Render → PDF/A → sign, each timed; the signing median against its goal."""
    from devices.printer.pdf_render import render_application
    from devices.signing.pades import throwaway_signer
    from devices.signing.pdfa import to_pdfa
    from kiosk.domain.signature_image import render_png
    from kiosk.procedures.catalog import load_catalog
    from kiosk.procedures.printing import fill_form
    from kiosk.procedures.sample import sample_session, sample_signature

    session = sample_session(load_catalog().form("juminhyo"))
    session.signature_png = render_png(sample_signature())
    when = datetime.now(UTC)

    def render() -> bytes:
        out = io.BytesIO()
        render_application(fill_form(session), out)
        return to_pdfa(out.getvalue(), title="bench", when=when)

    keygen = _times(throwaway_signer, 1)[0]
    signer = throwaway_signer()
    pdf = render()
    for _ in range(2):                       # warm-up: asyncio loop, pyHanko's imports
        signer.sign(pdf, reason="bench", location="bench")
    sign = _times(lambda: signer.sign(pdf, reason="bench", location="bench"), 25)
    renders = _times(render, 10)
    print(f"signed PDF size {len(signer.sign(pdf, reason='b', location='b')):,} bytes, "
          f"RSA-2048, no TSA")
    _line("throwaway key + certificate (once per process)", keygen, None)
    _line("render application + PDF/A metadata (median)", statistics.median(renders), None)
    _line("sign application PDF, PAdES (median)", statistics.median(sign), 300)
    _line("sign application PDF, PAdES (p95)", sorted(sign)[int(len(sign) * 0.95) - 1], None)
    _line("render + sign, the clerk's wait (median)",
          statistics.median(renders) + statistics.median(sign), None)


def bench_ink() -> None:
    """Touch-move events on the pad, each timed until the paint that shows it has ended."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.services.signature_capture import SignatureCapture
    from kiosk.ui.citizen.signature_pad import SignatureCanvas

    app = QApplication.instance() or QApplication([])
    capture = SignatureCapture()
    canvas = SignatureCanvas(capture, 54, "ここに署名してください")
    canvas.resize(704, canvas.height())
    canvas.show()
    for _ in range(5):
        app.processEvents()

    def send(kind: QEvent.Type, x: float, y: float) -> None:
        button = Qt.MouseButton.NoButton if kind is QEvent.Type.MouseMove \
            else Qt.MouseButton.LeftButton
        held = Qt.MouseButton.NoButton if kind is QEvent.Type.MouseButtonRelease \
            else Qt.MouseButton.LeftButton
        QCoreApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), QPointF(x, y),
                                                       button, held,
                                                       Qt.KeyboardModifier.NoModifier))

    latencies: list[float] = []
    for stroke in range(20):                 # 20 strokes of 40 moves, like a long name
        y0 = 60 + (stroke % 5) * 25
        send(QEvent.Type.MouseButtonPress, 40, y0)
        app.processEvents()
        for step in range(1, 41):
            before = canvas.paints
            start = time.perf_counter()
            send(QEvent.Type.MouseMove, 40 + step * 15, y0 + (step % 7) * 6)
            while canvas.paints == before:
                app.processEvents()
            latencies.append((time.perf_counter() - start) * 1000)
        send(QEvent.Type.MouseButtonRelease, 40 + 40 * 15, y0)
        app.processEvents()
    latencies.sort()
    print(f"ink: {len(latencies)} moves over {len(capture.signature.strokes) if capture.signature else 0} "
          f"strokes, offscreen Qt")
    _line("touch move → stroke drawn (median)", statistics.median(latencies), 30)
    _line("touch move → stroke drawn (p95)", latencies[int(len(latencies) * 0.95) - 1], 30)
    _line("touch move → stroke drawn (max)", latencies[-1], None)
    canvas.close()


def main() -> None:
    """Measure and print, with the machine's load."""
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    bench_signing()
    bench_ink()
    load = os.getloadavg()
    print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
