"""Check the signatures of a PDF with pyHanko's validator, offline, against given trust roots.

Each signature gets a :class:`SignatureCheck`: whether the signed bytes are unchanged
(intact), whether the cryptography holds (valid), whether the signer chains to a trusted root
(the city's CA, ``[signing] trust_root``), whether it covers the whole file, whether it has
an RFC 3161 time stamp, and whether its certificate names itself a test signature. No
revocation data is fetched: the clerk PC has no network beyond the LAN.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from devices.signing.throwaway import TEST_NAME
from kiosk.errors import UserFacingError
from kiosk.i18n import S_

__all__ = ["NotSignedPdfError", "SignatureCheck", "load_roots", "verify_pdf"]


class NotSignedPdfError(UserFacingError):
    """The file is not a PDF that can be read, or it has no signature."""


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one signature of the file."""

    field: str
    signer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    timestamped: bool
    test_signature: bool

    @property
    def ok(self) -> bool:
        """Intact, valid, trusted, covering the whole file, and not a test signature."""
        return (self.intact and self.valid and self.trusted and self.whole_file
                and not self.test_signature)


def load_roots(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM (or one DER) file: the roots a verifier trusts."""
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # The validator logs an untrusted chain with a traceback; the verdict says it once.
    loggers = [logging.getLogger(name) for name in ("pyhanko_certvalidator", "pyhanko.sign")]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)


def verify_pdf(data: bytes, roots: list[x509.Certificate]) -> list[SignatureCheck]:
    """Check every signature of the PDF ``data``.

    Raises:
        NotSignedPdfError: not a readable PDF, or a PDF without signatures.
    """
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise NotSignedPdfError(S_("This file is not a PDF that can be read.")) from exc
    if not embedded:
        raise NotSignedPdfError(S_("This PDF has no signature."))
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            with _quiet():
                status = validate_pdf_signature(signature, context)
        except Exception as exc:     # a damaged signature dictionary: say so, not a traceback
            raise NotSignedPdfError(S_("A signature in this PDF is damaged.")) from exc
        cert = status.signing_cert
        name = cert.subject.human_friendly if cert is not None else ""
        checks.append(SignatureCheck(
            field=signature.field_name, signer=name, signed_at=status.signer_reported_dt,
            intact=status.intact, valid=status.valid, trusted=status.trusted,
            whole_file=status.coverage is SignatureCoverageLevel.ENTIRE_FILE,
            timestamped=status.timestamp_validity is not None,
            test_signature=TEST_NAME in name))
    return checks
