"""Printing through CUPS with ``lp``, following the job until it completes or fails."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import N_

__all__ = ["CupsPrinter"]

_JOB_ID = re.compile(r"request id is (\S+)")


class CupsPrinter:
    """A CUPS queue (``lp -d QUEUE``); ``queue`` empty means the CUPS default destination.

    ``print_pdf`` returns only when CUPS reports the job completed, so that a ticket or a form
    is never counted as printed when the printer failed.
    """

    def __init__(self, queue: str, *, timeout_s: float = 60.0) -> None:
        self.queue = queue
        self.timeout_s = timeout_s

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Submit ``pdf`` and wait for the job to complete; return the CUPS job id."""
        command = ["lp", "-t", title, "-n", str(copies)]
        if self.queue:
            command += ["-d", self.queue]
        result = self._run([*command, "--", str(pdf)])
        match = _JOB_ID.search(result.stdout)
        if result.returncode != 0 or match is None:
            raise DeviceError(N_("The printer refused the job: {reason}"),
                              reason=(result.stderr or result.stdout).strip() or "lp failed")
        job = match.group(1)
        self._wait(job)
        return job

    def _wait(self, job: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if job in self._run(["lpstat", "-W", "completed", "-o"]).stdout.split():
                return
            active = self._run(["lpstat", "-o"]).stdout.split()
            if job not in active:
                # Neither active nor completed: CUPS aborted or cancelled it.
                raise DeviceError(N_("The printer stopped the job: {reason}"),
                                  reason=self._queue_reason())
            time.sleep(0.1)
        raise DeviceError(N_("The printer did not finish within {seconds} seconds: {reason}"),
                          seconds=int(self.timeout_s), reason=self._queue_reason())

    def _queue_reason(self) -> str:
        command = ["lpstat", "-p"] + ([self.queue] if self.queue else [])
        lines = self._run(command).stdout.strip().splitlines()
        return " ".join(line.strip() for line in lines) or "unknown state"

    @staticmethod
    def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=20,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeviceError(N_("The printer could not be reached: {reason}"),
                              reason=str(exc)) from exc

    def probe(self) -> list[Check]:
        """CUPS answers and the queue exists and accepts jobs."""
        if shutil.which("lpstat") is None:
            return [Check("printer.ready", Status.FAIL, "CUPS client tools (lpstat) not found",
                          "Install cups-client, or use [printer] kind = \"qt\".")]
        try:
            queues = self._run(["lpstat", "-e"])
            accepting = self._run(["lpstat", "-a"] + ([self.queue] if self.queue else []))
        except DeviceError as exc:
            return [Check("printer.ready", Status.FAIL, exc.english(), "Start CUPS (cupsd).")]
        names = queues.stdout.split()
        if queues.returncode != 0:
            return [Check("printer.ready", Status.FAIL, queues.stderr.strip() or "CUPS not answering",
                          "Start CUPS (cupsd) or check CUPS_SERVER.")]
        if self.queue and self.queue not in names:
            return [Check("printer.ready", Status.FAIL,
                          f"no CUPS queue '{self.queue}'; queues: {', '.join(names) or 'none'}",
                          "Add the printer in CUPS or fix [printer] name.")]
        if accepting.returncode != 0 or "not accepting" in accepting.stdout:
            return [Check("printer.ready", Status.FAIL, accepting.stdout.strip() or
                          accepting.stderr.strip(), f"cupsenable {self.queue}; cupsaccept {self.queue}")]
        return [Check("printer.ready", Status.OK,
                      f"CUPS queue {self.queue or '(default)'} accepting jobs")]
