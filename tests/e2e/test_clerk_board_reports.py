"""`kiosk clerk --report` and `kiosk board --report` as separate processes on Xvfb: a clerk signs in
and calls with real clicks, the board shows the call; both reports say so."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.staff import Role
from kiosk.ports import SystemClock
from kiosk.services.staff import StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.sealing import generate_key_text

from .reported import ReportedProcess, device_config

pytestmark = [pytest.mark.xvfb, pytest.mark.gui]

PASSWORD = "counter-password-1"


def _prepare(url: str, config: Path) -> str:
    """The database, one clerk account and one waiting ticket; the ticket's number."""
    open_storage(url, SystemClock(), auto_upgrade=True).close()     # `kiosk db upgrade`
    services = build_services(load_config(config))
    try:
        StaffService(services.storage.staff).add("clerk1", "窓口一郎", Role.CLERK, PASSWORD)
        return services.queue.take_ticket("A").ticket.label
    finally:
        services.close()


def test_clerk_and_board__reports__login_call_and_board_follow(xvfb_display, tmp_path):
    url, key = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", generate_key_text()
    configs = {role: device_config(tmp_path, role, url, key) for role in ("clerk", "board")}
    label = _prepare(url, configs["clerk"])
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "HOME": str(tmp_path)}
    env.pop("KIOSK_DEVICE_DATA_DIR", None)
    board = ReportedProcess("board", [sys.executable, "-m", "kiosk", "--config",
                                      str(configs["board"]), "board", "--windowed",
                                      "--quit-after", "120"],
                            tmp_path / "board.json", env, tmp_path / "board.log")
    clerk = None
    try:
        board.wait(lambda r: "number" in r, "the board", 60)
        # The clerk starts once the board is up: both windows share the display's top-left
        # corner and no window manager stacks them, so a board mapped after the clerk lay
        # above the login and took the clicks meant for it.
        clerk = ReportedProcess("clerk", [sys.executable, "-m", "kiosk", "--config",
                                          str(configs["clerk"]), "clerk", "--quit-after", "120"],
                                tmp_path / "clerk.json", env, tmp_path / "clerk.log")
        login = clerk.wait(lambda r: r["page"] == "login", "the login page", 60)
        desk = clerk.log_in("clerk1", PASSWORD)
        clerk.click("queue-next", times=2)          # a double click calls once
        called = clerk.wait(lambda r: r["current"] == label, "the call")
        shown = board.wait(lambda r: r["number"] == label, "the board showing the call")
    finally:
        outputs = (clerk.stop() if clerk is not None else "") + board.stop()

    assert desk["waiting"] == [label]
    assert called["waiting"] == []
    assert shown["counter"] == "1番窓口"
    assert shown["recent"] == [label]
    assert "Traceback" not in outputs
    assert PASSWORD not in (tmp_path / "clerk.json").read_text(encoding="utf-8")
    assert login["window"][2:] == [1200, 800]
