"""Whole flows on the tablet, driven by the pilot on the simulated card and a real SQLite."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from devices.smartcard.simulated_card import simulator_issuer_public_pem
from kiosk.domain.application import Provenance as StoredProvenance
from kiosk.domain.identity import CardWithdrawn
from kiosk.domain.ticket import TicketState
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tour import answer_current

pytestmark = pytest.mark.gui


def _to_identify(kiosk, *procedures: str) -> None:
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    for procedure in procedures:
        kiosk.pilot.tap(f"procedure-{procedure}")
    kiosk.pilot.tap("next")
    kiosk.wait_for(Stage.IDENTIFY)


def _enter_pin(kiosk, pin: str) -> None:
    kiosk.pilot.tap_keys("key-", pin)
    kiosk.pilot.tap("pin-ok")


def _answer_all(kiosk) -> None:
    while kiosk.stage is Stage.FORMS:
        answer_current(kiosk.tablet, kiosk.pilot)
    kiosk.wait_for(Stage.REVIEW)


def test_tablet__juminhyo_with_card__prefills_locks_and_issues_ticket(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    assert "3" in kiosk.pilot.text("tries-left")

    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)
    asked = [q.field.id for q in kiosk.tablet.visit.flow.questions()]
    _answer_all(kiosk)
    review = kiosk.pilot.text("review-applicant_name")
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert "applicant_name" not in asked
    assert "birth_date" not in asked
    assert "試験　花子" in review
    assert not kiosk.pilot.exists("change-applicant_name")
    assert kiosk.pilot.text("ticket-number").startswith("A-")
    tickets = kiosk.services.storage.queue.tickets(["A"], [TicketState.ISSUED])
    assert len(tickets) == 1


def test_tablet__without_card__same_form_asks_name_by_touch(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)

    asked = [q.field.id for q in kiosk.tablet.visit.flow.questions()]
    _answer_all(kiosk)

    assert {"applicant_name", "birth_date", "address"} <= set(asked)
    assert kiosk.tablet.visit.card.identity is None


def test_tablet__wrong_pin_then_right__shows_tries_then_reads(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")

    _enter_pin(kiosk, "9999")
    kiosk.pilot.wait_until(lambda: kiosk.pilot.exists("card-message"), "wrong PIN message")
    message, tries = kiosk.pilot.text("card-message"), kiosk.pilot.text("tries-left")
    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)

    assert "2" in message
    assert "2" in tries
    assert kiosk.tablet.visit.card.identity is not None


def test_tablet__locked_card__stops_and_sends_to_counter(make_kiosk):
    kiosk = make_kiosk(person="locked")
    _to_identify(kiosk, "juminhyo")

    kiosk.pilot.tap("use-card")

    assert kiosk.pilot.exists("locked")
    assert not kiosk.pilot.exists("pin-ok")
    assert kiosk.pilot.exists("no-card")


def test_tablet__locked_card__applies_for_the_pin_reset_without_the_card(make_kiosk):
    kiosk = make_kiosk(person="locked")
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")

    kiosk.pilot.tap("pin-reset")

    kiosk.wait_for(Stage.FORMS)
    visit = kiosk.tablet.visit
    assert visit.chosen == ["juminhyo", "card_pin"]
    assert [session.definition.id for session in visit.flow.sessions] == ["juminhyo", "card_pin"]
    assert visit.card.identity is None
    assert not visit.card.with_card


@pytest.mark.parametrize("how", ["monitor_event", "read_error"])
def test_tablet__card_pulled__ends_visit_and_wipes(make_kiosk, how):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    if how == "read_error":
        kiosk.slot.remove()
        _enter_pin(kiosk, "1234")
    else:
        _enter_pin(kiosk, "1234")
        kiosk.wait_for(Stage.FORMS)
        kiosk.slot.remove()
        kiosk.services.events.publish(CardWithdrawn(kiosk.slot.reader))

    kiosk.wait_for(Stage.WELCOME)

    visit = kiosk.tablet.visit
    assert visit.card.identity is None
    assert visit.flow.sessions == []
    assert visit.chosen == []


def test_tablet__idle_timeout__warns_more_time_then_wipes(make_kiosk):
    kiosk = make_kiosk(idle_timeout_s=60)
    _to_identify(kiosk, "juminhyo")
    idle = kiosk.tablet.idle

    idle.elapse(35)
    kiosk.pilot.settle()
    warned = kiosk.pilot.exists("more-time")
    kiosk.pilot.tap("more-time")
    after_more_time = (idle.idle_s, kiosk.pilot.exists("more-time"))
    idle.elapse(60)
    kiosk.wait_for(Stage.WELCOME)

    assert warned
    assert after_more_time == (0, False)
    assert kiosk.tablet.visit.chosen == []


def test_tablet__language_switch_mid_form__keeps_answers(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)
    kiosk.pilot.tap("option-household")
    kiosk.pilot.tap("next")

    kiosk.pilot.tap("language")
    kiosk.pilot.tap("language-vi")
    kiosk.pilot.wait_until(lambda: kiosk.tablet.visit.language == "vi", "Vietnamese")

    session = kiosk.tablet.visit.flow.sessions[0]
    assert session.value("relationship") == "household"
    assert kiosk.tablet.visit.flow.index == 1
    assert kiosk.pilot.text("question") == "Họ và tên"


def test_tablet__two_procedures__shared_fields_asked_once(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo", "inkan_shomei")
    kiosk.pilot.tap("use-card")
    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)

    asked = [q.field.id for q in kiosk.tablet.visit.flow.questions()]
    _answer_all(kiosk)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert len(asked) == len(set(asked))
    assert len(kiosk.tablet.visit.ticket.application_ids) == 2


def test_tablet__life_event__picks_procedures_with_reason(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    kiosk.wait_for(Stage.CHOOSE)
    kiosk.pilot.tap("event-bundle_tennyu")
    kiosk.wait_for(Stage.LIFE_EVENT)

    kiosk.pilot.tap("q-employer_insurance-no")
    kiosk.pilot.tap("q-children-plus")
    kiosk.pilot.tap("accept")
    kiosk.wait_for(Stage.CHOOSE)

    chosen = kiosk.tablet.visit.chosen
    assert {"idou", "kokuho", "jidou_teate"} <= set(chosen)
    assert any(text.startswith("理由") or "Why" in text or "：" in text
               for text in kiosk.pilot.texts())


def test_tablet__pin__never_spoken_shown_or_kept(make_kiosk):
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    kiosk.pilot.tap_keys("key-", "1234")
    mask = kiosk.pilot.text("pin-mask")
    kiosk.pilot.tap("pin-ok")
    kiosk.wait_for(Stage.FORMS)

    assert mask == "●●●●"
    assert not any("1234" in text for _, text in kiosk.speaker.said)
    assert not any("1234" in text for text in kiosk.pilot.texts())


@pytest.mark.parametrize(("headset", "spoken"), [(False, False), (True, True)])
def test_tablet__personal_data__spoken_only_with_headset(make_kiosk, headset, spoken):
    kiosk = make_kiosk(headset=headset)
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)
    _answer_all(kiosk)

    assert any("試験" in text for _, text in kiosk.speaker.said) is spoken


def test_tablet__ticket__number_spoken_in_japanese_and_citizen_language(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("language-en")
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("no-card")
    kiosk.wait_for(Stage.FORMS)
    _answer_all(kiosk)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    label = kiosk.tablet.visit.ticket.label
    languages = {lang for lang, text in kiosk.speaker.said if label in text}
    assert languages == {"ja", "en"}


@pytest.mark.parametrize(("with_key", "stored"), [
    (False, StoredProvenance.CARD_UNVERIFIED), (True, StoredProvenance.CARD)],
    ids=["no-issuer-key", "issuer-key"])
def test_tablet__card_answers__stored_as_verified_only_with_the_issuer_key(
        make_kiosk, tmp_path, monkeypatch, with_key, stored):
    key = tmp_path / "issuer.pem"
    key.write_bytes(simulator_issuer_public_pem())
    kiosk = make_kiosk(issuer_ca_key=str(key) if with_key else "")
    sent = []
    submit = kiosk.services.submissions.submit
    monkeypatch.setattr(kiosk.services.submissions, "submit",
                        lambda submission: sent.append(submission) or submit(submission))
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)
    _answer_all(kiosk)
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)

    assert sent[0].answers["applicant_name"].provenance is stored


def _double_tap(button) -> None:
    """What a real double tap sends (X and touch alike): press, release, then the second
    press as a double click, release."""
    middle = QPointF(button.width() / 2, button.height() / 2)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(button, left, none, middle.toPoint())
    QTest.mouseRelease(button, left, none, middle.toPoint())
    QApplication.sendEvent(button, QMouseEvent(QEvent.Type.MouseButtonDblClick, middle,
                                               button.mapToGlobal(middle), left, left, none))
    QApplication.sendEvent(button, QMouseEvent(QEvent.Type.MouseButtonRelease, middle,
                                               button.mapToGlobal(middle), left,
                                               Qt.MouseButton.NoButton, none))


def test_tablet__double_tap_on_send__ticket_stays_on_screen_and_one_ticket(make_kiosk):
    # The ticket screen's Finish sits where Send was: the second tap of a double tap ended the
    # visit before the citizen saw their number.
    kiosk = make_kiosk()
    _to_identify(kiosk, "juminhyo")
    kiosk.pilot.tap("use-card")
    _enter_pin(kiosk, "1234")
    kiosk.wait_for(Stage.FORMS)
    _answer_all(kiosk)
    before = len(kiosk.services.storage.queue.tickets(["A"]))

    _double_tap(kiosk.pilot.find("submit-print"))      # on the footer, where Finish comes
    kiosk.pilot.settle()

    assert kiosk.stage is Stage.TICKET
    assert kiosk.pilot.exists("finish")
    assert len(kiosk.services.storage.queue.tickets(["A"])) == before + 1
