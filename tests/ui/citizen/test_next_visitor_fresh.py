"""After a visit ends, the next visitor's procedure list starts fresh: at the top, nothing chosen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton

from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import answer_current

pytestmark = pytest.mark.gui


def _choose_far_down(kiosk, procedure: str = "juminhyo") -> None:
    """Start, scroll the long list to ``procedure`` as a finger would, choose it."""
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    page = kiosk.tablet.stack.currentWidget()
    page.ensureWidgetVisible(kiosk.pilot.find(f"procedure-{procedure}"))
    kiosk.pilot.tap(f"procedure-{procedure}")
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    kiosk.pilot.settle()


def _to_ticket(kiosk) -> None:
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)
    kiosk.pilot.tap("no-card")
    while kiosk.stage is not Stage.REVIEW:
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)


def _next_visitor_sees(kiosk) -> tuple[int, bool, list[str]]:
    """The next visitor starts: scroll position, whether 次へ can be tapped, what is checked."""
    kiosk.wait_for(Stage.WELCOME)
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    page = kiosk.tablet.stack.currentWidget()
    checked = [toggle.objectName() for toggle in kiosk.tablet.findChildren(QAbstractButton)
               if toggle.objectName().startswith("procedure-") and toggle.isChecked()
               and toggle.isVisibleTo(kiosk.tablet)]
    return page.verticalScrollBar().value(), kiosk.pilot.find("next").isEnabled(), checked


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_choose_screen__after_a_finished_visit__starts_at_the_top_with_nothing_chosen(
        make_kiosk, language):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language(language)
    _choose_far_down(kiosk)
    _to_ticket(kiosk)

    kiosk.pilot.tap("finish")

    assert _next_visitor_sees(kiosk) == (0, False, [])


def test_choose_screen__after_an_unattended_visit_is_wiped__starts_at_the_top_with_nothing_chosen(
        make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("vi")
    _choose_far_down(kiosk)

    kiosk.tablet.visit.end("idle")   # what the idle guard does when no one touches the tablet

    assert _next_visitor_sees(kiosk) == (0, False, [])
