"""Keeps the kiosk running: restart it when it exits unexpectedly or hangs.

The kiosk touches a heartbeat file every few seconds from its GUI thread (the path is passed in
the ``KIOSK_HEARTBEAT`` environment variable); a frozen event loop stops touching it. The
watchdog starts the command, and restarts it when it exits with a non-zero code, or when the
heartbeat is older than ``hang_after_s`` (then it is terminated, and killed if it does not
leave). Exit code 0 is a staff member closing
the kiosk on purpose and ends the watchdog too. Restarts back off so a crash loop does not
spin the CPU of a tablet.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Watchdog", "WatchdogPolicy"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchdogPolicy:
    """How the watchdog judges and restarts."""

    hang_after_s: float = 60.0        # heartbeat older than this = hung
    startup_grace_s: float = 90.0     # a starting app may not beat yet (Qt, fonts, database)
    poll_s: float = 1.0
    restart_delay_s: float = 2.0      # first delay; doubles per quick failure, up to the max
    max_restart_delay_s: float = 60.0
    stable_after_s: float = 300.0     # a run this long resets the back-off


class Watchdog:
    """Runs ``command`` and restarts it as :class:`WatchdogPolicy` says."""

    def __init__(self, command: Sequence[str], heartbeat: Path, policy: WatchdogPolicy,
                 *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.command = list(command)
        self.heartbeat = heartbeat
        self.policy = policy
        self.restarts = 0
        self._sleep = sleep

    def run(self, max_runs: int | None = None) -> int:
        """Supervise until the command exits with 0 (or ``max_runs`` runs); return its code."""
        delay = self.policy.restart_delay_s
        runs = 0
        while True:
            started = time.monotonic()
            code = self._run_once()
            runs += 1
            if code == 0 or (max_runs is not None and runs >= max_runs):
                return code
            self.restarts += 1
            if time.monotonic() - started >= self.policy.stable_after_s:
                delay = self.policy.restart_delay_s
            _log.warning("kiosk ended (%s); restarting in %.0f s", _describe(code), delay)
            self._sleep(delay)
            delay = min(delay * 2, self.policy.max_restart_delay_s)

    def _run_once(self) -> int:
        """Run the command once; a hang is reported as exit code -1."""
        self.heartbeat.unlink(missing_ok=True)
        started = time.monotonic()
        # The kiosk finds where to beat in KIOSK_HEARTBEAT (see kiosk.ui.common.application).
        process = subprocess.Popen(self.command,
                                   env={**os.environ, "KIOSK_HEARTBEAT": str(self.heartbeat)})
        while True:
            code = process.poll()
            if code is not None:
                return code
            if self._hung(started):
                _log.warning("kiosk heartbeat is older than %.0f s: restarting it",
                             self.policy.hang_after_s)
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
                return -1
            time.sleep(self.policy.poll_s)

    def _hung(self, started: float) -> bool:
        try:
            age = time.time() - self.heartbeat.stat().st_mtime
        except FileNotFoundError:
            # No heartbeat yet: hung only when the start-up grace is over.
            return time.monotonic() - started > self.policy.startup_grace_s
        return age > self.policy.hang_after_s


def _describe(code: int) -> str:
    return "hung" if code == -1 else f"exit code {code}"
