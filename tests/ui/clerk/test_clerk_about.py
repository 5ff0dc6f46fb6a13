"""The clerk desktop shows the version and configuration checksum before and after login."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk import __version__

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def test_clerk_about__login_page__version_and_defaults_without_a_config_file(window):
    assert window.about.isVisible()
    assert window.about.version.text() == __version__
    assert window.about.checksum.text() == "-"          # the world runs on defaults + environment
    assert window.about.config.text() == "なし（既定値）"


def test_clerk_about__desk__folded_behind_a_button(qtbot, window):
    window.login.login.setText("clerk1")
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    assert not window.desk_about.isVisible()

    qtbot.mouseClick(window.about_button, Qt.MouseButton.LeftButton)

    assert window.desk_about.isVisible()
    assert window.desk_about.version.text() == __version__
