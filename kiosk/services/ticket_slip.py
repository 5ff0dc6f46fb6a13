"""Printing the ticket slip: built beside the receipt (:func:`kiosk.procedures.receipt.build_slip`),
drawn by the :class:`~kiosk.ports.Renderer`, sent to the device's printer.

The slip holds no personal data; its PDF lives in a temporary folder only until it is printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from kiosk.domain.ticket import Ticket
from kiosk.ports import Printer, Renderer
from kiosk.procedures.receipt import build_slip
from kiosk.services.queue import SlipPrinter

__all__ = ["SlipPrinters", "slip_printer"]

SlipPrinters = Callable[[str], SlipPrinter]
"""The slip printer for a visitor's language (a catalog code): the slip is in Japanese and it."""


def slip_printer(printer: Printer, renderer: Renderer, office: str,
                 qr_payload: Callable[[Ticket, str], str] | None = None) -> SlipPrinters:
    """:data:`SlipPrinters` drawing the slip of ``office`` (the city hall's name) with
    ``renderer``; its QR code holds ``qr_payload(ticket, language)`` (the ticket page's URL)
    when given.

    Raises (from the printing function):
        kiosk.errors.DeviceError: the printer refused the slip.
    """

    def in_language(language_code: str) -> SlipPrinter:
        def print_slip(ticket: Ticket, wait_seconds: int) -> None:
            with tempfile.TemporaryDirectory(prefix="kiosk-slip-") as folder:
                pdf = Path(folder) / f"ticket-{ticket.label}.pdf"
                # No language in the slip's link: the phone's own language setting chooses.
                payload = qr_payload(ticket, "") if qr_payload is not None else ""
                renderer.slip(build_slip(ticket, wait_seconds, language_code, payload,
                                         office=office), pdf)
                printer.print_pdf(pdf, title=f"ticket-{ticket.label}")

        return print_slip

    return in_language
