"""The completed form printed through the Qt print path (QtPdf rendering, QPrinter) into a PDF."""

from __future__ import annotations

import subprocess

import pytest

from kiosk.domain.application import ApplicationStatus
from kiosk.errors import DeviceError
from kiosk.ui.adapters.qt_printer import QtPrinter

pytestmark = pytest.mark.gui

# One pixel grid (100 dpi) for both: Qt's A4 (595 x 842 pt) and reportlab's (595.28 x 841.89
# pt) differ by a fraction of a point.
_GRID = ("-scale-to-x", "827", "-scale-to-y", "1169")
_BLOCK = 16     # compared as 16-pixel block averages: hairlines come out thinner from an image


def _block_means(size, pixels):
    width, height = size
    rows = [pixels[y * width:(y + 1) * width] for y in range(height - height % _BLOCK)]
    means = []
    for top in range(0, len(rows), _BLOCK):
        band = rows[top:top + _BLOCK]
        for left in range(0, width - _BLOCK + 1, _BLOCK):
            means.append(sum(sum(row[left:left + _BLOCK]) for row in band) / _BLOCK ** 2)
    return means


def _approved(world, printer):
    world.services.review.printer = printer
    review = world.services.review.open(world.application_id,
                                        world.services.storage.staff.list()[0])
    review.approve()
    return review


def _gray_pixels(pdf, folder, name):
    """The first page of ``pdf`` as 8-bit gray pixels on the common grid, with its size."""
    subprocess.run(["pdftoppm", *_GRID, "-gray", "-singlefile", str(pdf),
                    str(folder / name)], check=True, capture_output=True)
    data = (folder / f"{name}.pgm").read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert (magic, depth) == (b"P5", b"255")
    return (int(width), int(height)), pixels


def _pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def test_qt_print__pdf_output__the_completed_form_page_as_drawn(world, tmp_path):
    output = tmp_path / "qt-output.pdf"
    review = _approved(world, QtPrinter(pdf_file=output))
    source = tmp_path / "source.pdf"
    world.services.review.renderer.application(review.session, source)   # the PDF the printer is given

    job = review.print_form()

    assert job.startswith("qt-")
    assert review.status is ApplicationStatus.PRINTED
    assert _pages(output) == _pages(source) == 1
    # The source carries the form's text; the Qt path draws each page as an image (paper has
    # no text layer either), so the printed page is compared with the source page drawn.
    text = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "登米" in text
    assert "juminhyo v" in text
    size, printed = _gray_pixels(output, tmp_path, "printed")
    source_size, expected = _gray_pixels(source, tmp_path, "expected")
    assert size == source_size
    printed_blocks, expected_blocks = _block_means(size, printed), _block_means(size, expected)
    ink = sum(255 - value for value in expected_blocks)
    printed_ink = sum(255 - value for value in printed_blocks)
    differing = sum(abs(a - b) for a, b in zip(printed_blocks, expected_blocks, strict=True))
    assert printed_ink > ink * 0.8                 # not blank, not a fragment
    assert differing < ink * 0.25                  # the same drawing in the same place


@pytest.mark.parametrize("name", ["no-such-printer", "KioskPDF-typo"])
def test_qt_print__unknown_printer__device_error_and_still_approved(world, name):
    review = _approved(world, QtPrinter(name))

    with pytest.raises(DeviceError) as raised:
        review.print_form()

    assert name in raised.value.english()
    assert review.status is ApplicationStatus.APPROVED
    stored = world.services.storage.applications.get(world.application_id,
                                                     world.services.review.sealer)
    assert stored.status is ApplicationStatus.APPROVED


def test_qt_print__pdf_output_folder_missing__device_error(world, tmp_path):
    review = _approved(world, QtPrinter(pdf_file=tmp_path / "missing" / "out.pdf"))

    with pytest.raises(DeviceError):
        review.print_form()

    assert review.status is ApplicationStatus.APPROVED
