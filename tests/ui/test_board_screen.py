"""The waiting-room board on the design tokens: the newest call large with its counter, the
counter grid with the number each serves, recent calls, waits per service, the notice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from kiosk.ui.board.board_parts import counter_badge
from kiosk.ui.board.factory import make_board
from kiosk.ui.demo import demo_windows, place_windows

pytestmark = pytest.mark.gui


@pytest.fixture
def services(demo_services):
    return demo_services


def _call(services, board, counter: str) -> None:
    store = services.storage.queue
    store.call_next(store.counters()[counter], counter=counter)
    board.refresh()


@pytest.fixture
def board(qtbot, services):
    for code in "AAABBC":
        services.queue.take_ticket(code)
    board = make_board(services)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    for counter in ("2番窓口", "5番窓口", "1番窓口"):
        _call(services, board, counter)
    qtbot.wait(10)
    return board


def test_board__newest_call__large_number_with_its_counter_and_department(board):
    assert board.number.text() == "A-002"
    assert board.counter.text() == "1番窓口"
    assert board.department.text() == "市民課"
    assert "1番窓口へお越しください" in board.call_text.text()
    # The number is the largest, drawn whole: "A-002" at the design's 236 px is wider than
    # the call panel even at 1920 × 1080, so it is drawn a little smaller (FittingLabel).
    assert board.number.font().pixelSize() > 1.8 * board.counter.font().pixelSize() > \
        2 * board.department.font().pixelSize()
    assert board.number.sizeHint().width() <= board.number.width()


def test_board__counter_grid__each_counter_with_the_number_it_serves(board):
    serving = {name: board.findChild(QLabel, f"serving-{counter_badge(name)}").text()
               for name in ("1番窓口", "2番窓口", "5番窓口", "3番窓口")}

    assert serving == {"1番窓口": "A-002", "2番窓口": "A-001", "5番窓口": "B-001",
                       "3番窓口": "—"}
    assert "#ffd43d" in board.tiles["1番窓口"].styleSheet()       # the newest call, outlined
    assert "#ffd43d" not in board.tiles["2番窓口"].styleSheet()


def test_board__recent_calls__one_line_each_never_wrapped(board):
    shown = [(label.text(), where.text()) for label, where in board.recent_labels if label.text()]

    assert shown == [("B-001", "→ 5番"), ("A-001", "→ 2番")]
    for label, _where in board.recent_labels:
        assert not label.wordWrap()
        assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.width()


def test_board__waits__per_service_with_its_name(board):
    cells = [board.waiting_grid.itemAt(i).widget().text()
             for i in range(board.waiting_grid.count())]

    assert cells[:4] == ["A", "市民課", "1人待ち", cells[3]]
    assert cells[3].startswith("約")
    assert "C" in cells


def test_board__every_text__at_least_the_board_minimum_at_full_size(board):
    labels = [label for label in board.findChildren(QLabel)
              if label.isVisible() and label.text()]

    assert labels
    assert min(label.font().pixelSize() for label in labels) >= 40


def test_demo_windows__shown_on_1920_by_1080__inside_and_never_overlapping(qtbot, services):
    windows = demo_windows(services, [])
    for window in windows:
        qtbot.addWidget(window)
    screen = QRect(0, 0, 1920, 1080)

    place_windows(windows, screen)
    qtbot.wait(50)

    places = [window.geometry() for window in windows]
    assert [place for place in places if not screen.contains(place)] == []
    assert [(a, b) for i, a in enumerate(places) for b in places[i + 1:] if a.intersects(b)] == []
