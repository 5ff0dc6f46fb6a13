"""The remote counter at a main-office clerk desk: a branch's request appears, the specialist
accepts it (another desk is told it was taken), sees the branch, asks for its document camera,
ends the call; the usage log gets the minutes, never a picture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from devices.remote.simulated import SimulatedRemoteCall
from kiosk.audit import ListUsage
from kiosk.audit.events import RemoteCallUsed
from kiosk.i18n import staff_translator
from kiosk.ports import SystemClock
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.storage.database import open_storage
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.ui.clerk.remote_panel import RemotePanel

pytestmark = pytest.mark.gui


@pytest.fixture
def desk(tmp_path):
    storage = open_storage(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", SystemClock(), auto_upgrade=True)
    storage.queue.add_service("B", "B", "税証明", default_service_seconds=600)
    usage = ListUsage()
    yield RemoteCounterDesk(RemoteTicketStore(storage.engine, SystemClock()), usage), usage
    storage.close()


def test_remote_panel__accept_see_ask_document_camera_end(qtbot, desk):
    remote, usage = desk
    asked = remote.request("B", "豊里総合支所", "vi")
    calls: list[SimulatedRemoteCall] = []

    def open_call(ticket):
        assert ticket.call_id == asked.call_id
        calls.append(SimulatedRemoteCall(connect_s=0.0))
        return calls[-1]

    tr = staff_translator("ja")
    panel = RemotePanel(tr, remote, open_call, SystemClock(), staff_id=None)
    other = RemotePanel(tr, remote, open_call, SystemClock(), staff_id=None)   # a second desk
    qtbot.addWidget(panel)
    qtbot.addWidget(other)
    assert [panel.table.item(0, c).text() for c in range(3)] == ["B", "vi", "豊里総合支所"]
    assert not panel.end_button.isEnabled()

    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert panel.call is calls[0]
    qtbot.waitUntil(lambda: panel.state.text() == "通話中")
    qtbot.waitUntil(lambda: panel.picture.pixmap() is not None and not panel.picture.pixmap().isNull())
    assert panel.table.rowCount() == 0

    qtbot.mouseClick(other.accept_button, Qt.MouseButton.LeftButton)      # its list was stale
    assert other.call is None
    assert "ほかの窓口" in other.message.text()

    qtbot.mouseClick(panel.document_button, Qt.MouseButton.LeftButton)
    assert panel.document_button.text() == "支所のカメラを表示"
    qtbot.waitUntil(lambda: dict(calls[0].stats().sources_received).get("document", 0) > 0)

    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)
    assert calls[0].state == "ended"
    assert panel.call is None
    assert panel.picture.pixmap().isNull()                   # nothing of the call is kept
    assert panel.state.text() == "通話は終了しました。"
    [event] = usage.of(RemoteCallUsed)
    assert (event.outcome, event.service, event.branch, event.language) == (  # type: ignore[attr-defined]
        "ended", "B", "豊里総合支所", "vi")
