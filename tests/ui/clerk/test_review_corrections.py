"""Clerks' corrections are saved: reopened with reason and card value, approved and printed as
corrected; the return reason is stored and told to the citizen in their language."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from kiosk.domain.application import ApplicationStatus
from kiosk.errors import StorageError
from kiosk.i18n import translator
from kiosk.procedures.session import Provenance
from kiosk.services.review import RETURN_REASONS

CARD_NAME = "登米\u3000花子"
REASON = "住民票の表記に合わせた"


def _staff(world):
    return world.services.storage.staff.list()[0]


def _open(world):
    return world.services.review.open(world.application_id, _staff(world))


def _field(review, field_id):
    return next(f for f in review.fields() if f.field_id == field_id)


@pytest.mark.parametrize(("field_id", "value", "shown", "original"), [
    ("applicant_name", "登米\u3000華子", "登米\u3000華子", CARD_NAME),
    ("birth_date", date(1989, 1, 9), "平成元年1月9日", "平成元年1月8日"),
])
def test_edit__reopened__correction_with_reason_and_card_value(world, caplog, field_id, value,
                                                               shown, original):
    caplog.set_level(logging.DEBUG)
    _open(world).edit(field_id, value, REASON)

    reopened = _open(world)

    field = _field(reopened, field_id)
    assert (field.value, field.provenance, field.reason) == (shown, Provenance.CLERK, REASON)
    assert field.original.startswith(original)
    [correction] = world.services.storage.applications.corrections(world.application_id)
    assert (correction.field_id, correction.staff_id) == (field_id, _staff(world).id)
    for secret in ("華子", "花子", REASON):
        assert secret not in caplog.text


def test_edit__twice__original_is_the_card_value_and_latest_reason_kept(world):
    _open(world).edit("applicant_name", "登米\u3000華子", "一回目")
    _open(world).edit("applicant_name", "登米\u3000葉子", "二回目")

    field = _field(_open(world), "applicant_name")

    assert (field.value, field.original, field.reason) == ("登米\u3000葉子", CARD_NAME, "二回目")
    assert [c.field_id for c in
            world.services.storage.applications.corrections(world.application_id)] == [
        "applicant_name", "applicant_name"]


def test_edit__reopened_then_approved_and_printed__the_corrected_value_is_printed(world):
    _open(world).edit("applicant_name", "登米\u3000華子", REASON)
    printed = []
    renderer = world.services.review.renderer
    render = renderer.application

    def capture(session, pdf):
        printed.append(session.value("applicant_name"))
        return render(session, pdf)

    renderer.application = capture
    review = _open(world)

    review.approve()
    review.print_form()

    assert printed == ["登米\u3000華子"]
    assert review.status is ApplicationStatus.PRINTED


def test_edit__cannot_be_saved__field_keeps_its_value(world):
    review = _open(world)
    # Another clerk returned it meanwhile: the save is refused, nothing changes here either.
    world.services.storage.applications.set_status(
        world.application_id, ApplicationStatus.RETURNED, None, return_reason="document_needed")

    with pytest.raises(StorageError):
        review.edit("applicant_name", "登米\u3000華子", REASON)

    assert _field(review, "applicant_name").value == CARD_NAME
    assert _field(review, "applicant_name").provenance is Provenance.CARD


@pytest.mark.parametrize("reason_id", sorted(RETURN_REASONS))
def test_send_back__fixed_reason__stored_and_told_in_the_citizens_language(world, reason_id):
    review = _open(world)

    review.send_back(reason_id)

    stored = world.services.storage.applications.get(world.application_id,
                                                     world.services.review.sealer)
    assert (stored.status, stored.return_reason) == (ApplicationStatus.RETURNED, reason_id)
    assert world.services.review.returned_reasons(world.ticket_id) == [RETURN_REASONS[reason_id]]
    # The application was submitted in English.
    assert world.services.review.return_notices(world.ticket_id) == [
        translator("en")(RETURN_REASONS[reason_id])]
