"""The city's key on a PKCS#11 token: SoftHSM2 stands in for the HSM or IC card."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from devices.printer.pdf_render import render_application
from devices.signing.pades import pkcs11_signer
from devices.signing.throwaway import make_throwaway
from devices.signing.verify import load_roots, verify_pdf
from kiosk.errors import DeviceError
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.printing import fill_form
from kiosk.procedures.sample import sample_session

MODULES = [Path("/usr/lib/softhsm/libsofthsm2.so"),
           Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")]


def _module() -> Path:
    found = next((m for m in MODULES if m.exists()), None)
    missing = found is None or shutil.which("softhsm2-util") is None
    try:
        import pkcs11  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail("softhsm2 or python-pkcs11 missing (scripts/sysdeps.sh, the dev extra)")
        pytest.skip("softhsm2 or python-pkcs11 not installed")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM2 token "city" holding the key and certificate labelled "app-signing"."""
    module = _module()
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)    # read by the module at its first C_Initialize
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "city",
                    "--pin", "1234", "--so-pin", "5678"], check=True, capture_output=True)
    made = make_throwaway()
    key = serialization.load_der_private_key(made.key_der, None)
    pem = folder / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "city", "--label",
                    "app-signing", "--id", "01", "--pin", "1234"], check=True,
                   capture_output=True)
    pem.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    cert = x509.load_der_x509_certificate(made.cert_der)
    with pkcs11.lib(str(module)).get_token(token_label="city").open(
            user_pin="1234", rw=True) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
            Attribute.LABEL: "app-signing", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.VALUE: made.cert_der})
    return module, made.cert_pem()


def test_pkcs11_signer__softhsm_token__signature_valid_and_trusted(token):
    module, root = token
    out = io.BytesIO()
    render_application(fill_form(sample_session(load_catalog().form("fuhyo"))), out)

    signed = pkcs11_signer(module, "city", "app-signing", "1234").sign(
        out.getvalue(), reason="申請書の受付", location="登米市役所")

    [check] = verify_pdf(signed, load_roots(root))
    assert check.intact
    assert check.valid
    assert check.trusted


def test_pkcs11_signer__wrong_pin__device_error(token):
    module, _ = token

    with pytest.raises(DeviceError):
        pkcs11_signer(module, "city", "app-signing", "0000")
