"""`kiosk tablet` in kiosk mode on Xvfb, tapped with real X input events (xdotool), reading the
emulated My Number card through the real pcscd + vpcd stack, down to a ticket in SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.ticket import TicketState
from kiosk.ports import SystemClock
from kiosk.storage.database import open_storage

pytestmark = [pytest.mark.pcscd, pytest.mark.xvfb, pytest.mark.gui]

Report = dict[str, Any]


class Tablet:
    """The tablet process, seen through its ``--report`` file and tapped with xdotool."""

    def __init__(self, report: Path, env: dict[str, str], process: subprocess.Popen[str]) -> None:
        self.report_path = report
        self.env = env
        self.process = process
        self.last: Report = {"sequence": 0}

    def report(self) -> Report | None:
        try:
            return json.loads(self.report_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None

    def wait(self, condition: Callable[[Report], bool], what: str, timeout_s: float = 30) -> Report:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the tablet ended while waiting for {what}"
            report = self.report()
            if report is not None and condition(report):
                self.last = report
                return report
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; last report {self.report()}")

    def tap(self, name: str) -> Report:
        """Tap the button ``name`` of the current report and wait for the screen to change."""
        before = self.last
        x, y = before["buttons"][name]
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=self.env,
                       check=True, timeout=10)
        return before

    def tap_and_wait(self, name: str, what: str, *, stage: str = "", button: str = "") -> Report:
        """Tap ``name``, then wait for a new report (on ``stage``, showing ``button``)."""
        before = self.tap(name)
        return self.wait(lambda r: r["sequence"] > before["sequence"]
                         and (not stage or r["stage"] == stage)
                         and (not button or button in r["buttons"]), f"{what} after {name}")

    def scroll_to(self, name: str, what: str) -> Report:
        """Scroll the screen down (the mouse wheel, as a swipe) until ``name`` is on screen."""
        for _ in range(40):
            report = self.report() or self.last
            if name in report["buttons"]:
                self.last = report
                return report
            subprocess.run(["xdotool", "mousemove", "960", "600", "click", "5"], env=self.env,
                           check=True, timeout=10)
            time.sleep(0.2)
        raise AssertionError(f"{name} never came on screen for {what}; last {self.report()}")

    def type_keys(self, keys: str) -> None:
        for key in keys:
            self.tap(f"key-{key}")
            time.sleep(0.15)     # the PIN pad changes no button until the last digit


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


def _answer_forms(tablet: Tablet) -> None:
    """Every question of 住民票の写し with taps only: confirm, skip, default, first option."""
    for _ in range(30):
        report = tablet.last
        if report["stage"] != "forms":
            return
        buttons = report["buttons"]
        if "reading-confirm" in buttons:
            tablet.tap_and_wait("reading-confirm", "next question", button="next")
            continue
        if "skip" in buttons:
            tablet.tap_and_wait("skip", "next question", button="next")
            continue
        if report["question"] == "purpose":
            first = sorted(name for name in buttons if name.startswith("option-"))[0]
            tablet.tap_and_wait(first, "purpose chosen", button="next")
        # The purpose is the last question: the declaration is the check screen's button.
        tablet.tap_and_wait("next", "next question",
                            button="next" if report["question"] != "purpose" else "")
    raise AssertionError("the forms never ended")


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
        tablet.tap_and_wait("start", "choose", stage="choose")
        tablet.scroll_to("procedure-juminhyo", "the procedure list")   # 43 procedures: scroll
        tablet.tap_and_wait("procedure-juminhyo", "juminhyo chosen", button="next")
        tablet.tap_and_wait("next", "identify", stage="identify", button="use-card")
        tablet.tap_and_wait("use-card", "the PIN pad", button="key-1")
        tablet.type_keys("1234")
        tablet.wait(lambda r: "pin-ok" in r["buttons"], "PIN complete")
        tablet.tap("pin-ok")
        tablet.wait(lambda r: r["stage"] == "forms", "the card read", 60)
        _answer_forms(tablet)
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
