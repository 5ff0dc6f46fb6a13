"""A branch's tablet with the remote counter (リモート窓口): after the ticket the visitor asks for
a specialist of the main office with one big button in their language; the request appears at
the main office's desk with the service, the language and the branch, names the visitor's
ticket, and the branch's clerk PC takes it as its own (it makes the call)."""

from __future__ import annotations

import os

import pytest

from devices.remote.simulated import SimulatedRemoteCall
from kiosk.audit.events import counter_label
from kiosk.config import RemoteConfig
from kiosk.i18n import FIRST_TIER, staff_translator
from kiosk.services.visit import Stage
from kiosk.ui.citizen.ticket_screen import TicketScreen
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel
from kiosk.ui.common.text_report import visible_texts

from .text_checks import foreign_text

pytestmark = pytest.mark.gui


def test_tablet__branch_with_remote_counter__visitor_asks__office_sees_it__branch_desk_takes_it(
        make_kiosk, qtbot):
    kiosk = make_kiosk(remote=RemoteConfig(kind="simulated", side="branch"))
    services, desk = kiosk.services, kiosk.services.remote
    assert desk is not None
    kiosk.to_review(language="vi")
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)
    button = kiosk.tablet.findChild(object, "ask-specialist")
    assert kiosk.pilot.text("ask-specialist") == \
        "Nói chuyện qua video với chuyên viên của trụ sở chính"
    screen = kiosk.tablet.findChild(TicketScreen)
    assert button.height() >= screen.target        # the tablet's touch target (design tokens)
    assert button.width() >= screen.width() // 2
    if os.environ.get("KIOSK_SHOT"):
        kiosk.tablet.grab().save(os.environ["KIOSK_SHOT"] + "-ask.png")

    kiosk.pilot.tap("ask-specialist")

    assert not kiosk.pilot.exists("ask-specialist")                  # asked once
    assert kiosk.pilot.text("specialist-asked").startswith("Đã gọi chuyên viên")
    if os.environ.get("KIOSK_SHOT"):
        kiosk.tablet.grab().save(os.environ["KIOSK_SHOT"] + "-asked.png")
    [asked] = desk.waiting()
    branch_name = services.config.device.counter
    assert (asked.service, asked.language, asked.branch) == ("A", "vi", counter_label(branch_name))
    assert asked.visit_ticket_id is not None
    assert kiosk.tablet.visit.ticket.ticket_id == asked.visit_ticket_id   # type: ignore[union-attr]

    tr = staff_translator("ja")
    office = RemotePanel(tr, desk, lambda _t: SimulatedRemoteCall(connect_s=0.0), services.clock)
    qtbot.addWidget(office)
    assert [office.table.item(0, c).text() for c in range(3)] == ["A", "vi", asked.branch]

    branch = BranchRemotePanel(tr, desk, lambda _t: SimulatedRemoteCall(connect_s=0.0),
                               services.service_names(), branch_name)
    qtbot.addWidget(branch)
    qtbot.waitUntil(lambda: branch.ticket is not None, timeout=10_000)
    assert branch.ticket is not None
    assert branch.ticket.id == asked.id
    assert branch.language.currentData() == "vi"
    assert branch.withdraw_button.isEnabled()
    assert "タブレット" in branch.state.text()

    office._on_accept()
    qtbot.waitUntil(lambda: branch.call is not None, timeout=10_000)   # the branch's PC calls
    office.end_call()
    branch.close_panel()


def test_tablet__no_remote_counter__no_specialist_button(make_kiosk):
    kiosk = make_kiosk()
    kiosk.to_review()
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)
    assert not kiosk.pilot.exists("ask-specialist")


@pytest.mark.slow
@pytest.mark.parametrize("code", FIRST_TIER)
def test_tablet__specialist_button_and_notice__whole_in_the_visitors_language_at_150(
        make_kiosk, code):
    kiosk = make_kiosk(remote=RemoteConfig(kind="simulated", side="branch"), text_scale=150)
    kiosk.to_review(language=code)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)
    for shown in ("ask-specialist", "specialist-asked"):
        if shown == "specialist-asked":
            kiosk.pilot.tap("ask-specialist")
        kiosk.pilot.settle()
        texts = [text for text in visible_texts(kiosk.tablet) if text["name"] == shown]
        assert len(texts) == 1, shown
        assert not texts[0]["elided"], texts
        assert not foreign_text(texts[0], code), texts
