"""A citizen's visit writes its usage events (stages, outcomes, durations), never personal data."""

from __future__ import annotations

import pytest

from kiosk.app import build_services
from kiosk.audit import (
    CardRead,
    LanguageChosen,
    ListUsage,
    PinOutcome,
    ProceduresChosen,
    SessionEnded,
    SessionStarted,
)
from kiosk.config import load_config
from kiosk.services.visit import CardOutcome, Visit


@pytest.fixture
def visit(tmp_path):
    services = build_services(load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)}),
                              demo=True)
    usage = ListUsage()
    yield Visit(services.events, "ja", forms=services.forms, clock=services.clock,
                identity_reader=services.identity_reader, queue=services.queue,
                submissions=services.submissions, usage=usage), usage
    services.close()


def test_visit__wrong_pin_then_right__records_each_outcome_in_order(visit):
    visit, usage = visit
    visit.start()
    visit.set_language("vi")
    visit.toggle("juminhyo")
    visit.confirm_procedures()

    assert visit.card.read("9999").outcome is CardOutcome.WRONG_PIN
    assert visit.card.read("1234").outcome is CardOutcome.READ
    visit.end("done")

    kinds = [type(event) for event in usage.events]
    assert kinds == [SessionStarted, LanguageChosen, ProceduresChosen, PinOutcome, CardRead,
                     PinOutcome, CardRead, SessionEnded]
    session = usage.events[0].session
    assert all(event.session == session for event in usage.events)
    assert usage.events[2].forms == ("juminhyo",)
    assert (usage.events[3].outcome, usage.events[3].tries_left) == ("wrong", 2)
    assert usage.events[4].ok is False
    assert (usage.events[5].outcome, usage.events[6].ok) == ("ok", True)
    assert usage.events[5].tries_left is None        # the right PIN: no count, never 0
    assert usage.events[7].reason == "done"


def test_visit__events__hold_no_personal_datum_of_the_card(visit):
    visit, usage = visit
    visit.start()
    visit.toggle("juminhyo")
    visit.confirm_procedures()
    visit.card.read("1234")
    visit.end("done")

    # The random session id is left out: its hex digits could spell "1234" by chance.
    recorded = " ".join(str({k: v for k, v in event.data().items() if k != "session"})
                        for event in usage.events)
    for datum in ("試験", "花子", "霞が関", "1985", "19850412", "1234"):
        assert datum not in recorded


def test_visit__language_switch_on_welcome__is_not_a_session_event(visit):
    visit, usage = visit

    visit.set_language("en")

    assert usage.events == []
