"""The captions of a remote call on both desks' screens: the main office recognises both voices
(scripted captioners here; tests/devices/audio/test_remote_call_captions.py runs Whisper on real
speech across a real call); the specialist reads Japanese first, the branch (where the visitor
reads) the visitor's language first; ending the call takes them off both screens and wipes
both conversations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from pair_translator import PairTranslator
from PySide6.QtCore import Qt

from devices.remote.simulated import SimulatedExchange
from kiosk.audit import ListUsage
from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket
from kiosk.events import EventBus
from kiosk.i18n import staff_translator
from kiosk.ports import CallSound, RemoteCall, SystemClock, Utterance
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay
from kiosk.services.remote_captions import CallCaptioner, CallCaptions
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.storage.database import open_storage
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel

pytestmark = pytest.mark.gui


class Saying:
    """A captioner whose speaker says what the test tells it to."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.heard: Callable[[Utterance], None] | None = None
        self.stopped = False

    def start(self, on_utterance: Callable[[Utterance], None]) -> None:
        self.heard = on_utterance

    def stop(self) -> None:
        self.stopped = True

    def say(self, text: str) -> None:
        assert self.heard is not None
        self.heard(Utterance(text, self.language))

    def set_vocabulary(self, terms: Sequence[str]) -> None:
        pass

    def probe(self) -> list[object]:
        return []


@pytest.fixture
def desks(tmp_path):
    storage = open_storage(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", SystemClock(), auto_upgrade=True)
    storage.queue.add_service("B", "B", "税証明", default_service_seconds=600)
    yield RemoteCounterDesk(RemoteTicketStore(storage.engine, SystemClock()), ListUsage())
    storage.close()


def test_call_captions__said_at_either_end__shown_on_both_screens_then_wiped(qtbot, desks):
    exchange, relays = SimulatedExchange(connect_s=0.0), {}
    specialist, visitor = Saying("ja"), Saying("en")
    made: list[CallCaptions] = []

    def captions(office: bool):
        def make(ticket: RemoteTicket, call: RemoteCall, sound: CallSound | None) -> CallCaptions:
            events = EventBus()
            relay = relays.setdefault(ticket.call_id, LocalRelay())
            conversation = Conversation(events, SystemClock(), PairTranslator(), ticket.language,
                                        relay=relay)
            voices = [CallCaptioner(specialist, Party.CLERK),
                      CallCaptioner(visitor, Party.CITIZEN)] if office else []
            made.append(CallCaptions(conversation, events, voices))
            return made[-1]
        return make

    tr = staff_translator("ja")
    office = RemotePanel(tr, desks, lambda t: exchange.end(t.call_id, offering=False),
                         SystemClock(), captions=captions(True))
    branch = BranchRemotePanel(tr, desks, lambda t: exchange.end(t.call_id, offering=True),
                               [("B", "税証明")], "豊里総合支所", captions=captions(False))
    qtbot.addWidget(office)
    qtbot.addWidget(branch)
    assert office.captions.isHidden()
    assert branch.captions.isHidden()
    branch.language.setCurrentIndex(branch.language.findData("en"))
    qtbot.mouseClick(branch.ask_button, Qt.MouseButton.LeftButton)
    office.refresh()
    qtbot.mouseClick(office.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is not None, timeout=10_000)
    assert not office.captions.isHidden()
    assert not branch.captions.isHidden()

    specialist.say("住民票の写しですね。")
    qtbot.waitUntil(lambda: "<ja->en>" in branch.captions.latest_text(), timeout=5_000)
    # The branch's screen is the visitor's: their language on top, the Japanese underneath.
    assert branch.captions.latest_text().splitlines()[1:] == [
        "<ja->en>住民票の写しですね。", "住民票の写しですね。"]
    assert office.captions.latest_text().splitlines()[1:] == [
        "住民票の写しですね。", "<ja->en>住民票の写しですね。"]

    visitor.say("Where is the restroom?")
    qtbot.waitUntil(lambda: "restroom" in branch.captions.latest_text(), timeout=5_000)
    assert office.captions.latest_text().splitlines()[1:] == [
        "<en->ja>Where is the restroom?", "Where is the restroom?"]
    assert branch.captions.latest_text().splitlines()[1:] == [
        "Where is the restroom?", "<en->ja>Where is the restroom?"]

    # Japanese from the branch: its clerk spoke, labelled so on both screens, not as the
    # specialist.
    visitor.language = "ja"
    visitor.say("少々お待ちください。")
    qtbot.waitUntil(lambda: "少々" in branch.captions.latest_text(), timeout=5_000)
    assert office.captions.latest_text().splitlines()[0].endswith("支所の職員")
    assert branch.captions.latest_text().splitlines()[0].endswith("Branch staff")
    assert branch.captions.latest_text().splitlines()[1:] == [
        "<ja->en>少々お待ちください。", "少々お待ちください。"]
    specialist.say("確認します。")
    qtbot.waitUntil(lambda: "確認" in branch.captions.latest_text(), timeout=5_000)
    assert office.captions.latest_text().splitlines()[0].endswith("  職員")
    assert branch.captions.latest_text().splitlines()[0].endswith("  Staff")

    qtbot.mouseClick(office.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is None, timeout=10_000)
    assert specialist.stopped
    assert visitor.stopped
    assert office.captions.isHidden()
    assert branch.captions.isHidden()
    assert office.captions.panel is None
    assert branch.captions.panel is None
    assert [captions.conversation.lines() for captions in made] == [(), ()]
