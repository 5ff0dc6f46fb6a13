"""A walk through every screen of the tablet, for screenshots and accessibility checks.

It drives the simulated card of the demo configuration (PIN 1234 of the test person) with
the pilot, stopping at each screen: welcome, the language sheet, the talk page, choice, a life event, card
choice, PIN pad, each kind of question, review and ticket.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.procedures.model import FieldType
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tablet import CitizenTablet
from kiosk.ui.common.pilot import KioskPilot

__all__ = ["DEMO_PIN", "answer_current", "tour"]

DEMO_PIN = "1234"   # the simulated test person's PIN (devices/smartcard/persons/plain.toml)


def _at(tablet: CitizenTablet, pilot: KioskPilot, stage: Stage) -> None:
    page = f"page-{stage.value}"
    def shown() -> bool:
        current = tablet.stack.currentWidget()
        return tablet.visit.stage is stage and current is not None and \
            current.objectName() == page

    pilot.wait_until(shown, page)


def answer_current(tablet: CitizenTablet, pilot: KioskPilot) -> None:
    """Give the current question a plausible answer by taps, then tap Next."""
    question = tablet.visit.flow.current()
    if question is None:
        return
    # Settled answers are checked with one tap; a proposed reading is confirmed with one.
    shortcut = "next" if pilot.exists("settled") else \
        "reading-confirm" if pilot.exists("reading-confirm") else ""
    if shortcut:
        pilot.tap(shortcut)
        return
    kind, session = question.field.type, tablet.visit.flow.session_of(question)
    options = session.options(question.field.id)
    if kind is FieldType.READING or kind in (FieldType.NAME, FieldType.TEXT):
        pilot.tap_keys("kana-", "トメ")
    elif kind is FieldType.PHONE:
        pilot.tap_keys("key-", "0220221111")
    elif kind is FieldType.POSTAL_CODE:
        pilot.tap_keys("key-", "9870511")
    elif kind is FieldType.ADDRESS:
        pilot.tap("town-0")
        pilot.tap_keys("key-", "6-1")
    elif kind in (FieldType.YES_NO, FieldType.CONSENT):
        pilot.tap("yes")
    elif kind in (FieldType.SELECT, FieldType.MULTISELECT) and options and \
            session.value(question.field.id) in (None, "", []):
        pilot.tap(f"option-{options[0].value}")
    elif kind is FieldType.NUMBER and session.value(question.field.id) is None:
        pilot.tap("plus")
    pilot.tap("next")


def _header_pages(tablet: CitizenTablet, pilot: KioskPilot) -> Iterator[str]:
    """The pages the header opens over the Welcome: the language sheet, the talk page."""
    pilot.tap("language")
    yield "01-language-sheet"
    pilot.tap("language-close")     # in the footer's Back place
    _at(tablet, pilot, Stage.WELCOME)
    if pilot.exists("talk"):        # offered where a clerk's desk can answer
        pilot.tap("talk")
        yield "01-talk"
        pilot.tap("talk-back")
        _at(tablet, pilot, Stage.WELCOME)


def tour(tablet: CitizenTablet, pilot: KioskPilot) -> Iterator[str]:
    """Drive ``tablet`` through every screen, yielding a name for each stop."""
    _at(tablet, pilot, Stage.WELCOME)
    yield "01-welcome"
    yield from _header_pages(tablet, pilot)
    pilot.tap("start")
    _at(tablet, pilot, Stage.CHOOSE)
    yield "02-choose"
    pilot.tap("event-bundle_tennyu")
    _at(tablet, pilot, Stage.LIFE_EVENT)
    pilot.tap("q-employer_insurance-no")
    yield "03-life-event"
    pilot.tap("back")
    _at(tablet, pilot, Stage.CHOOSE)
    pilot.tap("procedure-juminhyo")
    pilot.tap("next")
    _at(tablet, pilot, Stage.IDENTIFY)
    yield "04-identify"
    pilot.tap("use-card")
    yield "05-pin"
    pilot.tap_keys("key-", DEMO_PIN)
    pilot.tap("pin-ok")
    _at(tablet, pilot, Stage.FORMS)
    seen: set[FieldType] = set()
    settled_seen = False
    while tablet.visit.stage is Stage.FORMS:
        question = tablet.visit.flow.current()
        if pilot.exists("settled"):
            if not settled_seen:
                settled_seen = True
                yield "06-question-settled"
            # Each kind of question once: opened from the settled screen with its Change.
            unseen = next((q for q in tablet.visit.flow.settled_run() if q.field.type not in seen),
                          None)
            if unseen is not None:
                pilot.tap(f"change-{unseen.field.id}")
                continue
        if question is not None and question.field.type not in seen:
            seen.add(question.field.type)
            yield f"06-question-{question.field.type.value}"
        answer_current(tablet, pilot)
    _at(tablet, pilot, Stage.REVIEW)
    yield "07-review"
    pilot.tap("submit-noslip")
    _at(tablet, pilot, Stage.TICKET)
    yield "08-ticket"
    pilot.tap("finish")
    _at(tablet, pilot, Stage.WELCOME)
