"""The city's document store for signed electronic applications: a folder of PDF files.

One file per application, ``<month>/<form>-<application id>.pdf`` (``2026-12/juminhyo-42.pdf``),
written whole under a temporary name and renamed, files 0600 in 0700 folders. These files are
the city's official records: they are kept as its document rules (文書管理規程) say and are
not purged with the answers. A file is never overwritten: filing an application twice is
refused, so a record cannot be replaced from the counter.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from kiosk.errors import StorageError
from kiosk.file_modes import private_dir
from kiosk.i18n import S_

__all__ = ["DocumentStore"]


class DocumentStore:
    """Signed application PDFs under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"DocumentStore({self.root})"

    def path_of(self, month: str, form_id: str, application_id: int) -> Path:
        """Where the application's file is (or would be)."""
        return self.root / month / f"{form_id}-{application_id}.pdf"

    def put(self, month: str, form_id: str, application_id: int, data: bytes) -> Path:
        """Store one signed PDF; returns its path.

        Raises:
            StorageError: it exists already, or the folder cannot be written.
        """
        path = self.path_of(month, form_id, application_id)
        try:
            private_dir(path.parent)
            temporary = path.with_suffix(".part")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            if path.exists():
                temporary.unlink()
                raise StorageError(S_("Application {id} is already in the document store."),
                                   id=application_id)
            temporary.rename(path)
        except OSError as exc:
            raise StorageError(S_("The document store {folder} cannot be written."),
                               folder=str(self.root)) from exc
        return path

    def counts(self) -> Counter[tuple[str, str]]:
        """Stored files by (form id, month): what the usage report must agree with."""
        found: Counter[tuple[str, str]] = Counter()
        if not self.root.is_dir():
            return found
        for path in self.root.glob("*/*.pdf"):
            form_id = path.stem.rsplit("-", 1)[0]
            found[(form_id, path.parent.name)] += 1
        return found
