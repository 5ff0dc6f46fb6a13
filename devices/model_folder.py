"""Installing a folder IT copied onto the device (a model, a dictionary): whole or not at all."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["replace_folder"]


def replace_folder(files: Iterable[Path], final: Path) -> None:
    """Copy ``files`` into the folder ``final``, replacing what was there.

    The copy is made next to ``final`` and renamed into place, so a kiosk starting meanwhile
    sees the old folder or the new one, never half of one.

    Raises:
        OSError: the copy or the rename failed (the partial copy is removed).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=final.parent))
    try:
        for path in files:
            shutil.copy2(path, staging / path.name)
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
