"""The city's PAdES signature on a finished PDF, with pyHanko (a :class:`DocumentSigner`).

The key and certificate come from a PKCS#12 file or a PKCS#11 token (the city's HSM or IC
card); without either, :func:`throwaway_signer` signs with a certificate that names itself a
test signature. A time stamp (RFC 3161) is added when a TSA URL is configured: the TSA is on
the city LAN, so nothing leaves the building. The signature is an incremental update, so
the PDF/A document underneath stays byte for byte what it was.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import keys, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from devices.signing.lazy_signer import LazySigner
from devices.signing.throwaway import make_throwaway
from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["FIELD_NAME", "LazySigner", "PadesSigner", "pkcs11_signer", "pkcs12_signer", "throwaway_signer"]

FIELD_NAME = "CitySignature"
# Room kept for the signature container: enough for a 4-certificate chain (and a time-stamp
# token). Giving it spares pyHanko a whole dry-run signature to measure it (about 3x faster);
# a container that does not fit is signed again with pyHanko's own estimate.
_RESERVED = 16_384
_RESERVED_TSA = 32_768


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner that loads its RSA key once, not on every signature (cryptography
    checks an RSA key when loading it: about 200 ms of the 300 ms budget)."""

    def __init__(self, signer: signers.SimpleSigner) -> None:
        super().__init__(signer.signing_cert, signer.signing_key, signer.cert_registry,
                         signature_mechanism=signer.signature_mechanism,
                         prefer_pss=signer.prefer_pss)
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """RSA PKCS#1 v1.5 with the kept key; anything else as pyHanko does it."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if isinstance(self._key, RSAPrivateKey) and mechanism.signature_algo == "rsassa_pkcs1v15":
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


class PadesSigner:
    """Signs PDFs with one pyHanko signer; ``test_signature`` when it is the throwaway one."""

    def __init__(self, signer: signers.Signer, *, test_signature: bool = False,
                 timestamper: TimeStamper | None = None, source: str = "") -> None:
        self._signer = signer
        self._timestamper = timestamper
        self.test_signature = test_signature
        self.source = source            # where the key is (for doctor), never the passphrase

    def __repr__(self) -> str:
        return f"PadesSigner({self.source!r}, test={self.test_signature})"

    @property
    def timestamped(self) -> bool:
        """Whether signatures get an RFC 3161 time stamp."""
        return self._timestamper is not None

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """``pdf`` signed as a PAdES B-B (B-T with a time stamp) incremental update.

        Raises:
            DeviceError: the PDF cannot be read, or the key, token or TSA failed.
        """
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", reason=reason, location=location,
            subfilter=fields.SigSeedSubFilter.PADES)
        reserved = _RESERVED_TSA if self._timestamper is not None else _RESERVED
        try:
            try:
                out = self._sign(pdf, meta, reserved)
            except SigningError:
                out = self._sign(pdf, meta, None)   # a longer chain than we kept room for
        except Exception as exc:
            # pyHanko, the token and aiohttp raise many kinds; the clerk reads one message.
            raise DeviceError(S_("The document could not be signed ({reason})."),
                              reason=type(exc).__name__) from exc
        return bytes(out.getbuffer())

    def _sign(self, pdf: bytes, meta: signers.PdfSignatureMetadata,
              reserved: int | None) -> io.BytesIO:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out: io.BytesIO = signers.sign_pdf(writer, meta, signer=self._signer,
                                           timestamper=self._timestamper,
                                           bytes_reserved=reserved)
        return out

    def probe(self) -> list[Check]:
        """The signing certificate and how long it is still valid."""
        cert = self._signer.signing_cert
        if cert is None:
            return [Check("signing.key", Status.FAIL, f"no certificate in {self.source}",
                          "Set [signing] pkcs12 or the PKCS#11 token of the city's key.")]
        name = cert.subject.human_friendly
        until = cert.not_valid_after
        if self.test_signature:
            return [Check("signing.key", Status.WARN, f"test signature ({name})",
                          "Set [signing] pkcs12 or pkcs11_module for the city's key.")]
        days = (until - datetime.now(UTC)).days
        status = Status.OK if days > 30 else Status.WARN if days >= 0 else Status.FAIL
        return [Check("signing.key", status, f"{name}, valid until {until:%Y-%m-%d}",
                      "" if status is Status.OK else "Renew the city's signing certificate.")]


def _timestamper(tsa_url: str) -> TimeStamper | None:
    return HTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None


def throwaway_signer(tsa_url: str = "") -> PadesSigner:
    """A signer with a fresh self-signed certificate named as a test signature."""
    made = make_throwaway()
    cert = x509.Certificate.load(made.cert_der)
    signer = _KeptKeySigner(signers.SimpleSigner(
        cert, keys.PrivateKeyInfo.load(made.key_der),
        SimpleCertificateStore.from_certs([cert])))  # type: ignore[no-untyped-call]
    return PadesSigner(signer, test_signature=True, timestamper=_timestamper(tsa_url),
                       source="throwaway test certificate")


def pkcs12_signer(path: Path, passphrase: bytes | None, tsa_url: str = "") -> PadesSigner:
    """The city's key and certificate chain from a PKCS#12 file.

    Raises:
        DeviceError: the file cannot be read or the passphrase is wrong.
    """
    try:
        signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            path, passphrase=passphrase)
    except (OSError, ValueError) as exc:
        raise DeviceError(S_("The signing key file {path} cannot be read."),
                          path=str(path)) from exc
    if signer is None:
        raise DeviceError(S_("The signing key file {path} cannot be opened (wrong passphrase?)."),
                          path=str(path))
    return PadesSigner(_KeptKeySigner(signer), timestamper=_timestamper(tsa_url),
                       source=str(path))


def pkcs11_signer(module: Path, token: str, key_label: str, pin: str | None,
                  tsa_url: str = "") -> PadesSigner:
    """The city's key on a PKCS#11 token (HSM, IC card); the session stays open.

    Raises:
        DeviceError: python-pkcs11 is missing, or the token or key cannot be opened.
    """
    try:
        from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415
        from pyhanko.sign import pkcs11 as p11  # noqa: PLC0415 - optional (python-pkcs11)

        session = p11.open_pkcs11_session(str(module), token_criteria=TokenCriteria(label=token),
                                          user_pin=pin)
        signer = p11.PKCS11Signer(session, key_label=key_label, cert_label=key_label)
    except ImportError as exc:
        raise DeviceError(S_("PKCS#11 signing needs the python-pkcs11 package.")) from exc
    except Exception as exc:
        raise DeviceError(S_("The signing token {token} cannot be opened ({reason})."),
                          token=token, reason=type(exc).__name__) from exc
    return PadesSigner(signer, timestamper=_timestamper(tsa_url),
                       source=f"PKCS#11 {module.name}:{token}:{key_label}")
