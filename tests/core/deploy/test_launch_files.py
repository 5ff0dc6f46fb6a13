"""The kiosk-mode launch files start the current version under the watchdog."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

PACKAGING = Path("packaging")
NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def test_systemd_unit__exec_start__runs_current_version_under_watchdog_and_restarts():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(PACKAGING / "linux" / "kakanai-kiosk.service", encoding="utf-8")

    command = unit["Service"]["ExecStart"].split()
    assert command[:2] == ["/opt/kakanai-kiosk/current/kiosk", "watchdog"]
    assert command[-2:] == ["/opt/kakanai-kiosk/current/kiosk", "start"]
    assert unit["Service"]["Restart"] == "always"


def test_xdg_autostart__entry__is_a_hidden_application_running_the_watchdog():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "kakanai-kiosk.desktop", encoding="utf-8")

    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert " watchdog " in desktop["Exec"]


def test_windows_task__xml__starts_at_logon_and_restarts_on_failure():
    root = ET.fromstring((PACKAGING / "windows" / "kakanai-kiosk-task.xml").read_bytes())

    assert root.find("t:Triggers/t:LogonTrigger", NS) is not None
    assert root.findtext("t:Settings/t:RestartOnFailure/t:Count", namespaces=NS) == "999"
    assert root.findtext("t:Settings/t:ExecutionTimeLimit", namespaces=NS) == "PT0S"
    command = root.findtext("t:Actions/t:Exec/t:Command", namespaces=NS)
    assert command is not None
    assert command.endswith("kiosk-launch.cmd")
    launcher = (PACKAGING / "windows" / "kiosk-launch.cmd").read_text(encoding="utf-8")
    assert "current.txt" in launcher
    assert "watchdog" in launcher
