"""The services the tests start end with them even when pytest is killed (harness.reaper).

A stand-in for pytest (a Python process using the harness) starts services and is killed with
SIGKILL, so that no teardown runs; its services must be gone soon after, and only those.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SUPPORT = Path(__file__).resolve().parents[1] / "support"


def _stand_in(program: str) -> tuple[subprocess.Popen[str], list[str]]:
    """Run ``program`` with the harness importable until it prints its ready line."""
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(SUPPORT)})
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the stand-in printed nothing"
    return process, line.split()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.1)
    return False


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    if process.stdout is not None:
        process.stdout.close()


def test_pytest_killed__its_services_ended_but_not_one_it_forgot(tmp_path):
    process, (kept, ended, stopped) = _stand_in(f"""
import time
from pathlib import Path
from harness.processes import start, stop
from harness.reaper import forget
log = Path({str(tmp_path)!r}) / "log"
kept, ended, stopped = (start(["sleep", "300"], log) for _ in range(3))
forget(kept.pid)          # as if the tests had stopped it themselves
stop(stopped)
print(kept.pid, ended.pid, stopped.pid, flush=True)
time.sleep(300)
""")
    kept_pid, ended_pid = int(kept), int(ended)
    try:
        _kill(process)

        assert _gone_within(ended_pid, 15)
        assert not _running(int(stopped))
        assert _running(kept_pid)           # the reaper left alone what it was told to
    finally:
        if _running(kept_pid):
            os.kill(kept_pid, signal.SIGKILL)


def test_pytest_killed__its_postgresql_cluster_shut_down_and_removed():
    process, (pid, folder) = _stand_in("""
import time
from harness.postgres import start_cluster
server = start_cluster()
print(server._postmaster(), server.data_dir.parent, flush=True)
time.sleep(300)
""")
    _kill(process)

    assert _gone_within(int(pid), 20)
    deadline = time.monotonic() + 10
    while Path(folder).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(folder).exists()
