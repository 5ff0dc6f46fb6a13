"""Printing through CUPS with ``lp``, following the job until it completes or fails."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["CupsPrinter"]

_JOB_ID = re.compile(r"request id is (\S+)")
# IPP job-state-reasons that mean the job will not come out right.
_FAILURE_MARKERS = ("error", "aborted", "canceled", "stopped", "unsupported")


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
            raise DeviceError(S_("The printer refused the job: {reason}"),
                              reason=(result.stderr or result.stdout).strip() or "lp failed")
        job = match.group(1)
        self._wait(job)
        return job

    def _wait(self, job: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            state = self._job_state(job)
            if state is None:
                raise DeviceError(S_("The printer stopped the job: {reason}"),
                                  reason=self._queue_reason())
            alerts, status = state
            failed = any(marker in alert for alert in alerts for marker in _FAILURE_MARKERS)
            if not failed and job in self._completed_jobs():
                return
            if not failed and self._stopped():
                # A disabled queue holds the job without an alert on it: the clerk would wait
                # the whole timeout with the desk frozen, and the job print later unasked.
                self._run(["cancel", job])
                raise DeviceError(S_("The printer stopped the job: {reason}"),
                                  reason=self._queue_reason())
            if failed:
                # Cancel so that a retried job can never print later as a ghost copy.
                self._run(["cancel", job])
                raise DeviceError(S_("The printer could not print the job: {reason}"),
                                  reason=status or ", ".join(sorted(alerts)))
            time.sleep(0.1)
        self._run(["cancel", job])
        raise DeviceError(S_("The printer did not finish within {seconds} seconds: {reason}"),
                          seconds=int(self.timeout_s), reason=self._queue_reason())

    def _stopped(self) -> bool:
        """Whether the named queue is disabled (``cupsdisable``, or stopped by a backend)."""
        if not self.queue:
            return False
        lines = self._run(["lpstat", "-p", self.queue]).stdout.splitlines()
        return any(line.startswith(f"printer {self.queue} ") and " disabled" in line
                   for line in lines)

    def _completed_jobs(self) -> set[str]:
        listing = self._run(["lpstat", "-W", "completed", "-o"]).stdout.splitlines()
        return {line.split()[0] for line in listing if line.strip()}

    def _job_state(self, job: str) -> tuple[set[str], str] | None:
        """The job's IPP state reasons ("Alerts") and status message, from ``lpstat -l``."""
        listing = self._run(["lpstat", "-W", "all", "-l", "-o"]).stdout.splitlines()
        for index, line in enumerate(listing):
            if line.split()[:1] != [job]:
                continue
            alerts: set[str] = set()
            status = ""
            for detail in listing[index + 1:]:
                if detail and not detail[0].isspace():
                    break
                key, _, value = detail.strip().partition(":")
                if key == "Alerts":
                    alerts = set(value.split())
                elif key == "Status":
                    status = value.strip()
            return alerts, status
        return None

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
            raise DeviceError(S_("The printer could not be reached: {reason}"),
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
