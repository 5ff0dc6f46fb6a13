"""Printing the completed form through the real CUPS KioskPDF queue, and a disabled queue."""

from __future__ import annotations

import subprocess
import time

import pytest

from devices.printer.cups_printer import CupsPrinter
from kiosk.domain.application import ApplicationStatus
from kiosk.errors import DeviceError

pytestmark = pytest.mark.cups


def _approved(world, printer):
    world.services.review.printer = printer
    staff = world.services.storage.staff.list()[0]
    review = world.services.review.open(world.application_id, staff)
    review.approve()
    return review


def _output(folder, job, since, timeout=20.0):
    # ~/PDF is shared with earlier runs and job numbers restart with every cupsd: only a file
    # written since this print started can be ours.
    number = job.rsplit("-", 1)[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(p for p in folder.glob(f"*job_{number}.pdf") if p.stat().st_mtime >= since)
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no PDF for job {job}")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review_print__kiosk_pdf_queue__completed_form_lands_as_pdf(world, cups_queue):
    review = _approved(world, CupsPrinter(str(cups_queue)))

    since = time.time() - 1
    job = review.print_form()

    pdf = _output(cups_queue.output_dir, job, since)
    try:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        # cups-pdf re-distils with Ghostscript, which drops the Japanese text layer; the
        # footer's form id is ASCII and survives, naming the form that was printed.
        assert "juminhyo v" in text
        assert pdf.stat().st_size > 10_000       # the embedded Japanese font subset is there
        assert review.status is ApplicationStatus.PRINTED
    finally:
        pdf.unlink()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review_print__queue_disabled__device_error_and_still_approved(world, cups_queue):
    review = _approved(world, CupsPrinter(str(cups_queue), timeout_s=3))
    subprocess.run(["cupsdisable", "-r", "out of paper", str(cups_queue)], check=True)
    try:
        with pytest.raises(DeviceError) as raised:
            review.print_form()
    finally:
        subprocess.run(["cupsenable", str(cups_queue)], check=True)

    assert "disabled" in raised.value.english() or "out of paper" in raised.value.english()
    assert review.status is ApplicationStatus.APPROVED
    stored = world.services.storage.applications.get(world.application_id,
                                                     world.services.review._opener)
    assert stored.status is ApplicationStatus.APPROVED
