"""A spool folder the core systems' import (or an RPA robot) reads: atomic, exactly once.

Layout under the configured folder::

    juki/20260401_idou_00000041.json        data files, complete before they appear
    juki/20260401_idou_00000041.csv
    juki/20260401_idou_00000041.manifest.json   written last: the batch is whole
    .staging/juki-41/                        this adapter's journal (hidden; never read it)

A batch is first written whole into ``.staging/<key>.part`` (each file fsynced, 0600), then
that folder is renamed to ``.staging/<key>`` (the batch is staged), the data files are renamed
into the system's folder and the manifest last (the commit point: a rename is atomic on one
file system). A crash before the commit leaves the staged batch, which the next delivery of the
same key finishes; a crash after it leaves a staging folder without manifest, which tells the
next delivery that nothing is to be written again. So no reader ever sees half a file, and no
batch appears twice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.ports import Delivery, ExportBatch

__all__ = ["STAGING", "ExportBusyError", "FolderSpool"]

STAGING = ".staging"


class ExportBusyError(DeviceError):
    """Another process is writing the same batch right now (it will finish it)."""


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return      # Windows cannot open a folder to fsync it; NTFS journals the rename
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by this user only, and force it to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


class FolderSpool:
    """Delivers export batches into ``root`` (see the module docstring for the protocol).

    ``stale_after_s``: a half-staged batch younger than this is another process's work in
    progress and is left alone; an older one is the remains of a crash and is redone.
    """

    def __init__(self, root: Path, *, stale_after_s: float = 300.0) -> None:
        self.root = root
        self.stale_after_s = stale_after_s

    def deliver(self, batch: ExportBatch) -> Delivery:
        """Write ``batch`` or finish the delivery a crash cut short; never twice.

        Raises:
            ExportBusyError: another process is staging the same batch now.
            DeviceError: the folder cannot be written.
        """
        try:
            staged = self.root / STAGING / batch.key
            if not staged.exists():
                self._stage(batch, staged)
            return self._commit(batch, staged)
        except OSError as exc:
            raise DeviceError(S_("The export folder cannot be written ({reason})."),
                              reason=exc.strerror or type(exc).__name__) from exc

    def _stage(self, batch: ExportBatch, staged: Path) -> None:
        staging = self.root / STAGING
        staging.mkdir(mode=0o700, parents=True, exist_ok=True)
        part = staging / f"{batch.key}.part"
        if part.exists():
            if time.time() - part.stat().st_mtime < self.stale_after_s:
                raise ExportBusyError(S_("This application is being exported by another "
                                         "device; it will be handed on from there."))
            shutil.rmtree(part)         # the remains of a crash before the batch was staged
        part.mkdir(mode=0o700)          # fails if another process made it in between
        for file in (*batch.files, batch.manifest):
            _write_private(part / file.name, file.data)
        _fsync_dir(part)
        os.replace(part, staged)
        _fsync_dir(staging)

    def _commit(self, batch: ExportBatch, staged: Path) -> Delivery:
        # What is staged decides, not ``batch``: a resumed delivery finishes the files the
        # first attempt staged (same names, its own exported_at), so the manifest matches them.
        target = self.root / batch.folder
        manifests = sorted(staged.glob("*.manifest.json"))
        if not manifests:
            # The manifest left the staging folder: committed before (perhaps already
            # imported and moved away by the core system). Writing again would duplicate it.
            return Delivery(batch.key, str(target / batch.manifest.name), written=False)
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        for source in sorted(staged.iterdir()):
            if source not in manifests:
                os.replace(source, target / source.name)
        _fsync_dir(target)
        manifest = target / manifests[0].name
        os.replace(manifests[0], manifest)      # the commit point
        _fsync_dir(target)
        return Delivery(batch.key, str(manifest), written=True)

    def forget(self, key: str) -> None:
        """Remove the journal of ``key`` (empty once committed)."""
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.root / STAGING / key)

    def probe(self) -> Sequence[Check]:
        """The folder exists, is writable, and has room."""
        started = time.monotonic()
        try:
            probe = self.root / STAGING / f".probe-{os.getpid()}"
            probe.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_private(probe, b"")
            probe.unlink()
        except OSError as exc:
            return [Check("export.folder", Status.FAIL,
                          f"cannot write to the export folder {self.root} ({exc.strerror})",
                          "Create it, or give the kiosk's user write access ([export] folder).",
                          time.monotonic() - started)]
        free_mb = shutil.disk_usage(self.root).free // 1_000_000
        status = Status.OK if free_mb > 100 else Status.WARN
        return [Check("export.folder", status, f"export folder {self.root}: {free_mb} MB free",
                      "" if status is Status.OK else "Free disk space on the export folder.",
                      time.monotonic() - started)]
