"""Handing approved applications on to the core systems as data (no Qt, no files, no database).

Mapping files (:mod:`~kiosk.handover.mapping`), their check against the forms
(:mod:`~kiosk.handover.check`), value conversion (:mod:`~kiosk.handover.convert`), records and
manifests (:mod:`~kiosk.handover.records`) and the item table for people
(:mod:`~kiosk.handover.document`). Writing the files is an adapter's job
(:class:`kiosk.ports.ApplicationExport`); recording what was handed on is the store's.
"""

from kiosk.handover.check import check_mappings, uncovered
from kiosk.handover.mapping import (
    MappingError,
    MappingIssue,
    MappingSet,
    TargetSystem,
    load_mappings,
    mappings_dir,
)
from kiosk.handover.records import ExportRecord, build_batch, build_record

__all__ = [
    "ExportRecord",
    "MappingError",
    "MappingIssue",
    "MappingSet",
    "TargetSystem",
    "build_batch",
    "build_record",
    "check_mappings",
    "load_mappings",
    "mappings_dir",
    "uncovered",
]
