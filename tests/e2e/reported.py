"""A front end run as its own process, seen through its ``--report`` file, clicked with xdotool."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Report = dict[str, Any]

__all__ = ["Report", "ReportReader", "ReportedProcess"]


class ReportReader:
    """A running front end process seen through its report file."""

    def __init__(self, name: str, report: Path, env: dict[str, str],
                 process: subprocess.Popen[Any]) -> None:
        self.name = name
        self.report_path = report
        self.env = env
        self.process = process
        self.last: Report = {"sequence": 0}

    def report(self) -> Report | None:
        """The report as last written, or ``None`` before the first one."""
        try:
            return json.loads(self.report_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None

    def output(self) -> str:
        """What the process printed so far (nothing known here)."""
        return ""

    def wait(self, condition: Callable[[Report], bool], what: str, timeout_s: float = 30) -> Report:
        """Wait until the report satisfies ``condition``; fails if the process ends first."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, \
                f"{self.name} ended while waiting for {what}: {self.output()[-2000:]}"
            report = self.report()
            if report is not None and condition(report):
                self.last = report
                return report
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: timed out waiting for {what}; last {self.report()}")


class ReportedProcess(ReportReader):
    """``kiosk <role> --report FILE`` on an X display; waits on the report, clicks and types."""

    def __init__(self, name: str, command: list[str], report: Path, env: dict[str, str],
                 log: Path) -> None:
        self.log = log
        self._log_file = log.open("w", encoding="utf-8")
        super().__init__(name, report, env,
                         subprocess.Popen([*command, "--report", str(report)], env=env,
                                          stdout=self._log_file, stderr=subprocess.STDOUT))

    def click(self, name: str, *, times: int = 1) -> None:
        """Click the button (or field) ``name`` of the last report ``times`` times in a row."""
        places = {**self.last.get("fields", {}), **self.last["buttons"]}
        x, y = places[name]
        self.xdotool("mousemove", str(x), str(y), "click", "--repeat", str(times),
                     "--delay", "60", "1")

    def type_into(self, field: str, text: str) -> None:
        """Click the field ``field`` and type ``text`` (not personal: staff test accounts)."""
        self.click(field)
        self.xdotool("type", "--delay", "20", text)

    def xdotool(self, *args: str) -> None:
        """Run xdotool on this process's display."""
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=20)

    def stop(self) -> str:
        """End the process (SIGTERM, then SIGKILL) and return what it printed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log_file.close()
        return self.output()

    def kill(self) -> None:
        """Kill the process at once, as a power cut or a crash would."""
        self.process.kill()
        self.process.wait(10)

    def output(self) -> str:
        """What the process printed so far."""
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")
