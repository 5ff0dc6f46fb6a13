"""Benchmark of the usage logs: verifying a year of sealed hash chains and the yearly report.

A fiscal year of simulated logs (1,000,000 visits on 5 tablets, ~9 records per visit, some
9 million records, sealed every 5 minutes with each tablet's evolving key) is written into a
temporary folder, never into the repository. The records are encoded by the kiosk's own
encoder and sealed by its own :class:`~kiosk.audit.sealing.SealingKey`, in the layout
:class:`kiosk.audit.UsageLog` writes (``--through-usage-log`` writes them through it, slower);
``verify --key`` of the whole year must find nothing, which proves the layout. Then:

Goals (issue 18, with sealing in place):
- ``verify --key`` of one million records or more in under 2 s (shown for the whole year and
  per million, in one process and with a worker process per CPU, devices spread over them);
- the year's report of 1,000,000 visits (aggregation, CSVs and the PDF) in under 30 s, the
  day files read by a worker process per CPU (as ``kiosk audit report`` does by default).

Run: .venv/bin/python bench/bench_audit.py [--visits 1000000] [--through-usage-log]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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
    UsageEvent,
    UsageLog,
    build_report,
    form_infos,
    iter_records,
    verify_directory,
    write_report_csvs,
)
from kiosk.audit.chain import GENESIS, encode_record
from kiosk.audit.events import DayAnchor, LogSealed
from kiosk.audit.sealing import KEY_FILE, SealingKey, VerificationKey, _first_key
from kiosk.audit.usage_log import HEAD_FILE
from kiosk.procedures.catalog import load_catalog

JST = timezone(timedelta(hours=9))
FIRST, LAST = date(2026, 4, 1), date(2027, 3, 31)
TABLETS = 5
EPOCH_S = 300


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


class _BenchKey(SealingKey):
    """The device's key, saved only at the end (the device saves it, with fsync, every epoch
    once: a year of epochs saved for five tablets would only measure the disk here)."""

    def _save(self) -> None:
        if getattr(self, "final", True):
            super()._save()


class _FastLog:
    """Writes what :class:`UsageLog` writes (day files with anchors, a seal per epoch, HEAD),
    without its per-record HEAD write and lock: the year is generated in a minute, not ten."""

    def __init__(self, directory: Path, device: str, clock: _Clock) -> None:
        self.folder = directory / device
        self.device, self.clock = device, clock
        sealing, self.key = SealingKey.create(self.folder / KEY_FILE, device, clock.now(),
                                              EPOCH_S)
        self.sealing = _BenchKey(sealing.path, device, sealing.start, EPOCH_S, 0,
                                 _first_key(self.key.seed))
        self.sealing.final = False
        self.prev, self.seq, self.day = GENESIS, 0, None
        self.lines: list[bytes] = []
        self.records = 0

    def record(self, event: UsageEvent) -> None:
        now = self.clock.now()
        epoch = self.sealing.epoch_at(now)
        if epoch > self.sealing.epoch:
            if self.prev != GENESIS:
                self._write(now, LogSealed(self.sealing.epoch, epoch,
                                           self.sealing.mac(epoch, self.prev)))
            self.sealing.evolve_to(epoch)
        if self.day != now.date():
            previous, count = self.day, self.seq
            self._flush()
            self.day, self.seq = now.date(), 0
            self._write(now, DayAnchor(previous.isoformat() if previous else "", count))
        self._write(now, event)

    def _write(self, now: datetime, event: UsageEvent) -> None:
        self.seq += 1
        line, self.prev = encode_record(self.prev, self.seq, now.isoformat(timespec="milliseconds"),
                                        self.device, event.KIND, event.data())
        self.lines.append(line)
        self.records += 1

    def _flush(self) -> None:
        if self.day is not None:
            with (self.folder / f"{self.day.isoformat()}.jsonl").open("ab") as handle:
                handle.write(b"".join(self.lines))
        self.lines = []

    def close(self) -> None:
        self.clock.now_value += timedelta(seconds=1)
        self._write(self.clock.now(), LogSealed(self.sealing.epoch, self.sealing.epoch + 1,
                                                self.sealing.mac(self.sealing.epoch + 1,
                                                                 self.prev)))
        self.sealing.final = True
        self.sealing.evolve_to(self.sealing.epoch + 1)
        self._flush()
        assert self.day is not None
        (self.folder / HEAD_FILE).write_text(json.dumps(
            {"file": self.day.isoformat(), "records": self.seq, "hash": self.prev}),
            encoding="utf-8")


def _visit(log: _FastLog | UsageLog, rng: random.Random, number: int,
           forms: list[tuple[str, str]]) -> None:
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


def generate(directory: Path, visits: int, *, through_usage_log: bool = False
             ) -> dict[str, VerificationKey]:
    """Write a sealed year of logs; returns the tablets' verification keys."""
    rng = random.Random(2026)
    forms = [(f.id, f.service) for f in load_catalog().forms.values()]
    days = _business_days()
    per_day = visits // len(days) + 1
    clocks = [_Clock() for _ in range(TABLETS)]
    keys: dict[str, VerificationKey] = {}
    logs: list[_FastLog | UsageLog] = []
    for n, clock in enumerate(clocks):
        fast = _FastLog(directory, f"tablet-{n + 1:02d}", clock)
        keys[fast.device] = fast.key
        logs.append(UsageLog(directory, fast.device, clock, fsync=False) if through_usage_log
                    else fast)
    number = 0
    for day in days:
        for index in range(per_day):
            if number >= visits:
                break
            tablet = index % TABLETS
            minute = 30 + index * 480 // per_day
            clocks[tablet].now_value = datetime(day.year, day.month, day.day, 8 + minute // 60,
                                                minute % 60, index % 60, tzinfo=JST)
            number += 1
            _visit(logs[tablet], rng, number, forms)
    for log in logs:
        log.close()
    return keys


def _line(name: str, value: float, unit: str, goal: float) -> None:
    status = "OK" if value < goal else "MISSED"
    print(f"{name:<34} {value:8.2f} {unit:<3}  goal < {goal:g} {unit}   {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--through-usage-log", action="store_true",
                        help="write every record through UsageLog (its real cost; slow)")
    args = parser.parse_args()
    print(f"bench_audit: {os.cpu_count()} CPUs, load average at start {_load()}")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-audit-") as folder:
        directory = Path(folder) / "audit"
        started = time.perf_counter()
        keys = generate(directory, args.visits, through_usage_log=args.through_usage_log)
        print(f"generated {args.visits:,} visits on {TABLETS} tablets, sealed every "
              f"{EPOCH_S} s, in {time.perf_counter() - started:.1f} s")

        workers = len(os.sched_getaffinity(0))
        for count in sorted({1, workers}):
            started, cpu = time.perf_counter(), time.process_time()
            result = verify_directory(directory, keys, now=datetime(2027, 4, 1, tzinfo=JST),
                                      workers=count)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            assert result.findings == [], [f.english() for f in result.findings[:3]]
            assert result.sealed_devices == sorted(keys)
            print(f"verify --key, {count} process{'es' if count > 1 else ''}: "
                  f"{result.records:,} records, {result.seals:,} seals in {elapsed:.2f} s"
                  + (f" (this process's CPU {cpu:.2f} s)" if count == 1 else "")
                  + f", load {_load()}")
            _line(f"verify, whole year ({count} proc.)", elapsed, "s",
                  2 * result.records / 1_000_000)
            _line(f"verify, per million ({count} proc.)", elapsed * 1_000_000 / result.records,
                  "s", 2)

        from kiosk.app import build_renderer

        started, cpu = time.perf_counter(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        infos = form_infos(load_catalog())
        report = build_report(iter_records(directory, FIRST, LAST), FIRST, LAST, infos,
                              workers=workers)
        aggregated = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)       # the workers, once ended
        worker_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        write_report_csvs(report, Path(folder) / "report")
        build_renderer().report(report, Path(folder) / "report" / "report.pdf")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"report: {sum(report.visits.values()):,} visits, {report.records:,} records "
              f"(aggregation {aggregated:.1f} s with {workers} worker process"
              f"{'es' if workers > 1 else ''}, their CPU {worker_cpu:.1f} s; "
              f"this process's CPU {cpu:.1f} s), "
              f"load {_load()}")
        _line("year report (aggregate, CSVs, PDF)", elapsed, "s", 30)
        if args.visits != 1_000_000:
            print(f"  (the goal is for 1,000,000 visits; this run had {args.visits:,}: "
                  f"{elapsed * 1_000_000 / args.visits:.1f} s scaled)")
    print(f"load average at end {_load()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
