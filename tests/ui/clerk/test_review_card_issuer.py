"""The clerk's review says when card values were not verified against the issuer, and shows
no control or bidi character, whatever was stored."""

from __future__ import annotations

import pytest

from kiosk.domain.application import Provenance as StoredProvenance
from kiosk.domain.application import Submission
from kiosk.i18n import staff_translator
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Provenance
from kiosk.procedures.stored import to_stored
from kiosk.ui.clerk.review_panel import ReviewPanel

REASON = "住民票の表記に合わせた"


def _submit(world, card: StoredProvenance, name: str | None = None) -> int:
    services = world.services
    form = services.forms.form("juminhyo")
    session = sample_session(form, today=services.clock.now().date())
    answers = to_stored(session, card=card)
    if name is not None:
        answers["applicant_name"] = answers["applicant_name"].__class__(name, card)
    issued = services.queue.take_ticket("A")
    result = services.submissions.submit(Submission(form.id, form.version, "ja", answers,
                                                    issued.ticket.id))
    assert result.application_id is not None
    return result.application_id


def _open(world, application_id: int):
    staff = world.services.storage.staff.list()[0]
    return world.services.review.open(application_id, staff)


def _field(review, field_id):
    return next(f for f in review.fields() if f.field_id == field_id)


@pytest.mark.parametrize(("card", "unverified"), [(StoredProvenance.CARD_UNVERIFIED, True),
                                                  (StoredProvenance.CARD, False)])
def test_review_fields__card_values__marked_while_not_verified(world, card, unverified):
    review = _open(world, _submit(world, card))
    name = _field(review, "applicant_name")
    assert name.provenance is Provenance.CARD
    assert name.card_unverified is unverified


def test_review_fields__after_a_correction__still_marked_unverified(world):
    application_id = _submit(world, StoredProvenance.CARD_UNVERIFIED)
    review = _open(world, application_id)
    review.edit("copies", 2, REASON)
    reopened = _open(world, application_id)
    assert _field(reopened, "birth_date").card_unverified


def test_review_panel__unverified_card__source_says_so(world, qtbot):
    review = _open(world, _submit(world, StoredProvenance.CARD_UNVERIFIED))
    panel = ReviewPanel(staff_translator("ja"), str)
    qtbot.addWidget(panel)
    panel.show_application(review)
    row = [f.field_id for f in panel.fields].index("applicant_name")
    assert "⚠" in panel.table.item(row, 0).text()
    assert "未検証" in panel.table.item(row, 0).text()


def test_review_fields__stored_bidi_override__clerk_sees_logical_order(world):
    review = _open(world, _submit(world, StoredProvenance.CARD, name="悪意\u202e\x1b\u3000太郎"))
    assert _field(review, "applicant_name").value == "悪意\u3000太郎"
