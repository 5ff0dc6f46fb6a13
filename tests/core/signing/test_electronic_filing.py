"""Approve → file as a city-signed PDF: the store, the status, the usage report, the purge."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from devices.signing.throwaway import make_throwaway
from devices.signing.verify import load_roots, verify_pdf
from kiosk.app import build_services
from kiosk.audit import build_report, iter_records
from kiosk.config import load_config
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.domain.signature import SIGNATURE_KEY
from kiosk.domain.staff import Role
from kiosk.procedures.sample import sample_session, sample_signature
from kiosk.procedures.stored import to_stored
from kiosk.services.review import ReviewError
from kiosk.services.signature_capture import SignatureCapture
from kiosk.services.staff import StaffService
from kiosk.storage.sealing import generate_key_text


@pytest.fixture
def clerk_pc(tmp_path):
    """A clerk PC with the city's key in a PKCS#12 file and its passphrase in a 0600 file."""
    made = make_throwaway()
    (tmp_path / "city.p12").write_bytes(made.pkcs12(b"secret"))
    secret = tmp_path / "passphrase"
    secret.write_text("secret\n")
    secret.chmod(0o600)
    config = load_config(None, environ={
        "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(), "KIOSK_SPEECH_KIND": "off",
        "KIOSK_SIGNING_KIND": "pkcs12", "KIOSK_SIGNING_PKCS12": str(tmp_path / "city.p12"),
        "KIOSK_SIGNING_PASSPHRASE_FILE": str(secret)})
    services = build_services(config)
    staff = StaffService(services.storage.staff).add("clerk1", "窓口一郎", Role.SUPERVISOR,
                                                     "counter-password-1")
    yield services, staff, made.cert_pem()
    services.close()


def _submit(services, form_id: str, *, signed: bool) -> int:
    form = services.forms.form(form_id)
    answers = to_stored(sample_session(form, today=services.clock.now().date()))
    if signed:
        capture = SignatureCapture()
        signature = sample_signature()
        for stroke in signature.strokes:
            capture.add_stroke(list(stroke.points), signature.width, signature.height)
        answer = capture.answer()
        assert answer is not None
        answers[SIGNATURE_KEY] = answer
    issued = services.queue.take_ticket("A")
    result = services.submissions.submit(Submission(form.id, form.version, "vi", answers,
                                                    issued.ticket.id))
    assert result.application_id is not None
    return result.application_id


def _approved(services, staff, application_id):
    review = services.review.open(application_id, staff)
    review.approve()
    return review


def test_file_signed__signed_on_tablet__private_verified_file_and_filed(clerk_pc):
    services, staff, root = clerk_pc
    review = _approved(services, staff, _submit(services, "juminhyo", signed=True))
    assert review.can_file()

    path = review.file_signed()

    [check] = verify_pdf(path.read_bytes(), load_roots(root))
    assert check.intact
    assert check.valid
    assert check.trusted
    assert check.whole_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert review.status is ApplicationStatus.FILED
    stored = services.storage.applications.get(review.application.id, services.review.sealer)
    assert stored.status is ApplicationStatus.FILED
    review.finish()
    assert review.status is ApplicationStatus.DONE


def test_file_signed__not_signed_on_tablet__refused_so_paper_is_printed(clerk_pc):
    services, staff, _ = clerk_pc
    review = _approved(services, staff, _submit(services, "juminhyo", signed=False))

    assert not review.can_file()
    with pytest.raises(ReviewError, match="did not sign"):
        review.file_signed()
    assert review.status is ApplicationStatus.APPROVED


def test_file_signed__paper_procedure__refused(clerk_pc):
    services, staff, _ = clerk_pc
    review = _approved(services, staff, _submit(services, "fuhyo", signed=True))

    assert review.delivery == "paper"
    with pytest.raises(ReviewError, match="on paper"):
        review.file_signed()


def test_file_signed__twice__second_refused_and_one_file(clerk_pc):
    services, staff, _ = clerk_pc
    review = _approved(services, staff, _submit(services, "juminhyo", signed=True))
    review.file_signed()

    with pytest.raises(ReviewError):
        review.file_signed()
    assert sum(services.review.filing.documents.counts().values()) == 1


def test_usage_report__filed_applications__pages_not_printed_equal_to_store(clerk_pc):
    services, staff, _ = clerk_pc
    for _ in range(3):
        _approved(services, staff, _submit(services, "juminhyo", signed=True)).file_signed()
    _approved(services, staff, _submit(services, "juminhyo", signed=False))   # paper
    today = services.clock.now().date()

    report = build_report(iter_records(services.config.audit_dir), today, today, {})

    store = services.review.filing.documents.counts()
    assert dict(report.pages_not_printed) == dict(store)
    assert sum(store.values()) == 3


def test_purge__finished_signed_application__signature_gone_with_answers(clerk_pc):
    services, staff, _ = clerk_pc
    review = _approved(services, staff, _submit(services, "juminhyo", signed=True))
    assert review.session.signature_png is not None
    review.file_signed()
    review.finish()

    services.storage.applications.purge_answers(services.clock.now() + timedelta(hours=1))

    stored = services.storage.applications.get(review.application.id, services.review.sealer)
    assert SIGNATURE_KEY not in stored.answers
    assert stored.purged


def test_clerk_correction__signed_application__signature_kept(clerk_pc):
    services, staff, _ = clerk_pc
    application_id = _submit(services, "juminhyo", signed=True)
    review = services.review.open(application_id, staff)

    review.edit("phone", "0220-22-9999", "本人の申し出")

    again = services.review.open(application_id, staff)
    assert again.session.signature_png == review.session.signature_png
    assert again.session.signature_png is not None
