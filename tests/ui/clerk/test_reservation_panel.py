"""A supervisor sets the reservation places per slot at the clerk desk."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def test_reservation_panel__supervisor_sets_places__stored(qtbot, window, world):
    config = world.services.config              # a city that runs the phones' web page
    world.services.config = replace(config, web=replace(config.web,
                                                        public_url="https://wait.example"))
    window.login.login.setText("clerk1")                   # a supervisor
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    panel = window.reservations
    assert panel is not None

    panel.spins["A"].setValue(4)
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)

    assert world.services.reservations.capacities() == {"A": 4}
    assert panel.message.text() == "保存しました。"
