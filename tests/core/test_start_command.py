"""``kiosk start`` runs the front end named by the configuration's role."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest

from kiosk.cli import start
from kiosk.config import load_config


def _recording_command(name: str, calls: list[str]) -> SimpleNamespace:
    def register(subparsers):
        parser = subparsers.add_parser(name)
        parser.add_argument("--windowed", action="store_true")
        parser.set_defaults(handler=lambda args, config: calls.append(
            f"{name} windowed={args.windowed} role={config.device.role}") or 0)
    return SimpleNamespace(register=register)


@pytest.mark.parametrize("role", ["tablet", "clerk", "board", "demo"])
def test_kiosk_start__role__runs_that_roles_command_with_its_defaults(monkeypatch, role):
    calls: list[str] = []
    for name in start._ROLES:
        monkeypatch.setitem(start._ROLES, name, _recording_command(name, calls))
    config = load_config(None, environ={"KIOSK_DEVICE_ROLE": role})

    assert start.run(SimpleNamespace(), config) == 0
    assert calls == [f"{role} windowed=False role={role}"]


def test_kiosk_start__every_role_of_the_config__has_a_command():
    from typing import get_args

    from kiosk.config import Role

    assert set(get_args(Role)) == set(start._ROLES)


def test_kiosk_start__unknown_role__is_a_config_error_naming_the_key(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[device]\nrole = "kitchen"\n', encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "start"],
                            capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 2
    assert "role" in result.stderr


def test_kiosk_start__tablet_role__reads_its_configuration_itself(monkeypatch, tmp_path):
    # The tablet draws its start-up Welcome from [ui] before the rest of the file is read.
    config = tmp_path / "kiosk.toml"
    config.write_text('[device]\nrole = "tablet"\n', encoding="utf-8")
    seen: list[object] = []
    monkeypatch.setattr(start.tablet, "run_reading_config", lambda args: seen.append(
        (args.command, args.config, args.report)) or 0)

    assert start.run_reading_config(SimpleNamespace(config=config)) == 0
    assert seen == [("tablet", config, None)]


def test_kiosk_start__other_role__gets_the_whole_configuration(monkeypatch, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[device]\nrole = "board"\n[ui]\ntext_scale = 150\n', encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setitem(start._ROLES, "board", _recording_command("board", calls))

    assert start.run_reading_config(SimpleNamespace(config=config)) == 0
    assert calls == ["board windowed=False role=board"]
