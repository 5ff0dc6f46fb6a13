"""The talk page tells the conversation which visit it serves, so its usage records name it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_talk__opened_during_a_visit__conversation_names_the_visit_until_it_ends(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    session = kiosk.tablet.visit.session_id

    kiosk.pilot.tap("talk")
    kiosk.pilot.settle()
    named = kiosk.services.conversation.session
    kiosk.tablet.visit.end("cancel")
    kiosk.pilot.settle()

    assert session
    assert named == session
    assert kiosk.services.conversation.session == ""
