"""The printed ticket slip: number, counter, wait and QR code, drawn with Qt into a PDF.

The slip holds no personal data, so the PDF may stay in the print folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from kiosk.domain.ticket import Ticket
from kiosk.i18n import N_, translator
from kiosk.ports import Printer
from kiosk.services.queue import SlipPrinter
from kiosk.ui.citizen.ticket_screen import qr_pixmap

__all__ = ["slip_printer"]

_SLIP_MM = (80.0, 120.0)   # 80 mm receipt roll; A4 printers print it at the top of a page


def slip_printer(printer: Printer, language_code: str,
                 qr_payload: Callable[[Ticket, str], str] | None = None) -> SlipPrinter:
    """A :data:`SlipPrinter` drawing the slip in Japanese and ``language_code``; its QR code
    holds ``qr_payload(ticket, language)`` (the ticket page's URL) when given."""

    def print_slip(ticket: Ticket, wait_seconds: int) -> None:
        with tempfile.TemporaryDirectory(prefix="kiosk-slip-") as folder:
            pdf = Path(folder) / f"ticket-{ticket.label}.pdf"
            # No language in the slip's link: the phone's own language setting chooses.
            payload = qr_payload(ticket, "") if qr_payload is not None else ""
            draw_slip(pdf, ticket, wait_seconds, language_code, payload)
            printer.print_pdf(pdf, title=f"ticket-{ticket.label}")

    return print_slip


def draw_slip(out: Path, ticket: Ticket, wait_seconds: int, language_code: str,
              qr_payload: str = "") -> None:
    """Write the slip PDF to ``out``."""
    writer = QPdfWriter(str(out))
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(*_SLIP_MM), QPageSize.Unit.Millimeter),
                                     QPageLayout.Orientation.Portrait, QMarginsF()))
    writer.setResolution(203)   # thermal receipt printers print at 203 dpi
    painter = QPainter(writer)
    try:
        width = writer.width()
        y = 20.0
        minutes = -(-wait_seconds // 60)
        for code in dict.fromkeys(("ja", language_code)):
            tr = translator(code)
            y = _line(painter, tr(N_("Your number")), width, y, 12)
            y = _line(painter, ticket.label, width, y, 40, bold=True)
            y = _line(painter, tr(N_("Estimated wait: about {minutes} minutes."),
                                  minutes=minutes), width, y, 10)
        pixmap = qr_pixmap(qr_payload or f"TOME-KIOSK-TICKET:{ticket.label}", scale=6)
        painter.drawPixmap(int((width - pixmap.width()) / 2), int(y) + 10, pixmap)
    finally:
        painter.end()


def _line(painter: QPainter, text: str, width: int, y: float, points: int, *,
          bold: bool = False) -> float:
    font = QFont(painter.font())
    font.setPointSize(points)
    font.setBold(bold)
    painter.setFont(font)
    height = painter.fontMetrics().height() * 2.2
    painter.drawText(QRectF(0, y, width, height), int(Qt.AlignmentFlag.AlignHCenter
                                                      | Qt.TextFlag.TextWordWrap), text)
    return y + height
