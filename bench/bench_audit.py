"""Benchmark of the usage logs: verifying a year of hash chains and building the yearly report.

A fiscal year of simulated logs (about 250,000 visits on 5 tablets, ~8 events per visit, some
2 million records) is written through :class:`kiosk.audit.UsageLog` into a temporary folder,
never into the repository. Then:

Goals (issue 9):
- ``verify`` one million events in under 10 s (measured on the whole year, shown per million);
- the year's report (aggregation + CSVs) in under 30 s.

Run: .venv/bin/python bench/bench_audit.py [--visits 250000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from kiosk.audit import (
    CardRead,
    FormSubmitted,
    PrintDone,
    ProceduresChosen,
    SessionEnded,
    SessionStarted,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    UsageLog,
    build_report,
    form_infos,
    iter_records,
    verify_directory,
    write_report_csvs,
)
from kiosk.procedures.catalog import load_catalog

JST = timezone(timedelta(hours=9))
FIRST, LAST = date(2026, 4, 1), date(2027, 3, 31)
TABLETS = 5


class _Clock:
    def __init__(self) -> None:
        self.now_value = datetime(2026, 4, 1, 8, 30, tzinfo=JST)

    def now(self) -> datetime:
        return self.now_value


def _business_days() -> list[date]:
    days, day = [], FIRST
    while day <= LAST:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _visit(log: UsageLog, rng: random.Random, number: int, forms: list[tuple[str, str]]) -> int:
    session = f"s{number:x}"
    form, service = rng.choice(forms)
    events = [SessionStarted(session, rng.choice(("ja", "ja", "ja", "en", "vi", "ne"))),
              ProceduresChosen(session, (form,))]
    card = rng.random() < 0.6
    if card:
        events.append(CardRead(session, ok=rng.random() < 0.95))
    wait, served = rng.uniform(30, 1800), rng.uniform(120, 900)
    events += [FormSubmitted(form, "1.0.0", "ja", number, number, 5 if card else 0,
                             rng.randint(2, 9), 0, 2, True),
               TicketIssued(number, service, 0, slip=True), PrintDone("slip", True, 1),
               TicketCalled(number, service, "1番窓口", 1, wait),
               TicketFinished(number, service, "done", 1, served),
               SessionEnded(session, "done", rng.uniform(60, 400))]
    for event in events:
        log.record(event)
    return len(events)


def generate(directory: Path, visits: int) -> int:
    """Write a year of logs; returns the number of records."""
    rng = random.Random(2026)
    forms = [(f.id, f.service) for f in load_catalog().forms.values()]
    days = _business_days()
    per_day = visits // len(days) + 1
    clocks = [_Clock() for _ in range(TABLETS)]
    logs = [UsageLog(directory, f"tablet-{n + 1:02d}", clock, fsync=False)
            for n, clock in enumerate(clocks)]
    records, number = 0, 0
    for day in days:
        for index in range(per_day):
            if number >= visits:
                break
            tablet = index % TABLETS
            minute = 30 + index * 480 // per_day
            clocks[tablet].now_value = datetime(day.year, day.month, day.day, 8 + minute // 60,
                                                minute % 60, tzinfo=JST)
            number += 1
            records += _visit(logs[tablet], rng, number, forms)
    for log in logs:
        log.close()
    return records + len(days) * TABLETS      # plus one anchor per file


def _line(name: str, value: float, unit: str, goal: float) -> None:
    status = "OK" if value < goal else "MISSED"
    print(f"{name:<34} {value:8.2f} {unit:<3}  goal < {goal:g} {unit}   {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=250_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-audit-") as folder:
        directory = Path(folder) / "audit"
        started = time.perf_counter()
        records = generate(directory, args.visits)
        print(f"generated {args.visits:,} visits, {records:,} records "
              f"in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        result = verify_directory(directory)
        elapsed = time.perf_counter() - started
        assert result.ok, result.findings[:3]
        print(f"verify: {result.records:,} records in {elapsed:.2f} s")
        _line("verify one million events", elapsed * 1_000_000 / result.records, "s", 10)

        started = time.perf_counter()
        infos = form_infos(load_catalog())
        report = build_report(iter_records(directory, FIRST, LAST), FIRST, LAST, infos)
        write_report_csvs(report, Path(folder) / "report")
        elapsed = time.perf_counter() - started
        print(f"report: {sum(report.visits.values()):,} visits, {report.records:,} records")
        _line("year report (aggregate + CSVs)", elapsed, "s", 30)


if __name__ == "__main__":
    main()
