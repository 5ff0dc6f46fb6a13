"""What a citizen typed once in a visit reaches the other forms that take it (prefill: visit.<id>)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.procedures.session import Provenance
from kiosk.services.visit import Visit

DECEASED = "登米\u3000一郎"


@pytest.fixture
def visit(tmp_path):
    services = build_services(load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)}),
                              demo=True)
    yield Visit(services.events, "ja", forms=services.forms, clock=services.clock,
                identity_reader=services.identity_reader, queue=services.queue,
                submissions=services.submissions)
    services.close()


def _answer_until(visit: Visit, field_id: str, value: Any) -> None:
    """Walk the questions, answering ``field_id`` with ``value`` and skipping the rest."""
    while (question := visit.flow.current()) is not None:
        if question.field.id == field_id:
            visit.flow.answer(value)
            return
        visit.flow.index += 1
    raise AssertionError(f"{field_id} was never asked")


def _session(visit: Visit, form_id: str):
    return next(s for s in visit.flow.sessions if s.definition.id == form_id)


def _start(visit: Visit, *form_ids: str) -> None:
    visit.start()
    for form_id in form_ids:
        visit.toggle(form_id)
    visit.confirm_procedures()
    visit.card.continue_without()


def test_visit__deceased_named_once__fills_the_owner_and_the_previous_head(visit):
    _start(visit, "kouki_sousai", "hyoka_shomei", "setainushi_henkou")

    _answer_until(visit, "deceased_name", DECEASED)

    for form_id, field_id in (("hyoka_shomei", "owner_name"), ("setainushi_henkou", "old_head")):
        session = _session(visit, form_id)
        assert session.value(field_id) == DECEASED
        assert session.provenance(field_id) is Provenance.VISIT


def test_visit__deceased_corrected__carried_value_follows(visit):
    _start(visit, "kouki_sousai", "setainushi_henkou")
    _answer_until(visit, "deceased_name", "登米\u3000二郎")
    visit.flow.index = 0

    _answer_until(visit, "deceased_name", DECEASED)

    assert _session(visit, "setainushi_henkou").value("old_head") == DECEASED


def test_visit__field_answered_by_citizen__is_not_overwritten(visit):
    _start(visit, "setainushi_henkou", "kouki_sousai")
    _answer_until(visit, "old_head", "佐沼\u3000花子")

    _answer_until(visit, "deceased_name", DECEASED)

    session = _session(visit, "setainushi_henkou")
    assert session.value("old_head") == "佐沼\u3000花子"
    assert session.provenance("old_head") is Provenance.CITIZEN
