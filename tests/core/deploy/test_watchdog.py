"""The watchdog restarts a kiosk that crashes or hangs, and stops when staff close it (exit 0)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.deploy.watchdog import Watchdog, WatchdogPolicy

# A stand-in kiosk: counts its runs in a file, then behaves as the run number says.
CHILD = """
import os, pathlib, sys, time
runs = pathlib.Path(sys.argv[1])
n = int(runs.read_text()) + 1 if runs.exists() else 1
runs.write_text(str(n))
plan = sys.argv[2].split(",")
action = plan[min(n, len(plan)) - 1]
beat = pathlib.Path(os.environ["KIOSK_HEARTBEAT"])
if action == "crash":
    sys.exit(3)
if action == "hang":            # starts, beats once, then the event loop freezes
    beat.touch()
    time.sleep(60)
if action == "beat-then-exit":
    for _ in range(3):
        beat.touch()
        time.sleep(0.1)
sys.exit(0)
"""

FAST = WatchdogPolicy(hang_after_s=0.8, startup_grace_s=5, poll_s=0.05, restart_delay_s=0.01,
                      max_restart_delay_s=0.02)


def _watchdog(tmp_path: Path, plan: str) -> tuple[Watchdog, Path]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    runs = tmp_path / "runs"
    command = [sys.executable, str(script), str(runs), plan]
    return Watchdog(command, tmp_path / "heartbeat", FAST, sleep=lambda _s: None), runs


@pytest.mark.parametrize(("plan", "runs", "restarts"), [
    ("exit", 1, 0),                        # staff closed the kiosk: no restart
    ("crash,crash,exit", 3, 2),            # crashes are restarted until a clean exit
    ("hang,beat-then-exit", 2, 1),         # a frozen kiosk is killed and restarted
])
def test_watchdog__child_behaviour__restarts_as_policy_says(tmp_path, plan, runs, restarts):
    watchdog, counter = _watchdog(tmp_path, plan)

    code = watchdog.run(max_runs=5)

    assert code == 0
    assert int(counter.read_text()) == runs
    assert watchdog.restarts == restarts


def test_watchdog__always_crashing__gives_up_after_max_runs_with_its_code(tmp_path):
    watchdog, counter = _watchdog(tmp_path, "crash")

    assert watchdog.run(max_runs=3) == 3
    assert int(counter.read_text()) == 3
