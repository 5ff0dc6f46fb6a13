"""The kiosk's PDFs drawn with reportlab (:class:`~kiosk.ports.Renderer`).

reportlab and the signing libraries load on the first document, not at start-up: a tablet
that never draws one starts sooner.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.paths import forms_dir
from kiosk.ports import RenderReport
from kiosk.procedures.printing import fill_form

if TYPE_CHECKING:
    from kiosk.audit.report import UsageReport
    from kiosk.procedures.model import FormDefinition
    from kiosk.procedures.receipt import Receipt, TicketSlip
    from kiosk.procedures.session import FormSession

__all__ = ["ReportlabRenderer"]


class ReportlabRenderer:
    """Application forms, receipts, the auditor's report and the PDF/A to sign."""

    def __repr__(self) -> str:
        return "ReportlabRenderer()"

    def application(self, session: FormSession, out: Path) -> RenderReport:
        """The completed form as the Japanese A4 PDF ``out``; the report names the fields with
        characters to hand-write."""
        background = session.definition.print.background
        if background and (forms_dir() / background).is_file():
            # The city's own 様式 with the values in its boxes; the generic layout otherwise.
            from devices.printer.overlay_render import render_on_background  # noqa: PLC0415
            from kiosk.procedures.overlay import overlay_texts  # noqa: PLC0415

            render_on_background(overlay_texts(session), forms_dir() / background, out)
            return RenderReport()
        from devices.printer.pdf_render import render_application  # noqa: PLC0415

        return render_application(fill_form(session), out)

    def receipt(self, receipt: Receipt, out: Path) -> None:
        """A receipt (the visit's, or a fee's 領収書) as the PDF file ``out``."""
        from devices.printer.pdf_render import render_receipt  # noqa: PLC0415

        render_receipt(receipt, out)

    def slip(self, slip: TicketSlip, out: Path) -> None:
        """The ticket slip (80 x 120 mm) as the PDF file ``out``."""
        from devices.printer.pdf_render import render_slip  # noqa: PLC0415

        render_slip(slip, out)

    def report(self, report: UsageReport, out: Path) -> None:
        """The effect-verification report as the PDF file ``out``."""
        from devices.printer.report_render import render_usage_report  # noqa: PLC0415

        render_usage_report(report, out)

    def signed_application(self, session: FormSession, when: datetime) -> tuple[bytes, int]:
        """The completed form (always the generic layout, which has the 署名 box with the
        tablet signature) as a PDF/A-2b candidate: its bytes and page count."""
        from devices.printer.pdf_render import render_application  # noqa: PLC0415
        from devices.signing.pdfa import to_pdfa  # noqa: PLC0415

        out = io.BytesIO()
        render_application(fill_form(session), out)
        title = f"{session.definition.print.title or session.definition.title.get('ja')} " \
                f"{session.application_id}"
        return to_pdfa(out.getvalue(), title=title, when=when), 1

    def calibration(self, form: FormDefinition, background: Path, out: Path) -> int:
        """The 様式 ``background`` with every box of ``form`` outlined, as ``out``; the number
        of boxes.

        Raises:
            OSError, pypdf.errors.PdfReadError: the 様式 file is missing or not a PDF.
        """
        from devices.printer.overlay_render import render_on_background  # noqa: PLC0415
        from kiosk.procedures.overlay import calibration_texts  # noqa: PLC0415

        texts = calibration_texts(form)
        render_on_background(texts, background, out, outline=True)
        return len(texts)
