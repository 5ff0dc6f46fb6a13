"""Adapters of :class:`kiosk.ports.ApplicationExport`: a folder the core systems import from,
and an in-memory simulator for the demo, training and tests."""

from devices.export.folder_spool import ExportBusyError, FolderSpool
from devices.export.memory_spool import MemorySpool

__all__ = ["ExportBusyError", "FolderSpool", "MemorySpool"]
