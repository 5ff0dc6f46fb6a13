"""Talking with the clerk from the tablet: captions in the citizen's language, phrase answers."""

from __future__ import annotations

import pytest

from kiosk.domain.counter_messages import Party
from kiosk.i18n import translator
from kiosk.services.phrasebook import PHRASES as ALL_PHRASES

PHRASES = {phrase.id: phrase for phrase in ALL_PHRASES}

pytestmark = pytest.mark.gui


def _open_talk(kiosk):
    kiosk.pilot.tap("talk")
    kiosk.pilot.settle()
    assert kiosk.tablet.talk_page is not None
    return kiosk.tablet.talk_page


def test_talk__clerk_types__line_appears_on_the_tablet(make_kiosk, qtbot):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    page = _open_talk(kiosk)

    kiosk.services.conversation.add_clerk_text("住民票は何通必要ですか。")

    qtbot.waitUntil(lambda: page.captions.history.count() == 1, timeout=2000)
    assert "住民票は何通必要ですか。" in page.captions.latest_text()


def test_talk__citizen_taps_a_phrase__the_clerk_gets_it_in_japanese(make_kiosk):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("vi")
    kiosk.pilot.tap("start")
    page = _open_talk(kiosk)

    phrase_id, button = next(iter(page.phrasebook.buttons.items()))
    button.click()

    [line] = kiosk.services.conversation.lines()
    assert line.party is Party.CITIZEN
    # The phrase in Vietnamese for the citizen, and the catalog's Japanese for the clerk.
    assert (line.language, line.translation_language) == ("vi", "ja")
    assert line.text == translator("vi")(PHRASES[phrase_id].message_id)
    assert line.translation == translator("ja")(PHRASES[phrase_id].message_id)
    assert line.text != line.translation


def test_talk__back__returns_to_the_same_screen(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    before = kiosk.tablet.current_screen()
    _open_talk(kiosk)

    kiosk.pilot.tap("talk-back")
    kiosk.pilot.settle()

    assert kiosk.tablet.talk_page is None
    assert kiosk.tablet.stack.currentWidget().widget() is before


def test_talk__visit_ends__conversation_is_wiped(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    _open_talk(kiosk)
    kiosk.services.conversation.add_clerk_text("お名前を確認します。")

    kiosk.tablet.visit.end("done")
    kiosk.pilot.settle()

    assert kiosk.services.conversation.lines() == ()
    assert kiosk.tablet.talk_page is None


def test_talk__visitor_presses_speak__says_it__sees_it_as_said_clerk_gets_japanese(make_kiosk,
                                                                                    qtbot):
    from devices.audio.scripted_listener import ScriptedListener
    from kiosk.services.visitor_speech import VisitorSpeech

    kiosk = make_kiosk()
    listener = ScriptedListener({"vi": ["Tôi quên mã PIN."]})
    VisitorSpeech(kiosk.services.conversation, kiosk.services.events, listener)
    kiosk.tablet.visitor_microphone = True
    kiosk.tablet.visit.set_language("vi")
    kiosk.pilot.tap("start")
    page = _open_talk(kiosk)
    assert page.speak.isVisible()

    page.speak.click()
    listener.wait_until_said()

    qtbot.waitUntil(lambda: page.captions.history.count() == 1, timeout=2000)
    [line] = kiosk.services.conversation.lines()
    assert (line.party, line.language, line.text) == (Party.CITIZEN, "vi", "Tôi quên mã PIN.")
    assert page.captions.latest_text().splitlines()[1] == "Tôi quên mã PIN."
    assert page.speak.text() == translator("vi")("Stop speaking")


def test_talk__no_visitor_microphone__no_speak_button(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    page = _open_talk(kiosk)

    assert not page.speak.isVisible()
