"""Clerks' corrections at rest: sealed with reason and original, recorded by field id, and the
return reason stored with the application."""

from __future__ import annotations

import json
import logging

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import text

from kiosk.domain.application import ApplicationStatus, Provenance, StoredAnswer, Submission
from kiosk.domain.staff import Role
from kiosk.services.applications import SubmissionService
from kiosk.storage.application_store import StatusError
from kiosk.storage.outbox import Outbox

NAME = "登米　花子"
CORRECTED = "登米　華子"
ADDRESS = "宮城県登米市迫町佐沼字中江二丁目6番地1"
REASON = "住民票の表記に合わせた"


@pytest.fixture
def submissions(storage, sealer, clock, tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    yield SubmissionService(storage.applications, outbox, sealer, clock)
    outbox.close()


@pytest.fixture
def clerk_id(storage):
    return storage.staff.add("clerk1", "窓口一郎", Role.CLERK, "scrypt$x").id


def _submit(submissions, ticket_id=None, status=ApplicationStatus.IN_REVIEW):
    answers = {"name": StoredAnswer(NAME, Provenance.CARD), "address": StoredAnswer(ADDRESS, Provenance.CARD)}
    app_id = submissions.submit(Submission("juminhyo", "2026.1", "vi", answers,
                                           ticket_id)).application_id
    if status is not ApplicationStatus.SUBMITTED:
        submissions._store.set_status(app_id, status, None)
    return app_id


def _corrected(value=CORRECTED, reason=REASON):
    return {"name": StoredAnswer(value, Provenance.CLERK, reason, NAME),
            "address": StoredAnswer(ADDRESS, Provenance.CARD)}


def test_save_corrections__in_review__sealed_with_reason_and_original(storage, submissions,
                                                                      sealer, clerk_id, caplog):
    app_id = _submit(submissions)
    caplog.set_level(logging.DEBUG)

    storage.applications.save_corrections(app_id, _corrected(), ["name"], clerk_id, sealer)

    stored = storage.applications.get(app_id, sealer).answers
    assert stored["name"] == StoredAnswer(CORRECTED, Provenance.CLERK, REASON, NAME)
    assert stored["address"] == StoredAnswer(ADDRESS, Provenance.CARD)
    [correction] = storage.applications.corrections(app_id)
    assert (correction.field_id, correction.staff_id) == ("name", clerk_id)
    with storage.engine.connect() as connection:
        raw = connection.execute(text("SELECT answers_sealed FROM applications")).scalar_one()
    for secret in (CORRECTED, NAME, REASON):
        assert secret.encode("utf-8") not in bytes(raw)
        assert secret not in caplog.text
    assert "name" in caplog.text


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED])
def test_save_corrections__not_in_review__refused_and_unchanged(storage, submissions, sealer,
                                                               clerk_id, status):
    app_id = _submit(submissions, status=ApplicationStatus.SUBMITTED)
    if status is ApplicationStatus.RETURNED:
        storage.applications.set_status(app_id, ApplicationStatus.IN_REVIEW, None)
        storage.applications.set_status(app_id, status, None, return_reason="document_needed")

    with pytest.raises(StatusError):
        storage.applications.save_corrections(app_id, _corrected(), ["name"], clerk_id, sealer)

    assert storage.applications.get(app_id, sealer).answers["name"].value == NAME
    assert storage.applications.corrections(app_id) == []


@pytest.mark.parametrize(("answers", "field"), [
    (_corrected(reason=""), "name"),                                  # no reason
    ({"name": StoredAnswer(CORRECTED, Provenance.CITIZEN)}, "name"),        # not the clerk's
    (_corrected(), "phone"),                                          # not in the answers
])
def test_save_corrections__not_a_reasoned_clerk_answer__value_error(storage, submissions, sealer,
                                                                    clerk_id, answers, field):
    app_id = _submit(submissions)

    with pytest.raises(ValueError, match=field):
        storage.applications.save_corrections(app_id, answers, [field], clerk_id, sealer)

    assert storage.applications.corrections(app_id) == []


@pytest.mark.parametrize(("stored", "expected"), [
    (["x", "card"], StoredAnswer("x", Provenance.CARD)),          # as submissions were always sealed
    (["y", "clerk", "typo", "x"], StoredAnswer("y", Provenance.CLERK, "typo", "x")),
    (["y", "clerk", "added", None], StoredAnswer("y", Provenance.CLERK, "added", None)),
])
def test_sealer__stored_answer_forms__open_and_round_trip(sealer, stored, expected):
    # The sealer fixture's key, used directly: this is the byte format on disk.
    nonce = bytes(12)
    blob = nonce + AESGCM(bytes(range(32))).encrypt(
        nonce, json.dumps({"f": stored}).encode("utf-8"), b"key-1")

    assert sealer.open(blob, "key-1") == {"f": expected}
    assert sealer.open(sealer.seal({"f": expected}, "key-1"), "key-1") == {"f": expected}


def test_return_reason__returned__stored_and_listed_for_the_ticket(storage, submissions, sealer):
    ticket = storage.queue.issue("A")
    returned, kept = _submit(submissions, ticket.id), _submit(submissions, ticket.id)

    storage.applications.set_status(returned, ApplicationStatus.RETURNED, None,
                                    return_reason="document_needed")

    assert storage.applications.get(returned, sealer).return_reason == "document_needed"
    assert storage.applications.get(kept, sealer).return_reason == ""
    [listed] = storage.applications.returned_for_ticket(ticket.id)
    assert (listed.application_id, listed.language, listed.reason_id) == (
        returned, "vi", "document_needed")


def test_return_reason__with_another_move__value_error(storage, submissions):
    app_id = _submit(submissions)

    with pytest.raises(ValueError, match="returned"):
        storage.applications.set_status(app_id, ApplicationStatus.APPROVED, None,
                                        return_reason="document_needed")
