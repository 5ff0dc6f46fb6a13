"""The demo and training printer: every job becomes a numbered PDF in a folder.

A printed form holds the visitor's full answers, so the files do not outlive their purpose:
:meth:`FolderPrinter.purge` deletes those older than ``[printer] retention_hours`` (the running
kiosk calls it every few minutes), and the demo's printer deletes what it printed when the demo
closes. A device that is not the demo should print on paper; ``kiosk doctor`` says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
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

    def __init__(self, folder: Path, *, retention_hours: int = 24, delete_on_close: bool = False,
                 training_only: bool = False) -> None:
        """``delete_on_close``: the demo's; ``training_only``: this device should print on paper,
        so :meth:`probe` warns."""
        self.folder = folder
        self.retention_hours = retention_hours
        self._delete_on_close = delete_on_close
        self._training_only = training_only
        self._printed: list[Path] = []
        self._lock = threading.Lock()

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Copy ``pdf`` into the folder ``copies`` times and return the job id."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            safe_title = _UNSAFE.sub("_", title)[:60] or "document"
            with self._lock:
                job = f"{self._last_job() + 1:05d}"
                for copy in range(1, copies + 1):
                    suffix = f"-{copy}" if copies > 1 else ""
                    target = self.folder / f"{job}-{safe_title}{suffix}.pdf"
                    shutil.copyfile(pdf, target)
                    self._printed.append(target)
        except OSError as exc:
            raise DeviceError(S_("The printer could not print: {reason}"),
                              reason=exc.strerror or str(exc)) from exc
        return job

    def _last_job(self) -> int:
        return max((int(p.name[:5]) for p in self._jobs()), default=0)

    def _jobs(self) -> list[Path]:
        return list(self.folder.glob("[0-9][0-9][0-9][0-9][0-9]-*.pdf"))

    def purge(self) -> int:
        """Delete the printed files older than the retention; returns how many."""
        cutoff = time.time() - self.retention_hours * 3600
        with self._lock:
            old = [path for path in self._jobs() if _modified(path) < cutoff]
            for path in old:
                path.unlink(missing_ok=True)
        return len(old)

    def close(self) -> None:
        """The demo's printer deletes every file it printed (the demo has closed)."""
        if not self._delete_on_close:
            return
        with self._lock:
            for path in self._printed:
                path.unlink(missing_ok=True)
            self._printed.clear()

    def probe(self) -> list[Check]:
        """The folder (or the folder it will be made in) is writable; nothing is created."""
        existing = next(p for p in (self.folder, *self.folder.parents) if p.exists())
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            return [Check("printer.ready", Status.FAIL, f"cannot write to {existing}",
                          "Set [printer] output_dir to a writable folder.")]
        made = "" if existing == self.folder else " (made at the first print)"
        checks = [Check("printer.ready", Status.OK,
                        f"printing to folder {self.folder}{made} (demo)")]
        if self._training_only:
            checks.append(Check(
                "printer.kind", Status.WARN,
                f"completed forms go to PDF files in {self.folder} (kept "
                f"{self.retention_hours} h), not on paper",
                'Set [printer] kind = "cups" (or "qt" on Windows); "file" is for the demo and '
                "training."))
        return checks


def _modified(path: Path) -> float:
    with contextlib.suppress(FileNotFoundError):
        return path.stat().st_mtime
    return time.time()           # gone already: nothing to delete
