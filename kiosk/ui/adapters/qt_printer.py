"""Printing a PDF through Qt: each page rendered to an image, QPrinter sends it to the printer.

Pages are rendered by QtPdf (the ``PySide6-Pdf`` wheel) when it is installed, otherwise by
poppler's ``pdftoppm`` (Debian ``poppler-utils``).

Used where CUPS's ``lp`` is not available (Windows) or not wanted. Qt hands the job to the
system spooler and cannot follow it to the paper, so a job Qt accepted counts as printed; the
spooler's own failures show in ``kiosk doctor`` and the printer's queue. Pages are rendered at
the printer's resolution (capped at 300 dpi), so Japanese text stays sharp.

With ``pdf_file`` the same path writes Qt's own PDF output instead of a printer (what a
"print to file" printer gets; the tests check the Qt path with it). The pages in it are
images, as on paper: the text is drawn, not searchable.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["QtPrinter"]

_MAX_DPI = 300
_jobs = itertools.count(1)


class QtPrinter:
    """A :class:`kiosk.ports.Printer` through Qt; ``name`` empty means the default printer.

    ``pdf_file`` set: every job is written to that PDF file (A4) instead of a printer.
    """

    def __init__(self, name: str = "", *, pdf_file: Path | None = None) -> None:
        self.name = name
        self.pdf_file = pdf_file

    def _info(self) -> QPrinterInfo:
        info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            raise DeviceError(S_("The printer refused the job: {reason}"),
                              reason=f"no printer named '{self.name or '(default)'}'")
        return info

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Render ``pdf`` page by page onto the printer; returns a local job id.

        Raises:
            kiosk.errors.DeviceError: no such printer, an unreadable PDF, or Qt could not
                start or finish the job.
        """
        printer = self._printer()
        printer.setDocName(title)
        printer.setCopyCount(copies)
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise DeviceError(S_("The printer refused the job: {reason}"),
                              reason=f"printer '{self._label(printer)}' could not start the job")
        try:
            dpi = min(printer.resolution(), _MAX_DPI)
            for page, image in enumerate(_pages(pdf, dpi)):
                if page and not printer.newPage():
                    raise DeviceError(S_("The printer could not print the job: {reason}"),
                                      reason="new page refused")
                painter.drawImage(painter.viewport(), image)
        finally:
            painter.end()
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise DeviceError(S_("The printer could not print the job: {reason}"),
                              reason=f"printer '{self._label(printer)}' reported an error")
        return f"qt-{next(_jobs)}"

    def _printer(self) -> QPrinter:
        if self.pdf_file is None:
            return QPrinter(self._info(), QPrinter.PrinterMode.HighResolution)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.pdf_file))
        # Qt's PDF paper follows the locale (Letter in C/US); the forms are A4.
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return printer

    @staticmethod
    def _label(printer: QPrinter) -> str:
        return printer.printerName() or printer.outputFileName()

    def probe(self) -> list[Check]:
        """The printer is known to the system."""
        try:
            info = self._info()
        except DeviceError as exc:
            names = ", ".join(QPrinterInfo.availablePrinterNames()) or "none"
            return [Check("printer.ready", Status.FAIL, exc.english(),
                          f"Printers this computer knows: {names}.")]
        return [Check("printer.ready", Status.OK, f"Qt printer '{info.printerName()}'")]


def _pages(pdf: Path, dpi: int) -> Iterator[QImage]:
    """The pages of ``pdf`` as images at ``dpi``.

    Raises:
        kiosk.errors.DeviceError: the PDF cannot be read or no renderer is installed.
    """
    try:
        from PySide6.QtPdf import QPdfDocument  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        yield from _pages_with_poppler(pdf, dpi)
        return
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
        raise DeviceError(S_("The printer refused the job: {reason}"),
                          reason=f"unreadable PDF ({document.error().name})")
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        yield document.render(page, QSize(round(points.width() / 72 * dpi),
                                          round(points.height() / 72 * dpi)))
    document.close()


def _pages_with_poppler(pdf: Path, dpi: int) -> Iterator[QImage]:
    program = shutil.which("pdftoppm")
    if program is None:
        raise DeviceError(S_("The printer refused the job: {reason}"),
                          reason="no PDF renderer (install PySide6-Pdf or poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="kiosk-qtprint-") as folder:
        done = subprocess.run([program, "-r", str(dpi), "-png", str(pdf), f"{folder}/page"],
                              capture_output=True, timeout=120, check=False)
        pages = sorted(Path(folder).glob("page*.png"))
        if done.returncode != 0 or not pages:
            raise DeviceError(S_("The printer refused the job: {reason}"),
                              reason="unreadable PDF")
        for page in pages:
            yield QImage(str(page))
