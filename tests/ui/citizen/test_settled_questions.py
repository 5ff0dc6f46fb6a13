"""Settled questions (the form's default, or optional and blank) are checked on one screen,
each with its Change; a question that decides what else is asked keeps its own screen."""

from __future__ import annotations

import pytest

from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import DEMO_PIN

pytestmark = pytest.mark.gui

_RUN = ["phone", "certificate_kind", "scope", "include_items", "copies"]


def _to_settled(kiosk) -> None:
    """住民票 with the card: past the relationship and the reading, to the settled screen."""
    kiosk.to_identify()
    kiosk.pilot.tap("use-card")
    kiosk.pilot.tap_keys("key-", DEMO_PIN)
    kiosk.pilot.tap("pin-ok")
    kiosk.wait_for(Stage.FORMS)
    assert kiosk.tablet.visit.flow.current().field.id == "relationship"
    assert not kiosk.pilot.exists("settled")       # who applies: a decision of its own
    kiosk.pilot.tap("next")
    kiosk.pilot.tap("reading-confirm")


def test_settled__juminhyo_with_card__defaults_and_blank_optional_on_one_screen(make_kiosk):
    kiosk = make_kiosk()
    _to_settled(kiosk)

    assert kiosk.pilot.exists("settled")
    assert [q.field.id for q in kiosk.tablet.visit.flow.settled_run()] == _RUN
    for field_id in _RUN:
        assert kiosk.pilot.exists(f"change-{field_id}")
    assert kiosk.pilot.text("settled-copies") == "通数: 1 通"


def test_settled__next__passes_them_all_with_their_answers(make_kiosk):
    kiosk = make_kiosk()
    _to_settled(kiosk)

    kiosk.pilot.tap("next")

    visit = kiosk.tablet.visit
    assert visit.flow.current().field.id == "purpose"
    assert visit.flow.sessions[0].value("scope") == "all"
    assert visit.flow.sessions[0].value("copies") == 1


def test_settled__change__opens_that_question_alone_then_the_rest_together(make_kiosk):
    kiosk = make_kiosk()
    _to_settled(kiosk)

    kiosk.pilot.tap("change-scope")
    assert not kiosk.pilot.exists("settled")
    assert kiosk.tablet.visit.flow.current().field.id == "scope"
    kiosk.pilot.tap("option-some")
    kiosk.pilot.tap("next")

    assert kiosk.pilot.exists("settled")
    assert [q.field.id for q in kiosk.tablet.visit.flow.settled_run()] == ["include_items", "copies"]
    assert kiosk.tablet.visit.flow.sessions[0].value("scope") == "some"


def test_settled__back_from_the_next_question__returns_to_the_settled_screen(make_kiosk):
    kiosk = make_kiosk()
    _to_settled(kiosk)
    kiosk.pilot.tap("next")

    kiosk.pilot.tap("back")

    assert kiosk.pilot.exists("settled")
    assert kiosk.tablet.visit.flow.current().field.id == "phone"
