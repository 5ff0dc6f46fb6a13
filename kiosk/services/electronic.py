"""A signed electronic application instead of paper: render, sign as the city, file, count.

When the clerk approves an application whose procedure is delivered electronically (or the
clerk chooses so), the completed form with the applicant's tablet signature in its 署名 box is
rendered as PDF/A, signed by the city (:class:`~kiosk.ports.DocumentSigner`, PAdES, with a
time stamp where a TSA is configured) and stored in the document store; nothing is printed.
The usage log counts the pages not printed (``DocumentFiled``) for the yearly paper figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.audit import NULL_USAGE, DocumentFiled, UsageRecorder
from kiosk.ports import Clock, DocumentSigner, Renderer
from kiosk.procedures.session import FormSession
from kiosk.storage.documents import DocumentStore

__all__ = ["ElectronicFiling", "FiledDocument"]


@dataclass(frozen=True)
class FiledDocument:
    """Where a signed application went, and what kind of signature it carries."""

    path: Path
    pages: int
    test_signature: bool


class ElectronicFiling:
    """Renders, signs and files approved applications."""

    def __init__(self, renderer: Renderer, signer: DocumentSigner, documents: DocumentStore,
                 clock: Clock, usage: UsageRecorder = NULL_USAGE, *,
                 reason: str = "申請書の受付", location: str = "登米市役所",
                 timestamped: bool = False) -> None:
        self._renderer = renderer   # its signed_application: the PDF/A to sign
        self.signer = signer
        self.documents = documents
        self._clock = clock
        self._usage = usage
        self._reason = reason
        self._location = location
        self._timestamped = timestamped

    def file(self, session: FormSession, application_id: int) -> FiledDocument:
        """Render, sign and store the application of ``session``; count its pages.

        Raises:
            kiosk.errors.DeviceError: the signature failed (the key, the token, the TSA).
            kiosk.errors.StorageError: the document store cannot be written, or the
                application is filed already.
        """
        now = self._clock.now()
        pdf, pages = self._renderer.signed_application(session, now)
        signed = self.signer.sign(pdf, reason=self._reason, location=self._location)
        form_id = session.definition.id
        path = self.documents.put(now.strftime("%Y-%m"), form_id, application_id, signed)
        self._usage.record(DocumentFiled(form=form_id, application=application_id, pages=pages,
                                         timestamped=self._timestamped,
                                         test_signature=self.signer.test_signature))
        return FiledDocument(path, pages, self.signer.test_signature)
