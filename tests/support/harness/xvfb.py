"""Xvfb, the virtual X server the end-to-end GUI tests draw real windows on."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from harness import ServiceUnavailable
from harness.processes import stop
from harness.reaper import watch


class XvfbService:
    """An Xvfb we started on a display number it picked itself (``-displayfd``)."""

    def __init__(self, workdir: Path, size: str = "1920x1080x24") -> None:
        self.workdir = workdir
        self.size = size
        self.display = ""
        self._process: subprocess.Popen[bytes] | None = None
        if shutil.which("Xvfb") is None:
            raise ServiceUnavailable("Xvfb is not installed (apt-get install xvfb)")

    def start(self) -> str:
        """Start Xvfb and return its DISPLAY value, e.g. ``":99"``."""
        read_end, write_end = os.pipe()
        log = (self.workdir / "xvfb.log").open("ab")
        try:
            self._process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", self.size,
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_end,), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            os.close(write_end)
            log.close()
        watch(self._process.pid)
        with os.fdopen(read_end, "rb") as reader:
            chunks = reader.readline()
        if not chunks.strip():
            stop(self._process)
            raise ServiceUnavailable("Xvfb did not report a display number")
        self.display = f":{int(chunks.strip())}"
        return self.display

    def stop(self) -> None:
        """Stop Xvfb by its PID."""
        stop(self._process)
        self._process = None
