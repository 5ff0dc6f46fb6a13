"""Qt's warnings reach the log by category and place, without the values they quote
(issue 14 §7)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.gui

NAME = "山田太郎"

# A fresh process: pytest-qt installs its own message handler in this one.
_CHILD = textwrap.dedent(f"""
    from PySide6.QtCore import qWarning, qCritical
    from kiosk.logging_setup import configure_logging
    from kiosk.ui.common.application import application
    configure_logging("INFO", None)
    application()
    qWarning("QString::arg: Argument missing: {NAME}, 1")
    qCritical("{NAME} could not be drawn")
""")


def test_qt_message__quoting_a_name__logged_with_place_only():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True,
                            text=True, timeout=120, check=False)

    assert result.returncode == 0, result.stderr[-2000:]
    assert "WARNING kiosk.qt: qt default: QString::arg" in result.stderr
    assert "ERROR kiosk.qt: qt default: (unnamed)" in result.stderr
    assert NAME not in result.stderr + result.stdout


@pytest.mark.parametrize(("message", "place"), [
    ("QWidget::setGeometry: Unable to set geometry 100x30+0+0", "QWidget::setGeometry"),
    ("QPainter::begin: Paint device returned engine == 0", "QPainter::begin"),
    (f"{NAME}: not a place", "(unnamed)"),
    ("No colon at all", "(unnamed)"),
    (f"Some words: {NAME}", "(unnamed)"),
])
def test_qt_place__messages__only_an_identifier_before_the_colon(message, place):
    from kiosk.ui.common.qt_messages import qt_place

    assert qt_place(message) == place
