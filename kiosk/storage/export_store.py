"""What was handed on to which core system: the record that makes an export exactly once.

A row is written only after the export's manifest is in place; the unique key (application,
system) makes a second row impossible, whichever device exports. The rows hold ids, the
manifest's name and a count of fields, never a value, so they outlive the purge of answers and
feed the yearly report (fields handed on as data instead of re-keyed).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, and_, func, select

from kiosk.domain.application import ApplicationStatus
from kiosk.ports import Clock
from kiosk.storage.engine import dialect_insert, transaction
from kiosk.storage.schema import application_events, application_exports, applications

__all__ = ["ExportRow", "ExportStore", "HandedOn"]


@dataclass(frozen=True)
class ExportRow:
    """One delivery to note: ids, the manifest's name and the count of fields."""

    application_id: int
    system: str
    form_id: str
    manifest: str
    fields: int


@dataclass(frozen=True)
class HandedOn:
    """Applications and fields one system received from one procedure in a period."""

    system: str
    form_id: str
    applications: int
    fields: int


def _local_day(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where the machine's local ``day`` begins and ends (JST at the city)."""
    start = datetime.combine(day, time.min).astimezone()
    return start, datetime.combine(day + timedelta(days=1), time.min).astimezone()


class ExportStore:
    """``application_exports`` on one engine."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._upsert = dialect_insert(engine)

    def systems_done(self, application_ids: Collection[int]) -> dict[int, set[str]]:
        """For each of ``application_ids``, the systems it was handed on to already."""
        found: dict[int, set[str]] = {i: set() for i in application_ids}
        if not found:
            return found
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(application_exports.c.application_id, application_exports.c.system)
                .where(application_exports.c.application_id.in_(list(found)))).all()
        for row in rows:
            found[row.application_id].add(row.system)
        return found

    def record(self, application_id: int, system: str, form_id: str, manifest: str,
               fields: int) -> bool:
        """Note that ``application_id`` went to ``system``; ``False`` if it was noted before."""
        with transaction(self._engine, write=True) as connection:
            created = connection.execute(
                self._upsert(application_exports).values(
                    application_id=application_id, system=system, form_id=form_id,
                    manifest=manifest[-200:], fields=fields, exported_at=self._clock.now())
                .on_conflict_do_nothing(index_elements=["application_id", "system"])
                .returning(application_exports.c.id)).scalar()
        return created is not None

    def record_many(self, rows: Sequence[ExportRow]) -> set[tuple[int, str]]:
        """Note many deliveries in one transaction; returns the (application, system) pairs
        that are new (the others were noted before, perhaps by another device)."""
        if not rows:
            return set()
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            created = connection.execute(
                self._upsert(application_exports)
                .on_conflict_do_nothing(index_elements=["application_id", "system"])
                .returning(application_exports.c.application_id, application_exports.c.system),
                [{"application_id": r.application_id, "system": r.system, "form_id": r.form_id,
                  "manifest": r.manifest[-200:], "fields": r.fields, "exported_at": now}
                 for r in rows]).all()
        return {(row[0], row[1]) for row in created}

    def approved_at(self, application_id: int) -> datetime | None:
        """When ``application_id`` was first approved (``None``: never)."""
        with transaction(self._engine) as connection:
            return connection.execute(
                select(func.min(application_events.c.at))
                .where(application_events.c.application_id == application_id,
                       application_events.c.to_status == ApplicationStatus.APPROVED.value)
            ).scalar()

    def approved_on(self, day: date) -> list[tuple[int, str, datetime]]:
        """``(application id, form id, approved at)`` of the applications approved on the
        local ``day`` whose answers are still there, in id order."""
        start, end = _local_day(day)
        approved = ApplicationStatus.APPROVED.value
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(applications.c.id, applications.c.form_id, application_events.c.at)
                .join(application_events, applications.c.id == application_events.c.application_id)
                .where(and_(application_events.c.to_status == approved,
                            application_events.c.at >= start, application_events.c.at < end,
                            applications.c.purged_at.is_(None)))
                .order_by(applications.c.id, application_events.c.at)).all()
        first: dict[int, tuple[int, str, datetime]] = {}
        for row in rows:    # approved once by the flow; the first event wins all the same
            first.setdefault(row[0], (row[0], row[1], row[2]))
        return list(first.values())

    def handed_on(self, first: date, last: date) -> list[HandedOn]:
        """Per system and procedure, what was handed on from ``first`` to ``last`` (local days)."""
        start, end = _local_day(first)[0], _local_day(last)[1]
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(application_exports.c.system, application_exports.c.form_id,
                       func.count(), func.sum(application_exports.c.fields))
                .where(application_exports.c.exported_at >= start,
                       application_exports.c.exported_at < end)
                .group_by(application_exports.c.system, application_exports.c.form_id)
                .order_by(application_exports.c.system, application_exports.c.form_id)).all()
        return [HandedOn(row[0], row[1], int(row[2]), int(row[3] or 0)) for row in rows]
