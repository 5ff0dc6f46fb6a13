"""A throwaway self-signed certificate that says it is a test signature (demo, samples, CI).

Made in memory for one process; nothing is written to disk. Its names say "TEST SIGNATURE"
in English and Japanese, so a PDF reader's signature panel never shows it as the city.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

__all__ = ["TEST_NAME", "Throwaway", "make_throwaway"]

TEST_NAME = "TEST SIGNATURE 試験用署名 - not valid for any procedure"


class Throwaway:
    """A key and its self-signed certificate, as DER."""

    def __init__(self, key_der: bytes, cert_der: bytes) -> None:
        self.key_der = key_der
        self.cert_der = cert_der

    def __repr__(self) -> str:
        return "Throwaway(<test key>)"

    def pkcs12(self, passphrase: bytes) -> bytes:
        """Key and certificate as a PKCS#12 file (for tests of the PKCS#12 path)."""
        key = serialization.load_der_private_key(self.key_der, None)
        cert = x509.load_der_x509_certificate(self.cert_der)
        assert isinstance(key, rsa.RSAPrivateKey)
        return pkcs12.serialize_key_and_certificates(
            b"kiosk-test", key, cert, None,
            serialization.BestAvailableEncryption(passphrase))

    def cert_pem(self) -> bytes:
        """The certificate as PEM (what a verifier is told to trust in tests)."""
        return x509.load_der_x509_certificate(self.cert_der).public_bytes(
            serialization.Encoding.PEM)


def make_throwaway(now: datetime | None = None, *, bits: int = 2048) -> Throwaway:
    """A fresh RSA key and a one-year self-signed certificate named :data:`TEST_NAME`."""
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, TEST_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "書かない窓口 kiosk (TEST)"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Throwaway(key.private_bytes(serialization.Encoding.DER,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()),
                     cert.public_bytes(serialization.Encoding.DER))
