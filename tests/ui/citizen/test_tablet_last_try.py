"""With one PIN try left, OK does not spend it: a separate confirmation says the card will
lock and what to do instead, and only its own button sends the PIN."""

from __future__ import annotations

import pytest

from kiosk.i18n import FIRST_TIER
from kiosk.services.visit import Stage

pytestmark = pytest.mark.gui


def _to_pin(kiosk) -> None:
    kiosk.to_pin_pad()


def _type(kiosk, pin: str) -> None:
    kiosk.pilot.tap_keys("key-", pin)
    kiosk.pilot.tap("pin-ok")


def test_last_try__ok__asks_confirmation_and_sends_nothing(make_kiosk):
    kiosk = make_kiosk(person="last_try")
    _to_pin(kiosk)
    assert "1" in kiosk.pilot.text("tries-left")
    before = kiosk.slot.apdus

    _type(kiosk, "1357")

    assert kiosk.pilot.exists("last-try-confirm")
    assert "ロック" in kiosk.pilot.text("last-try-lock")
    assert "窓口" in kiosk.pilot.text("last-try-instead")
    assert kiosk.slot.apdus == before                 # not even a VERIFY
    assert kiosk.slot.card.tries == 1


def test_last_try__confirmed__reads_the_card(make_kiosk):
    kiosk = make_kiosk(person="last_try")
    _to_pin(kiosk)
    _type(kiosk, "1357")
    kiosk.pilot.tap("last-try-confirm")
    kiosk.wait_for(Stage.FORMS)
    assert kiosk.tablet.visit.card.identity is not None


def test_last_try__enter_again__back_to_an_empty_pad_and_card_untouched(make_kiosk):
    kiosk = make_kiosk(person="last_try")
    _to_pin(kiosk)
    _type(kiosk, "1357")
    kiosk.pilot.tap("last-try-again")
    assert kiosk.pilot.exists("pin-ok")
    assert kiosk.pilot.text("pin-mask") == "○○○○"
    assert kiosk.slot.card.tries == 1


def test_last_try__after_two_wrong_pins__confirmation_before_the_third(make_kiosk):
    kiosk = make_kiosk()
    _to_pin(kiosk)
    for _ in range(2):
        _type(kiosk, "9999")
        kiosk.pilot.wait_until(lambda: kiosk.pilot.exists("card-message"), "wrong PIN message")
    assert kiosk.slot.card.tries == 1

    _type(kiosk, "9999")

    assert kiosk.pilot.exists("last-try-confirm")
    assert kiosk.slot.card.tries == 1


def test_last_try__counter_dropped_behind_the_screen__nothing_sent_then_confirmation(
        make_kiosk):
    kiosk = make_kiosk()
    _to_pin(kiosk)                      # the screen was told 3 tries
    kiosk.slot.card.tries = 1           # the card's own counter says otherwise

    _type(kiosk, "9999")
    kiosk.pilot.wait_until(lambda: kiosk.pilot.exists("card-message"), "last-try message")

    assert kiosk.slot.card.tries == 1   # the visit refused to spend it unconfirmed
    assert "1" in kiosk.pilot.text("tries-left")
    _type(kiosk, "9999")
    assert kiosk.pilot.exists("last-try-confirm")


@pytest.mark.parametrize("language", FIRST_TIER)
def test_last_try__each_citizen_language__confirmation_translated(make_kiosk, language):
    kiosk = make_kiosk(person="last_try")
    kiosk.tablet.visit.set_language(language)
    _to_pin(kiosk)
    _type(kiosk, "1357")
    text = kiosk.pilot.text("last-try-instead")
    if language != "en":
        assert "If you are not sure" not in text
    assert text
