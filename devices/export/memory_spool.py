"""The export simulator: batches kept in memory (the demo, training, tests).

It follows the folder spool's contract (exactly once per key, the manifest last) without
touching a disk, so nothing a trainee approves leaves the machine.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.doctor import Check, Status
from kiosk.ports import Delivery, ExportBatch

__all__ = ["MemorySpool"]


class MemorySpool:
    """Keeps every delivered batch: ``folders[system][file name] = bytes``."""

    def __init__(self) -> None:
        self.folders: dict[str, dict[str, bytes]] = {}
        self.delivered: set[str] = set()

    def deliver(self, batch: ExportBatch) -> Delivery:
        """Keep ``batch`` once; a second delivery of the key writes nothing."""
        name = f"memory:{batch.folder}/{batch.manifest.name}"
        if batch.key in self.delivered:
            return Delivery(batch.key, name, written=False)
        folder = self.folders.setdefault(batch.folder, {})
        for file in (*batch.files, batch.manifest):
            folder[file.name] = file.data
        self.delivered.add(batch.key)
        return Delivery(batch.key, name, written=True)

    def deliver_all(self, batches: Sequence[ExportBatch]) -> dict[str, Delivery]:
        """Each batch as :meth:`deliver` keeps it."""
        return {batch.key: self.deliver(batch) for batch in batches}

    def forget_all(self, keys: Sequence[str]) -> None:
        """Nothing to clean up in memory."""

    def probe(self) -> Sequence[Check]:
        """Always fine, and says that nothing leaves the machine."""
        return [Check("export.folder", Status.WARN,
                      "export simulated: approved applications are not handed on",
                      "Set [export] kind = \"folder\" and folder on a clerk PC.", 0.0)]
