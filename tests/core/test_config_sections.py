"""The [ui] section read alone for the tablet's start-up Welcome (kiosk.config_sections): the
same values as the whole configuration's, and a file it cannot read stops the start as before."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.config import load_config
from kiosk.config_sections import read_ui

_FILE = """
[device]
role = "tablet"
[ui]
languages = ["ja", "en", "vi"]
default_language = "en"
text_scale = 150
"""


@pytest.mark.parametrize("environ", [
    {},
    {"KIOSK_UI_TEXT_SCALE": "200", "KIOSK_UI_HIGH_CONTRAST": "yes"},
    {"KIOSK_UI_LANGUAGES": "ja, ne", "KIOSK_UI_SCREEN_DPI": "150"},
])
def test_read_ui__file_and_environment__same_as_the_whole_configuration(tmp_path, environ):
    path = tmp_path / "kiosk.toml"
    path.write_text(_FILE, encoding="utf-8")

    assert read_ui(path, environ) == load_config(path, environ).ui


def test_read_ui__no_file__defaults(tmp_path):
    assert read_ui(None, {}) == load_config(None, {}).ui


@pytest.mark.parametrize("text", [
    "[ui]\ntext_scale = 0\n",               # [ui] itself wrong
    "[ui\n",                                # not TOML
])
def test_tablet_command__ui_it_cannot_read__error_printed_before_any_window_exit_2(
        tmp_path, text):
    # Without a display and, in the core venv, without Qt: the start stops before the Welcome.
    # A process of its own: a device command turns core dumps off for good.
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
           "QT_QPA_PLATFORM": "minimal-not-there"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path), "tablet"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 2
    assert str(path) in result.stderr
