"""Hypothesis feeds random answers to every form: only coded errors, never a crash."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.printing import fill_form
from kiosk.procedures.session import AnswerLockedError, FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError

CATALOG = load_catalog()
FORM_IDS = sorted(CATALOG.forms)

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=40) | st.dates(date(1800, 1, 1), date(2100, 1, 1))
    | st.sampled_from(["self", "proxy", "tennyu", "join", "leave", "1", "2", "令和元年5月1日",
                       "平成31年5月1日", "123456789018", "とめ はなこ", "𠮷野"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["name", "reading", "birth_date", "sex", "relation", "lives_with"]), inner,
        max_size=4),
    max_leaves=8)


@pytest.mark.parametrize("form_id", FORM_IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_session__random_answers__never_crash(form_id: str, data: st.DataObject) -> None:
    form = CATALOG.form(form_id)
    ids = [item.id for item in form.fields]
    session = FormSession(form, {"card.name": data.draw(values), "card.sex": data.draw(values),
                                 "card.birth_date": data.draw(values)},
                          today=date(2026, 4, 1), application_id="H-1")
    errors: list[str] = []
    for _ in range(data.draw(st.integers(0, 12))):
        field = data.draw(st.sampled_from(ids))
        value: Any = data.draw(values)
        by = data.draw(st.sampled_from([Provenance.CITIZEN, Provenance.CLERK]))
        try:
            session.set(field, value, by=by, reason=data.draw(st.sampled_from(["", "理由"])))
        except (InvalidAnswerError, AnswerLockedError) as exc:
            errors.append(exc.message_id)
    assert all(errors)
    for item in form.fields:
        session.is_visible(item.id)
        session.is_required(item.id)
        session.is_readonly(item.id)
    session.validate()
    session.total_fee()
    fill_form(session)
