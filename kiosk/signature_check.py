"""Checking the signatures of a signed electronic application (``kiosk verify-pdf``), offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.i18n import S_

if TYPE_CHECKING:
    from devices.signing.verify import SignatureCheck

__all__ = ["verify_signed_pdf"]


def verify_signed_pdf(config: Config, data: bytes) -> list[SignatureCheck]:
    """Check the signatures of a PDF against ``[signing] trust_root`` (offline).

    Raises:
        devices.signing.verify.NotSignedPdfError: not a readable PDF or not signed.
        ConfigError: the trust root file cannot be read.
    """
    from devices.signing.verify import load_roots, verify_pdf  # noqa: PLC0415

    roots = []
    if config.signing.trust_root is not None:
        try:
            roots = load_roots(config.signing.trust_root.read_bytes())
        except (OSError, ValueError) as exc:
            raise ConfigError(S_("[signing] trust_root {file} cannot be read."),
                              file=str(config.signing.trust_root)) from exc
    return verify_pdf(data, roots)
