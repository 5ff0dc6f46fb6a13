"""`kiosk tablet` in kiosk mode on Xvfb, tapped with real X input events (xdotool), reading the
emulated My Number card through the real pcscd + vpcd stack, down to a ticket in SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.domain.ticket import TicketState
from kiosk.ports import SystemClock
from kiosk.storage.database import open_storage

from .reported import Tablet, answer_forms, enter_pin, to_pin_pad

pytestmark = [pytest.mark.pcscd, pytest.mark.xvfb, pytest.mark.gui]


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "tablet.toml"
    path.write_text(f"""
[device]
role = "tablet"
data_dir = "{tmp_path / 'data'}"
[card]
simulated = false
reader = "Virtual PCD 00 00"
[speech]
kind = "off"
[printer]
kind = "file"
[ui]
fullscreen = true
screen_dpi = 96.0
""", encoding="utf-8")
    return path


def test_tablet__real_card_and_real_taps__welcome_to_ticket_in_sqlite(pcscd, xvfb_display,
                                                                     tmp_path):
    card = subprocess.Popen([sys.executable, "-m", "devices.smartcard.vpcd_card",
                             "--port", str(pcscd.vpcd_port(0)), "--person", "plain"])
    report = tmp_path / "report.json"
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "HOME": str(tmp_path)}
    env.pop("KIOSK_DEVICE_DATA_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(_config(tmp_path)), "tablet",
         "--quit-after", "120", "--report", str(report)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tablet = Tablet(report, env, process)
    try:
        first = tablet.wait(lambda r: r["stage"] == "welcome", "the welcome screen", 60)
        to_pin_pad(tablet)
        enter_pin(tablet, "1234")
        tablet.wait(lambda r: r["stage"] == "forms", "the card read", 60)
        answer_forms(tablet)
        # Send sits on the footer's forward place: on screen however long the check is.
        tablet.wait(lambda r: r["stage"] == "review" and "submit-print" in r["buttons"],
                    "review")
        tablet.tap_and_wait("submit-print", "ticket")
        ticket = tablet.wait(lambda r: r["stage"] == "ticket", "ticket")
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
        card.terminate()
        card.wait(10)

    assert first["full_screen"], output[-2000:]
    assert first["window"][2:] == [1920, 1080]
    assert "finish" in ticket["buttons"]
    storage = open_storage(f"sqlite:///{tmp_path / 'data' / 'kiosk.sqlite3'}", SystemClock())
    try:
        tickets = storage.queue.tickets(["A"], [TicketState.ISSUED])
    finally:
        storage.close()
    assert len(tickets) == 1
    assert tickets[0].label.startswith("A-")
