"""No clerk screen shows an empty error box: a message line draws only while it has a message,
and keeps its room so nothing below it moves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def _empty_boxes(window) -> list[str]:
    return [label.objectName() or type(label.parent()).__name__
            for label in window.findChildren(QLabel)
            if label.property("role") == "error" and label.isVisible() and not label.text()]


def _login(qtbot, window, password: str) -> None:
    window.login.login.setText("clerk1")
    window.login.password.setText(password)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)


def test_clerk_window__login_screen__no_empty_error_box(window):
    assert window.login.message.text() == ""

    assert _empty_boxes(window) == []


def test_clerk_window__wrong_password__message_shown_and_fields_stay(qtbot, window):
    submit = window.login.submit.geometry()

    _login(qtbot, window, "a wrong guess")

    assert window.login.message.isVisible()
    assert window.login.message.text()
    assert window.login.submit.geometry() == submit


def test_clerk_window__logged_in__no_empty_error_box_on_any_tab(qtbot, window):
    _login(qtbot, window, PASSWORD)
    qtbot.waitUntil(lambda: not window.login.isVisible())

    assert window.tabs.count() > 1
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert _empty_boxes(window) == [], window.tabs.tabText(index)
