"""The city-signed PDF/A: pyHanko's validator, poppler's pdfsig, PDF/A markers, bad input."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from devices.printer.pdf_render import render_application
from devices.signing.pades import pkcs12_signer, throwaway_signer
from devices.signing.pdfa import to_pdfa
from devices.signing.throwaway import make_throwaway
from devices.signing.verify import NotSignedPdfError, load_roots, verify_pdf
from kiosk.domain.signature_image import render_png
from kiosk.errors import DeviceError
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.printing import fill_form
from kiosk.procedures.sample import sample_session, sample_signature

WHEN = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def application_pdfa() -> bytes:
    session = sample_session(load_catalog().form("juminhyo"))
    session.signature_png = render_png(sample_signature())
    out = io.BytesIO()
    render_application(fill_form(session), out)
    return to_pdfa(out.getvalue(), title="住民票の写し等交付請求書 SAMPLE", when=WHEN)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A PKCS#12 key file as IT installs it, and the certificate verifiers trust."""
    made = make_throwaway()
    path = tmp_path_factory.mktemp("key") / "city.p12"
    path.write_bytes(made.pkcs12(b"pass phrase"))
    return path, made.cert_pem()


def _pdfsig(path) -> str:
    if shutil.which("pdfsig") is None:
        pytest.fail("pdfsig (poppler-utils) is missing: scripts/sysdeps.sh installs it")
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                          check=False).stdout


def test_signed_pdf__pkcs12_key_and_trust_root__valid_trusted_whole_and_pdfsig_agrees(
        application_pdfa, city, tmp_path):
    key_file, root = city
    signed = pkcs12_signer(key_file, b"pass phrase").sign(
        application_pdfa, reason="申請書の受付", location="登米市役所")
    out = tmp_path / "signed.pdf"
    out.write_bytes(signed)

    [check] = verify_pdf(signed, load_roots(root))
    report = _pdfsig(out)

    assert (check.intact, check.valid, check.trusted, check.whole_file) == (True,) * 4
    assert not check.timestamped
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report          # PAdES


def test_signed_pdf__tsa_configured__time_stamped(application_pdfa, tsa_url):
    signed = throwaway_signer(tsa_url).sign(application_pdfa, reason="r", location="l")

    [check] = verify_pdf(signed, [])

    assert check.timestamped
    assert check.intact
    assert check.valid


def test_signed_pdf__byte_changed_after_signing__not_intact_and_pdfsig_says_so(
        application_pdfa, tmp_path):
    signed = bytearray(throwaway_signer().sign(application_pdfa, reason="r", location="l"))
    spot = signed.index(b"/Title")                 # inside the signed range
    signed[spot + 1] = ord("X")
    out = tmp_path / "changed.pdf"
    out.write_bytes(signed)

    [check] = verify_pdf(bytes(signed), [])

    assert not check.intact
    assert not check.ok
    assert "Signature is Valid." not in _pdfsig(out)


def test_signed_pdf__throwaway_certificate__marked_as_test_and_not_ok(application_pdfa):
    signed = throwaway_signer().sign(application_pdfa, reason="r", location="l")

    [check] = verify_pdf(signed, [])

    assert check.test_signature
    assert not check.trusted
    assert not check.ok


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF\n"])
def test_verify_pdf__malformed__message_not_traceback(data):
    with pytest.raises(NotSignedPdfError):
        verify_pdf(data, [])


def test_verify_pdf__unsigned_pdf__no_signature_message(application_pdfa):
    with pytest.raises(NotSignedPdfError, match="no signature"):
        verify_pdf(application_pdfa, [])


def test_pkcs12_signer__wrong_passphrase__device_error(city):
    with pytest.raises(DeviceError):
        pkcs12_signer(city[0], b"wrong")


def test_pdfa__application__claims_pdfa2b_with_output_intent_and_embedded_fonts(
        application_pdfa):
    reader = PdfReader(io.BytesIO(application_pdfa))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    [intent] = root["/OutputIntents"]
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]

    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert intent.get_object()["/DestOutputProfile"].get_object()["/N"] == 3
    assert reader.trailer.get("/ID") is not None
    assert not reader.is_encrypted
    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_sign__chain_longer_than_kept_room__signed_again_with_estimate(application_pdfa,
                                                                        monkeypatch):
    from devices.signing import pades
    monkeypatch.setattr(pades, "_RESERVED", 256)

    signed = throwaway_signer().sign(application_pdfa, reason="r", location="l")

    [check] = verify_pdf(signed, [])
    assert check.intact
    assert check.valid
