"""Printing through the real CUPS server and its cups-pdf KioskPDF queue."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from devices.printer.cups_printer import CupsPrinter
from kiosk.doctor import Status
from kiosk.errors import DeviceError

pytestmark = pytest.mark.cups


def _pdf(path: Path, pages: int) -> Path:
    document = canvas.Canvas(str(path))
    for page in range(pages):
        document.drawString(72, 720, f"kiosk print test page {page + 1}")
        document.showPage()
    document.save()
    return path


def _wait_for_output(folder: Path, title: str, job: str, timeout: float = 20) -> Path:
    # cups-pdf names files "<title>-job_<n>.pdf" in a folder shared with earlier runs, and job
    # numbers restart with every cupsd: the unique title tells our file apart.
    number = job.rsplit("-", 1)[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"{title}*job_{number}.pdf"))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote no file for job {job} in {folder}")


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def test_cups_printer__two_page_pdf__lands_in_queue_output_with_two_pages(cups_queue, tmp_path):
    printer = CupsPrinter(str(cups_queue))
    title = f"kiosk-test-{uuid.uuid4().hex[:8]}"

    job = printer.print_pdf(_pdf(tmp_path / "form.pdf", pages=2), title=title)

    output = _wait_for_output(cups_queue.output_dir, title, job)
    try:
        assert job.startswith(f"{cups_queue}-")
        assert _page_count(output) == 2
    finally:
        output.unlink()   # cups-pdf writes to the user's ~/PDF, which outlives the test


def test_cups_printer__corrupt_pdf__raises_device_error_and_cancels_job(cups_queue, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a real document\n")

    with pytest.raises(DeviceError) as raised:
        CupsPrinter(str(cups_queue), timeout_s=20).print_pdf(broken, title="broken")

    assert raised.value.params["reason"]
    pending = subprocess.run(["lpstat", "-o", str(cups_queue)], capture_output=True, text=True,
                             check=False)
    assert pending.stdout.strip() == ""


def test_cups_printer__probe_on_live_queue__reports_ok(cups_queue):
    checks = CupsPrinter(str(cups_queue)).probe()

    assert [c.status for c in checks] == [Status.OK]


def test_cups_printer__unknown_queue__probe_fails_naming_it(cups_queue):
    checks = CupsPrinter("NoSuchQueue").probe()

    assert checks[0].status is Status.FAIL
    assert "NoSuchQueue" in checks[0].detail


def test_cups_printer__queue_rejecting_jobs__raises_device_error_with_reason(cups_queue, tmp_path):
    env = {**os.environ}
    subprocess.run(["cupsreject", "-r", "paper jam in tray 1", str(cups_queue)], env=env, check=True)
    try:
        with pytest.raises(DeviceError) as raised:
            CupsPrinter(str(cups_queue)).print_pdf(_pdf(tmp_path / "x.pdf", 1), title="rejected")
        assert "not accepting" in raised.value.english() or "paper jam" in raised.value.english()
    finally:
        subprocess.run(["cupsaccept", str(cups_queue)], env=env, check=True)


def test_cups_printer__queue_disabled__device_error_at_once_and_job_cancelled(cups_queue, tmp_path):
    # A disabled queue accepts the job and holds it: the clerk must hear so, not wait the
    # whole timeout, and the held job must not print later when the queue is enabled again.
    subprocess.run(["cupsdisable", "-r", "out of paper", str(cups_queue)], check=True)
    try:
        with pytest.raises(DeviceError) as raised:
            CupsPrinter(str(cups_queue), timeout_s=120).print_pdf(_pdf(tmp_path / "x.pdf", 1),
                                                                   title="disabled")
        pending = subprocess.run(["lpstat", "-o", str(cups_queue)], capture_output=True,
                                 text=True, check=True).stdout
    finally:
        subprocess.run(["cupsenable", str(cups_queue)], check=True)

    assert "stopped the job" in raised.value.english()
    assert "out of paper" in raised.value.english()
    assert pending.strip() == ""
