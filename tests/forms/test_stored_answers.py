"""The stored-answer converter: every bundled form's answers survive storing and reopening."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.application import Provenance, StoredAnswer
from kiosk.procedures.catalog import FormCatalog, load_catalog
from kiosk.procedures.sample import SAMPLE_CARD, sample_value
from kiosk.procedures.session import Answer, AnswerLockedError, FormSession
from kiosk.procedures.stored import restore, restored_answers, to_stored
from kiosk.procedures.values import InvalidAnswerError
from kiosk.storage.sealing import AnswerSealer

CATALOG = load_catalog()
FORM_IDS = sorted(CATALOG.forms)
TODAY = date(2026, 4, 1)
SEALER = AnswerSealer(b"\x01" * 32)

# Raw answers as a citizen, a clerk or the register may give them: the session coerces them.
raw_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30) | st.dates(date(1870, 1, 1), date(2100, 1, 1))
    | st.sampled_from(["1", "2", "true", "[1]", "null", "\"x\"", "令和元年5月1日", "0220-22-2111",
                       "987-0511", "123456789018", "トメ ハナコ", "𠮷野", "葛\U000E0100城"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "reading", "birth_date", "sex", "relation"]), inner,
        max_size=3),
    max_leaves=6)
answer_sources = st.sampled_from([Provenance.CITIZEN, Provenance.VISIT, Provenance.REGISTER,
                                  Provenance.CLERK])


@pytest.mark.parametrize("form_id", FORM_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_to_stored__then_restore__gives_the_same_answers(form_id: str,
                                                         data: st.DataObject) -> None:
    form = CATALOG.form(form_id)
    card = data.draw(st.sampled_from([{}, SAMPLE_CARD]))
    session = FormSession(form, card, today=TODAY, application_id="H-1")
    for item in form.fields:
        if not item.type.holds_value or item.calculate is not None or not data.draw(st.booleans()):
            continue
        value: Any = data.draw(st.just(sample_value(form, item)) | raw_values)
        try:
            session.set(item.id, value, by=data.draw(answer_sources), reason="訂正")
        except (InvalidAnswerError, AnswerLockedError):
            continue
    verified = data.draw(st.sampled_from([Provenance.CARD, Provenance.CARD_UNVERIFIED]))

    stored = to_stored(session, card=verified)
    # Through the sealed form too: what storage writes is what it reads back.
    reopened = SEALER.open(SEALER.seal(stored, "k"), "k")

    assert restored_answers(form, reopened) == session.answers
    assert all(answer.provenance is verified for field_id, answer in stored.items()
               if session.answers[field_id].provenance is Provenance.CARD)


def test_to_stored__visit_answer__is_stored_as_visit_not_citizen(catalog: FormCatalog) -> None:
    form = catalog.form("idou")
    session = FormSession(form, {"visit.household_head": "登米\u3000太郎"}, today=TODAY)

    stored = to_stored(session)

    assert stored["household_head"] == StoredAnswer("登米\u3000太郎", Provenance.VISIT)


def test_restore__rows_stored_before__load_with_their_old_provenance(catalog: FormCatalog
                                                                      ) -> None:
    form = catalog.form("juminhyo")
    # As earlier versions sealed them: a visit's answer said "citizen".
    sealed = SEALER.seal({
        "applicant_name": StoredAnswer("登米\u3000花子", Provenance("card-unverified")),
        "birth_date": StoredAnswer("1989-01-08", Provenance("citizen")),
        "purpose": StoredAnswer("", Provenance.CLERK, "不要", "x"),     # cleared by a clerk
        "gone_field": StoredAnswer("old", Provenance.CITIZEN)}, "k")    # an older form version

    session = restore(form, SEALER.open(sealed, "k"), today=TODAY, application_id="7")

    assert session.answers == {
        "applicant_name": Answer("登米\u3000花子", Provenance.CARD, locked=True),
        "birth_date": Answer(date(1989, 1, 8), Provenance.CITIZEN)}
    assert session.application_id == "7"
    assert session.is_readonly("applicant_name")


def test_restore__text_that_no_longer_fits__is_kept_as_stored(catalog: FormCatalog) -> None:
    form = catalog.form("juminhyo")

    answers = restored_answers(form, {"birth_date": StoredAnswer("昔の日付", Provenance.CITIZEN)})

    assert answers["birth_date"].value == "昔の日付"


def test_session_revert__puts_back_or_clears_the_answer(catalog: FormCatalog) -> None:
    session = FormSession(catalog.form("juminhyo"), today=TODAY)
    session.set("birth_date", "1989-01-08")
    session.set("phone", "0220-22-2111")

    session.revert("birth_date", None)
    session.revert("phone", Answer("x", Provenance.CLERK, reason="r"))

    assert "birth_date" not in session.answers
    assert session.answers["phone"] == Answer("x", Provenance.CLERK, reason="r")


def test_session_restore__replaces_every_answer(catalog: FormCatalog) -> None:
    session = FormSession(catalog.form("juminhyo"), SAMPLE_CARD, today=TODAY)
    kept = {"purpose": Answer("x", Provenance.REGISTER)}

    session.restore(kept)

    assert session.answers == kept
