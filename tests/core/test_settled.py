"""Which answers are settled (need no tap of their own) and which decide what is asked."""

from __future__ import annotations

from datetime import date

from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.session import FormSession
from kiosk.services.settled import deciders, is_settled


def _juminhyo() -> FormSession:
    return FormSession(load_catalog().form("juminhyo"), {}, today=date(2026, 12, 5))


def test_settled__form_default__is_settled_until_the_visitor_answers():
    session = _juminhyo()
    assert is_settled(session, "scope")

    session.set("scope", "some")

    assert not is_settled(session, "scope")


def test_settled__optional_blank__is_settled_required_blank_is_not():
    session = _juminhyo()

    assert is_settled(session, "phone")
    assert not is_settled(session, "purpose")


def test_settled__a_field_that_decides_what_is_asked__never_is():
    session = _juminhyo()

    assert "relationship" in deciders(session.definition)
    assert not is_settled(session, "relationship")
