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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.ports import Delivery, ExportBatch

__all__ = ["STAGING", "ExportBusyError", "FolderSpool"]

STAGING = ".staging"
_WRITERS = 8      # files fsynced at once: the file system's journal commits them together


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
        delivered = self.deliver_all([batch])
        if batch.key not in delivered:
            raise ExportBusyError(S_("This application is being exported by another device; "
                                     "it will be handed on from there."))
        return delivered[batch.key]

    def deliver_all(self, batches: Sequence[ExportBatch]) -> dict[str, Delivery]:
        """Deliver many batches with one flush to disk per step instead of one per file.

        The steps are those of :meth:`deliver` for every batch at once: stage all (files
        written and fsynced in parallel, so the file system commits them together), rename the
        staged folders, move the data files, then the manifests. A batch another process is
        staging is left out of the result.

        Raises:
            DeviceError: the folder cannot be written (what was staged is finished next time).
        """
        try:
            staging = self.root / STAGING
            staging.mkdir(mode=0o700, parents=True, exist_ok=True)
            parts = [b for b in batches if not (staging / b.key).exists() and self._claim(b)]
            with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
                list(pool.map(lambda item: _write_private(*item),
                              [(staging / f"{b.key}.part" / f.name, f.data)
                               for b in parts for f in (*b.files, b.manifest)]))
                list(pool.map(_fsync_dir, [staging / f"{b.key}.part" for b in parts]))
            for batch in parts:
                os.replace(staging / f"{batch.key}.part", staging / batch.key)
            _fsync_dir(staging)
            return self._commit_all([b for b in batches if (staging / b.key).exists()])
        except OSError as exc:
            raise DeviceError(S_("The export folder cannot be written ({reason})."),
                              reason=exc.strerror or type(exc).__name__) from exc

    def _claim(self, batch: ExportBatch) -> bool:
        """Make the batch's ``.part`` folder; ``False`` when another process is writing it."""
        part = self.root / STAGING / f"{batch.key}.part"
        if part.exists():
            if time.time() - part.stat().st_mtime < self.stale_after_s:
                return False
            shutil.rmtree(part)         # the remains of a crash before the batch was staged
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:         # another process made it in between
            return False
        return True

    def _commit_all(self, batches: Sequence[ExportBatch]) -> dict[str, Delivery]:
        # What is staged decides, not the batch: a resumed delivery finishes the files the
        # first attempt staged (same names, its own exported_at), so the manifest matches them.
        delivered: dict[str, Delivery] = {}
        pending: list[tuple[ExportBatch, Path, Path]] = []
        targets = set()
        for batch in batches:
            staged, target = self.root / STAGING / batch.key, self.root / batch.folder
            manifests = sorted(staged.glob("*.manifest.json"))
            if not manifests:
                # The manifest left the staging folder: committed before (perhaps imported and
                # moved away by the core system already). Writing again would duplicate it.
                delivered[batch.key] = Delivery(batch.key, str(target / batch.manifest.name),
                                                written=False)
                continue
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets.add(target)
            for source in sorted(staged.iterdir()):
                if source != manifests[0]:
                    os.replace(source, target / source.name)
            pending.append((batch, manifests[0], target))
        for target in targets:
            _fsync_dir(target)          # every data file is in place before any manifest
        for batch, manifest, target in pending:
            os.replace(manifest, target / manifest.name)     # the commit point
            delivered[batch.key] = Delivery(batch.key, str(target / manifest.name), written=True)
        for target in targets:
            _fsync_dir(target)
        return delivered

    def forget_all(self, keys: Sequence[str]) -> None:
        """Remove the journals of ``keys`` (empty folders once committed)."""
        def remove(key: str) -> None:
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(self.root / STAGING / key)

        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            list(pool.map(remove, keys))

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
