"""The board: a clerk's call appears, is announced (chime + Japanese + the holder's language)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.ui.board.factory import make_board
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def test_board__clerk_calls_next__shown_and_announced_within_a_second(qtbot, live_world,
                                                                      tmp_path):
    services = live_world.services
    notices = tmp_path / "notices"
    notices.mkdir()
    (notices / "01.txt").write_text("本日は窓口が混雑しています。", encoding="utf-8")
    board = make_board(services, notices_dir=notices)
    clerk = ClerkWindow(services, idle_lock_s=600)
    for widget in (board, clerk):
        qtbot.addWidget(widget)
        widget.show()
    clerk.login.login.setText("clerk1")
    clerk.login.password.setText(PASSWORD)
    qtbot.mouseClick(clerk.login.submit, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(clerk.queue.buttons["next"], Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: board.number.text() == "A-001", timeout=1000)
    assert board.counter.text() == "1番窓口"
    assert [line.code for line in board.last_callout.lines] == ["ja", "en"]
    assert board.call_text.text().splitlines()[1] == "Number A 1, please come to counter 1."
    assert board.notice.text() == "本日は窓口が混雑しています。"
    speaker = services.speaker
    qtbot.waitUntil(lambda: len(speaker.sink.written()) >= 1, timeout=1000)   # the chime
    assert speaker.wait_idle(30)
    kinds = [path.name.split("-", 1)[1] for path in speaker.sink.written()]
    assert kinds == ["chime-none.wav", "speech-ja.wav", "speech-en.wav"]
    clerk.close_bridge()
