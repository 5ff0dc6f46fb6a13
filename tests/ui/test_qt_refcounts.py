"""Guards a PySide6 bug that kills long-running kiosks on Python 3.11.

PySide6 6.12 drops a reference to ``None`` on every void Qt call; Python 3.11 (whose ``None`` is
not immortal) then aborts with ``none_dealloc`` after enough calls — hours into a board's day.
pyproject.toml excludes 6.12; this test fails if a release with the bug comes back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


def test_void_qt_calls__thousands__leave_none_refcount_unchanged(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)

    for number in range(2000):
        label.setText(str(number))
        label.setVisible(number % 2 == 0)

    # Other code may take or drop a few references meanwhile; the bug drops 4,000.
    assert abs(sys.getrefcount(None) - before) < 100
