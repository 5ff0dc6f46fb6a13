"""A branch desk and a main-office desk, one process, a real WebRTC call between them: the branch
asks, the office accepts, each sees the other, the branch sends its document camera, the office
ends the call and the branch's end follows; a request can be withdrawn before it is accepted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from devices.remote.aiortc_call import AiortcRemoteCall
from devices.remote.sound import NullCallSound
from kiosk.audit import ListUsage
from kiosk.audit.events import RemoteCallUsed
from kiosk.i18n import staff_translator
from kiosk.ports import SystemClock
from kiosk.services.presence import LocalRelay
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.storage.database import open_storage
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel

pytestmark = pytest.mark.gui

TIMEOUT_MS = 30_000       # a bound for a loaded machine, not a timing


@pytest.fixture
def desks(tmp_path):
    storage = open_storage(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", SystemClock(), auto_upgrade=True)
    storage.queue.add_service("B", "B", "税証明", default_service_seconds=600)
    usage = ListUsage()
    desk = RemoteCounterDesk(RemoteTicketStore(storage.engine, SystemClock()), usage)
    yield desk, usage
    storage.close()


def _panels(qtbot, desk, heard: list[NullCallSound] | None = None):
    relay, tr = LocalRelay(), staff_translator("ja")

    def loudspeaker() -> NullCallSound:
        sound = NullCallSound()
        if heard is not None:
            heard.append(sound)
        return sound

    office = RemotePanel(tr, desk, lambda t: AiortcRemoteCall(relay, t.call_id, offering=False),
                         SystemClock(), sound=loudspeaker)
    branch = BranchRemotePanel(tr, desk, lambda t: AiortcRemoteCall(relay, t.call_id, offering=True),
                               [("B", "税証明")], "豊里総合支所", sound=loudspeaker)
    qtbot.addWidget(office)
    qtbot.addWidget(branch)
    return office, branch


@pytest.mark.slow
def test_branch_asks_office_accepts__a_call_both_ways__office_ends_it(qtbot, desks):
    desk, usage = desks
    heard: list[NullCallSound] = []
    office, branch = _panels(qtbot, desk, heard)
    branch.language.setCurrentIndex(branch.language.findData("vi"))
    qtbot.mouseClick(branch.ask_button, Qt.MouseButton.LeftButton)
    assert branch.state.text() == "本庁の担当者を待っています…"
    office.refresh()
    assert [office.table.item(0, c).text() for c in range(3)] == ["B", "vi", "豊里総合支所"]

    qtbot.mouseClick(office.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is not None, timeout=TIMEOUT_MS)      # the branch saw it
    qtbot.waitUntil(lambda: branch.state.text() == office.state.text() == "通話中", timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not office.picture.pixmap().isNull() and not branch.picture.pixmap().isNull(),
                    timeout=TIMEOUT_MS)

    qtbot.waitUntil(lambda: len(heard) == 2 and min(sound.samples for sound in heard) > 0,
                    timeout=TIMEOUT_MS)                                      # each hears the other

    qtbot.mouseClick(branch.document_button, Qt.MouseButton.LeftButton)
    assert office.call is not None
    qtbot.waitUntil(lambda: dict(office.call.stats().sources_received).get("document", 0) > 5,
                    timeout=TIMEOUT_MS)

    qtbot.mouseClick(office.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is None, timeout=TIMEOUT_MS)         # the goodbye crossed
    assert branch.state.text() == "通話は終了しました。"
    assert branch.ask_button.isEnabled()
    assert all(sound.closed for sound in heard)
    [event] = usage.of(RemoteCallUsed)
    assert (event.outcome, event.branch, event.language) == ("ended", "豊里総合支所", "vi")  # type: ignore[attr-defined]


def test_branch_withdraws_before_anyone_accepts(qtbot, desks):
    desk, usage = desks
    office, branch = _panels(qtbot, desk)
    qtbot.mouseClick(branch.ask_button, Qt.MouseButton.LeftButton)
    assert branch.withdraw_button.isEnabled()
    qtbot.mouseClick(branch.withdraw_button, Qt.MouseButton.LeftButton)
    assert branch.state.text() == "依頼を取り下げました。"
    office.refresh()
    assert office.table.rowCount() == 0
    [event] = usage.of(RemoteCallUsed)
    assert event.outcome == "cancelled"  # type: ignore[attr-defined]
