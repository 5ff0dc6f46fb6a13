"""The kiosk's own folders on Linux are the XDG base directories platformdirs would give."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from kiosk.paths import APP_NAME, default_config_path, default_data_dir, default_key_dir

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")


@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/kiosk-xdg", "relative/xdg"])
def test_default_folders__any_xdg_setting__those_of_platformdirs(monkeypatch, tmp_path, xdg):
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)

    config = platformdirs.user_config_dir(APP_NAME, appauthor=False)
    assert str(default_data_dir()) == platformdirs.user_data_dir(APP_NAME, appauthor=False)
    assert str(default_key_dir()) == config
    assert str(default_config_path()) == f"{config}/kiosk.toml"
