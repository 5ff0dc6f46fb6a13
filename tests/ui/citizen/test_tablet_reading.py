"""The reading of the name proposed and confirmed with a tap; the contact phone skipped with one."""

from __future__ import annotations

import pytest

from kiosk.procedures.model import FieldType
from kiosk.procedures.session import Provenance
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import answer_current

pytestmark = pytest.mark.gui


_PINS = {"plain": "1234", "gaiji": "0000", "sex9": "9999"}   # devices/smartcard/persons


def _to_forms(kiosk, *, card: bool = True, procedure: str = "juminhyo",
              person: str = "plain") -> None:
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    kiosk.pilot.tap(f"procedure-{procedure}")
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)
    if card:
        kiosk.pilot.tap("use-card")
        kiosk.pilot.tap_keys("key-", _PINS[person])
        kiosk.pilot.tap("pin-ok")
    else:
        kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)


def _advance_to(kiosk, field_type: FieldType) -> None:
    """Answer the questions (as the screenshot tour does) up to one of ``field_type``."""
    for _ in range(20):
        question = kiosk.tablet.visit.flow.current()
        assert question is not None, f"no {field_type.value} question"
        if kiosk.pilot.exists("settled"):
            # A settled question (the optional phone) is opened with its Change.
            wanted = [q for q in kiosk.tablet.visit.flow.settled_run() if q.field.type is field_type]
            if wanted:
                kiosk.pilot.tap(f"change-{wanted[0].field.id}")
                return
        elif question.field.type is field_type:
            return
        answer_current(kiosk.tablet, kiosk.pilot)
    raise AssertionError(f"never reached a {field_type.value} question")


def _reading(kiosk):
    session = kiosk.tablet.visit.flow.sessions[0]
    return session.value("applicant_reading"), session.provenance("applicant_reading")


@pytest.mark.parametrize(("person", "expected"), [
    ("plain", "シケン\u3000ハナコ"),
    ("gaiji", "ヨシダ\u3000タカサキ"),
    ("sex9", "ナナシ"),
])
def test_reading__card_name__proposed_then_confirmed_as_citizen_answer(make_kiosk, person,
                                                                      expected):
    kiosk = make_kiosk(person=person)
    _to_forms(kiosk, person=person)
    _advance_to(kiosk, FieldType.READING)
    shown = kiosk.pilot.text("answer")
    unanswered = _reading(kiosk)

    kiosk.pilot.tap("reading-confirm")

    assert shown == expected
    assert unanswered == (None, None)           # shown, never taken silently
    assert _reading(kiosk) == (expected, Provenance.CITIZEN)
    assert kiosk.tablet.visit.flow.current().field.id != "applicant_reading"


def test_reading__proposal_corrected_with_keys__keeps_the_correction(make_kiosk):
    kiosk = make_kiosk()
    _to_forms(kiosk)
    _advance_to(kiosk, FieldType.READING)

    kiosk.pilot.tap_keys("kana-", "⌫⌫⌫")
    kiosk.pilot.tap_keys("kana-", "ナコ")
    kiosk.pilot.tap("next")

    assert _reading(kiosk) == ("シケン\u3000ナコ", Provenance.CITIZEN)


def test_reading__name_typed_without_card__proposed_from_it(make_kiosk):
    kiosk = make_kiosk()
    _to_forms(kiosk, card=False)
    _advance_to(kiosk, FieldType.NAME)
    kiosk.pilot.tap_keys("kana-", "トメ␣ハナコ")
    kiosk.pilot.tap("next")

    proposed = kiosk.pilot.text("answer")
    kiosk.pilot.tap("reading-confirm")

    assert proposed == "トメ\u3000ハナコ"
    assert _reading(kiosk) == ("トメ\u3000ハナコ", Provenance.CITIZEN)


def test_reading__no_proposer__keyboard_only_as_before(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.flow._reading = None   # a device whose dictionary is not installed
    _to_forms(kiosk)
    _advance_to(kiosk, FieldType.READING)

    assert not kiosk.pilot.exists("reading-confirm")
    assert kiosk.pilot.text("answer") == ""


@pytest.mark.parametrize(("field_type", "skippable"), [
    (FieldType.PHONE, True),       # a contact field: optional
    (FieldType.DATE, False),       # the birth date is required
])
def test_skip__optional_or_required_question__offered_only_when_optional(make_kiosk, field_type,
                                                                        skippable):
    kiosk = make_kiosk()
    _to_forms(kiosk, card=False)
    _advance_to(kiosk, field_type)

    assert kiosk.pilot.exists("skip") is skippable


def test_skip__phone__one_tap_leaves_it_blank_and_goes_on(make_kiosk):
    kiosk = make_kiosk()
    _to_forms(kiosk)
    _advance_to(kiosk, FieldType.PHONE)
    index = kiosk.tablet.visit.flow.index

    kiosk.pilot.tap("skip")

    assert kiosk.tablet.visit.flow.sessions[0].value("phone") is None
    assert kiosk.tablet.visit.flow.index == index + 1


def _answer_by_taps(kiosk) -> None:
    """Answer every question without typing: confirm, skip, first option, yes, next."""
    for _ in range(30):
        visit = kiosk.tablet.visit
        question = visit.flow.current()
        if visit.stage is not Stage.FORMS or question is None:
            return
        answered = visit.summary.display(visit.flow.session_of(question), question.field) != ""
        if kiosk.pilot.exists("settled"):
            kiosk.pilot.tap("next")
            continue
        if kiosk.pilot.exists("reading-confirm"):
            kiosk.pilot.tap("reading-confirm")
            continue
        if kiosk.pilot.exists("skip"):
            kiosk.pilot.tap("skip")
            continue
        options = visit.flow.session_of(question).options(question.field.id)
        if question.field.type in (FieldType.YES_NO, FieldType.CONSENT):
            kiosk.pilot.tap("yes")
        elif options and not answered:
            kiosk.pilot.tap(f"option-{options[0].value}")
        kiosk.pilot.tap("next")


@pytest.mark.parametrize("person", ["plain", "gaiji"])
def test_juminhyo__with_card__reaches_ticket_with_no_character_typed(make_kiosk, person):
    kiosk = make_kiosk(person=person)
    _to_forms(kiosk, person=person)

    _answer_by_taps(kiosk)
    kiosk.wait_for(Stage.REVIEW)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert kiosk.pilot.text("ticket-number").startswith("A-")
