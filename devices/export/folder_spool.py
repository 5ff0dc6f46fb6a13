"""A spool folder the core systems' import (or an RPA robot) reads: atomic, exactly once.

Layout under the configured folder::

    juki/20260401_idou_00000041.json            data files, complete before they appear
    juki/20260401_idou_00000041.csv
    juki/20260401_idou_00000041.manifest.json   written last: the batch is whole
    .staging/                                   this adapter's journal (hidden; never read it)

A batch is first written into ``.staging`` as ``<key>~<name>`` files (each fsynced, 0600),
its manifest as ``<key>~<name>.tmp``; renaming the manifest to its staged name marks the batch
staged. Before anything moves out, the keys about to be committed are written to a commit
log (``.staging/commit-*.log``). Then the data files are renamed into the system's folder and
the manifest last (the commit point: a rename is atomic on one file system). So:

* a crash before the manifest is staged leaves leftovers the next delivery removes and redoes;
* a crash after it leaves a staged manifest, and the next delivery finishes that batch;
* a crash after the commit leaves the key in a commit log without a staged manifest, and the
  next delivery writes nothing (the core system may already have taken the files away).

No reader ever sees half a file, and no batch appears twice. Many batches are delivered with
one flush of each folder per step (:meth:`FolderSpool.deliver_all`), the files fsynced in
parallel so the file system's journal commits them together.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from collections import defaultdict
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
_SEP = "~"        # key~name: keys and names never hold it (system ids, dates, form ids)
_MANIFEST = ".manifest.json"


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
    """Write ``data`` to a file readable by this user only, and force it to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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
        self.staging = root / STAGING
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
        """Deliver many batches, one flush of each folder per step; a batch another process
        is staging now is left out of the result.

        Raises:
            DeviceError: the folder cannot be written (what was staged is finished next time).
        """
        try:
            self.staging.mkdir(mode=0o700, parents=True, exist_ok=True)
            staged = self._staged_names()
            committed = self._committed_keys()
            delivered: dict[str, Delivery] = {}
            fresh, resumed = [], []
            for batch in batches:
                names = staged.get(batch.key, [])
                if any(name.endswith(_MANIFEST) for name in names):
                    resumed.append(batch)
                elif batch.key in committed:
                    # Committed before; perhaps imported and moved away already.
                    delivered[batch.key] = Delivery(
                        batch.key, str(self.root / batch.folder / batch.manifest.name), False)
                elif self._claim(batch, names):
                    fresh.append(batch)
            self._stage(fresh)
            return {**delivered, **self._commit([*resumed, *fresh])}
        except OSError as exc:
            raise DeviceError(S_("The export folder cannot be written ({reason})."),
                              reason=exc.strerror or type(exc).__name__) from exc

    def _staged_names(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for name in os.listdir(self.staging):
            key, sep, rest = name.partition(_SEP)
            if sep:
                found[key].append(rest)
        return found

    def _committed_keys(self) -> set[str]:
        keys: set[str] = set()
        for log in self.staging.glob("commit-*.log"):
            keys.update(log.read_text(encoding="utf-8").split())
        return keys

    def _claim(self, batch: ExportBatch, leftovers: list[str]) -> bool:
        """Take the batch for this process; ``False`` when another one is staging it now."""
        marker = self.staging / f"{batch.key}{_SEP}{batch.manifest.name}.tmp"
        for name in leftovers:
            path = self.staging / f"{batch.key}{_SEP}{name}"
            if name.endswith(".tmp") and time.time() - path.stat().st_mtime < self.stale_after_s:
                return False
            path.unlink()               # the remains of a crash before the batch was staged
        try:
            # Only a claim: the content and its fsync come with the batch's other files.
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:         # another process claimed it in between
            return False
        return True

    def _stage(self, batches: Sequence[ExportBatch]) -> None:
        files = [(self.staging / f"{b.key}{_SEP}{f.name}", f.data)
                 for b in batches for f in b.files]
        files += [(self.staging / f"{b.key}{_SEP}{b.manifest.name}.tmp", b.manifest.data)
                  for b in batches]
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            list(pool.map(lambda item: _write_private(*item), files))
        _fsync_dir(self.staging)
        for batch in batches:           # the batch is staged whole
            name = f"{batch.key}{_SEP}{batch.manifest.name}"
            os.replace(self.staging / f"{name}.tmp", self.staging / name)
        _fsync_dir(self.staging)

    def _commit(self, batches: Sequence[ExportBatch]) -> dict[str, Delivery]:
        if not batches:
            return {}
        _write_private(self.staging / f"commit-{uuid.uuid4().hex}.log",
                       "".join(f"{b.key}\n" for b in batches).encode("utf-8"))
        _fsync_dir(self.staging)
        # What is staged decides, not the batch: a resumed delivery finishes the files the
        # first attempt staged (same names), so the manifest matches them.
        staged = self._staged_names()
        manifests = []
        targets = set()
        for batch in batches:
            target = self.root / batch.folder
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets.add(target)
            for name in staged.get(batch.key, []):
                if name.endswith(_MANIFEST):
                    manifests.append((batch.key, name, target))
                elif not name.endswith(".tmp"):
                    os.replace(self.staging / f"{batch.key}{_SEP}{name}", target / name)
        for target in targets:
            _fsync_dir(target)          # every data file is in place before any manifest
        delivered = {}
        for key, name, target in manifests:
            os.replace(self.staging / f"{key}{_SEP}{name}", target / name)  # the commit point
            delivered[key] = Delivery(key, str(target / name), written=True)
        for target in targets:
            _fsync_dir(target)
        return delivered

    def forget_all(self, keys: Sequence[str]) -> None:
        """Drop ``keys`` from the commit logs (they are recorded in the store now)."""
        forgotten = set(keys)
        for log in self.staging.glob("commit-*.log"):
            with contextlib.suppress(FileNotFoundError):
                logged = log.read_text(encoding="utf-8").split()
                remaining = [key for key in logged if key not in forgotten]
                if not remaining:
                    log.unlink()
                elif len(remaining) < len(logged):
                    fresh = log.with_suffix(".new")
                    _write_private(fresh, "".join(f"{k}\n" for k in remaining).encode("utf-8"))
                    os.replace(fresh, log)

    def probe(self) -> Sequence[Check]:
        """The folder exists, is writable, and has room."""
        started = time.monotonic()
        try:
            probe = self.staging / f".probe-{os.getpid()}"
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
