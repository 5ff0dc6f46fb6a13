"""Anonymous figures for the reports: counts and times, never answers or names.

They come from the ticket rows and the application rows that the retention job keeps after it
deleted the answers, so a purge never changes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, select

from kiosk.domain.ticket import TicketState
from kiosk.storage.engine import transaction
from kiosk.storage.schema import application_exports, applications, services, tickets

__all__ = ["Figures", "figures"]

_NOT_ISSUED = (TicketState.PENDING.value, TicketState.VOID.value)


@dataclass(frozen=True)
class Figures:
    """Counts per service and per form for a range of days."""

    tickets_issued: dict[str, int] = field(default_factory=dict)       # service code -> n
    tickets_by_state: dict[tuple[str, str], int] = field(default_factory=dict)
    mean_wait_seconds: dict[str, float] = field(default_factory=dict)  # issued -> called
    mean_service_seconds: dict[str, float] = field(default_factory=dict)
    # (form id, language, status) -> n
    applications: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # (core system, form id) -> (applications handed on as data, fields not re-keyed)
    handed_on: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


def figures(engine: Engine, first_day: date, last_day: date) -> Figures:
    """The anonymous figures of the days from ``first_day`` to ``last_day`` inclusive."""
    with transaction(engine) as connection:
        ticket_rows = connection.execute(
            select(services.c.code, tickets.c.state, tickets.c.queued_at, tickets.c.called_at,
                   tickets.c.serving_at, tickets.c.finished_at)
            .join(services, services.c.id == tickets.c.origin_service_id)
            .where(tickets.c.day >= first_day, tickets.c.day <= last_day,
                   tickets.c.state.not_in(_NOT_ISSUED))
        ).all()
        # Submission times are stored in UTC; a day of the report is a local (JST) day, so a
        # 08:30 JST submission belongs to its own morning, not to the previous UTC day.
        start, end = _utc_bounds(first_day, last_day)
        app_rows = connection.execute(
            select(applications.c.form_id, applications.c.language, applications.c.status,
                   applications.c.submitted_at)
            .where(applications.c.submitted_at >= start, applications.c.submitted_at < end)
        ).all()
        export_rows = connection.execute(
            select(application_exports.c.system, application_exports.c.form_id,
                   application_exports.c.fields, application_exports.c.exported_at)
            .where(application_exports.c.exported_at >= start,
                   application_exports.c.exported_at < end)
        ).all()
    handed_on: dict[tuple[str, str], tuple[int, int]] = {}
    for row in export_rows:
        if first_day <= _local_date(row.exported_at) <= last_day:
            count, fields = handed_on.get((row.system, row.form_id), (0, 0))
            handed_on[(row.system, row.form_id)] = (count + 1, fields + row.fields)
    issued: Counter[str] = Counter()
    by_state: Counter[tuple[str, str]] = Counter()
    waits: dict[str, list[float]] = {}
    serves: dict[str, list[float]] = {}
    for row in ticket_rows:
        issued[row.code] += 1
        by_state[(row.code, row.state)] += 1
        if row.called_at is not None:
            waits.setdefault(row.code, []).append((row.called_at - row.queued_at).total_seconds())
        start = row.serving_at or row.called_at
        if row.state == TicketState.DONE.value and start is not None and row.finished_at:
            serves.setdefault(row.code, []).append((row.finished_at - start).total_seconds())
    apps: Counter[tuple[str, str, str]] = Counter()
    for app in app_rows:
        if first_day <= _local_date(app.submitted_at) <= last_day:
            apps[(app.form_id, app.language, app.status)] += 1
    return Figures(
        tickets_issued=dict(issued), tickets_by_state=dict(by_state),
        mean_wait_seconds={code: sum(v) / len(v) for code, v in waits.items()},
        mean_service_seconds={code: sum(v) / len(v) for code, v in serves.items()},
        applications=dict(apps), handed_on=handed_on,
    )


def _local_date(moment: datetime) -> date:
    """The local calendar day of a stored time (naive values are UTC, as the stores write)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().date()


def _utc_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """UTC instants that enclose the local days, a day wider each side (exact test after)."""
    start = datetime.combine(first_day - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(last_day + timedelta(days=2), time.min, tzinfo=UTC)
    return start, end
