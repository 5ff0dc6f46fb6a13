"""Handing approved applications on to the core systems as data, exactly once.

On approval (when ``[export]`` is configured) and in bulk for a day (``kiosk export --date``),
each approved application becomes one batch per core system that receives its procedure
(``forms/export/*.toml``): JSON and CSV under the system's item names and a manifest with their
SHA-256, written by the :class:`~kiosk.ports.ApplicationExport` adapter. Only after the adapter
delivered the batch is it recorded in the store, and only a recorded batch is skipped later; the
adapter itself finishes a delivery a crash cut short without writing it twice. Each recorded
batch is one ``DataHandedOn`` in the usage log (counts only): the yearly report's "fields
handed on instead of re-keyed".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.audit import NULL_USAGE, DataHandedOn, UsageRecorder, error_event
from kiosk.domain.application import Application, ApplicationStatus
from kiosk.errors import UserFacingError
from kiosk.handover.mapping import MappingSet, TargetSystem
from kiosk.handover.records import ExportRecord, build_batch, build_record
from kiosk.ports import ApplicationExport, Clock
from kiosk.procedures.catalog import FormCatalog
from kiosk.storage.application_store import ApplicationStore
from kiosk.storage.export_store import ExportRow, ExportStore
from kiosk.storage.sealing import AnswerSealer

__all__ = ["GROUP", "HandoverResult", "HandoverService"]

GROUP = 100
"""Applications delivered together by a day's export: one flush to disk per step for all."""

_log = logging.getLogger(__name__)
_HANDED_ON = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.PRINTED,
                        ApplicationStatus.DONE})


@dataclass
class HandoverResult:
    """What one run did: batches handed on now, found handed on before, and failures."""

    applications: int = 0
    handed_on: int = 0          # batches recorded now
    already: int = 0            # batches recorded before (nothing written)
    busy: int = 0               # batches another device is writing now (it records them)
    fields: int = 0             # values handed on now
    failed: list[tuple[int, str]] = field(default_factory=list)   # (application, system)

    def add(self, other: HandoverResult) -> None:
        """Add ``other``'s counts to these."""
        self.applications += other.applications
        self.handed_on += other.handed_on
        self.already += other.already
        self.busy += other.busy
        self.fields += other.fields
        self.failed += other.failed


class HandoverService:
    """Exports approved applications; ``systems`` limits the core systems (empty: all)."""

    def __init__(self, store: ExportStore, applications: ApplicationStore, opener: AnswerSealer,
                 catalog: FormCatalog, mappings: MappingSet, spool: ApplicationExport,
                 clock: Clock, usage: UsageRecorder = NULL_USAGE,
                 systems: Iterable[str] = ()) -> None:
        self.store = store
        self._applications = applications
        self._opener = opener
        self._catalog = catalog
        self._mappings = mappings
        self.spool = spool
        self._clock = clock
        self.usage = usage
        self._enabled = frozenset(systems)

    def systems_for(self, form_id: str) -> list[TargetSystem]:
        """The enabled systems that receive ``form_id``."""
        return [s for s in self._mappings.for_procedure(form_id)
                if not self._enabled or s.id in self._enabled]

    def hand_on(self, application_id: int) -> HandoverResult:
        """Export one approved application to every system that receives it, once each.

        Raises:
            kiosk.errors.DeviceError: the adapter could not write (nothing is recorded; the
                next run finishes it).
            kiosk.errors.StorageError: the database is out of reach.
        """
        application = self._applications.get(application_id, self._opener)
        approved_at = self.store.approved_at(application_id) or self._clock.now()
        done = self.store.systems_done([application_id])[application_id]
        return self._deliver([(application, approved_at, done)])

    def hand_on_quietly(self, application_id: int) -> None:
        """:meth:`hand_on` for the approval: a failure is logged (type only) and left for
        ``kiosk export --date``; the approval itself stands."""
        try:
            self.hand_on(application_id)
        except Exception as exc:
            # The approval is stored and stands, whatever failed here; `kiosk export --date`
            # retries it. Type only: a message could hold a value.
            self.usage.record(error_event("review.handover", exc))
            _log.warning("application %d not handed on yet: %s", application_id,
                         type(exc).__name__)

    def hand_on_day(self, day: date) -> HandoverResult:
        """Export every application approved on ``day`` that is not handed on yet.

        Applications go in groups of :data:`GROUP` (one flush to disk per step of a group); a
        group that fails is counted and the others go on. Run it again to retry.
        """
        total = HandoverResult()
        approved = self.store.approved_on(day)
        done = self.store.systems_done([app_id for app_id, _form, _at in approved])
        todo = []
        for application_id, form_id, approved_at in approved:
            wanted = {system.id for system in self.systems_for(form_id)}
            if wanted <= done[application_id]:
                total.applications += 1
                total.already += len(wanted)
            else:
                todo.append((application_id, approved_at))
        for start in range(0, len(todo), GROUP):
            group = todo[start:start + GROUP]
            try:
                found = self._applications.get_many([app_id for app_id, _at in group],
                                                    self._opener)
                when = dict(group)
                total.add(self._deliver([(application, when[application.id],
                                          done[application.id]) for application in found]))
            except UserFacingError as exc:
                total.applications += len(group)
                total.failed += [(app_id, type(exc).__name__) for app_id, _at in group]
                self.usage.record(error_event("export.day", exc))
        return total

    def _deliver(self, items: list[tuple[Application, datetime, set[str]]]) -> HandoverResult:
        """Build, deliver and record the batches of ``items`` (application, approved at,
        systems done)."""
        result = HandoverResult(applications=len(items))
        records: dict[str, ExportRecord] = {}
        batches = []
        for application, approved_at, done in items:
            if application.purged or application.status not in _HANDED_ON:
                continue
            form = self._catalog.form(application.form_id)
            answers = {key: answer.value for key, answer in application.answers.items()}
            for system in self.systems_for(application.form_id):
                if system.id in done:
                    result.already += 1
                    continue
                record = build_record(system, form, answers, application.id, approved_at)
                batch = build_batch(record, self._clock.now())
                records[batch.key] = record
                batches.append(batch)
        deliveries = self.spool.deliver_all(batches) if batches else {}
        rows = [ExportRow(record.application_id, record.system.id, record.form.id,
                          deliveries[key].manifest, record.fields)
                for key, record in records.items() if key in deliveries]
        created = self.store.record_many(rows)
        for row in rows:
            if (row.application_id, row.system) not in created:
                result.already += 1     # another device recorded it in between
                continue
            self.usage.record(DataHandedOn(application=row.application_id, system=row.system,
                                           form=row.form_id, fields=row.fields))
            result.handed_on += 1
            result.fields += row.fields
        result.busy += len(records) - len(rows)
        self.spool.forget_all(list(deliveries))
        return result
