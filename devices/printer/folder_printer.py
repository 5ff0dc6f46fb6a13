"""The demo and training printer: every job becomes a numbered PDF in a folder."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_

__all__ = ["FolderPrinter"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FolderPrinter:
    """Writes each printed PDF to ``folder`` as ``<job>-<title>.pdf``.

    The title must not hold personal data; callers pass a document kind and an application id.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Copy ``pdf`` into the folder ``copies`` times and return the job id."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            safe_title = _UNSAFE.sub("_", title)[:60] or "document"
            with self._lock:
                job = f"{self._last_job() + 1:05d}"
                for copy in range(1, copies + 1):
                    suffix = f"-{copy}" if copies > 1 else ""
                    shutil.copyfile(pdf, self.folder / f"{job}-{safe_title}{suffix}.pdf")
        except OSError as exc:
            raise DeviceError(S_("The printer could not print: {reason}"),
                              reason=exc.strerror or str(exc)) from exc
        return job

    def _last_job(self) -> int:
        numbers = [int(p.name[:5]) for p in self.folder.glob("[0-9][0-9][0-9][0-9][0-9]-*.pdf")]
        return max(numbers, default=0)

    def probe(self) -> list[Check]:
        """The folder (or the folder it will be made in) is writable; nothing is created."""
        existing = next(p for p in (self.folder, *self.folder.parents) if p.exists())
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            return [Check("printer.ready", Status.FAIL, f"cannot write to {existing}",
                          "Set [printer] output_dir to a writable folder.")]
        made = "" if existing == self.folder else " (made at the first print)"
        return [Check("printer.ready", Status.OK, f"printing to folder {self.folder}{made} (demo)")]
