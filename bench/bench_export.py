"""Benchmark of handing approved applications on: a day's 600 applications exported in bulk.

``kiosk export --date`` for a day with 600 approved applications, spread over every bundled
procedure (sample answers, sealed like real ones): each becomes JSON, CSV and a manifest with
SHA-256 in the spool folder, every file fsynced and renamed into place, and one store row per
batch. Goal (issue 20): under 5 s, on SQLite and on PostgreSQL (a throwaway cluster with fsync
and synchronous_commit on, or ``--pg-url``). The rerun of the same day (nothing to write) is
printed too, and the load average at the start, since the machine may be shared.

Run: .venv/bin/python bench/bench_export.py [--applications 600] [--engines sqlite pg]
     [--pg-url URL] [--folder DIR (default: a temporary folder)]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devices.export import FolderSpool
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.handover import load_mappings
from kiosk.ports import SystemClock
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.applications import SubmissionService
from kiosk.services.handover import HandoverService
from kiosk.storage.database import open_storage
from kiosk.storage.export_store import ExportStore
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer

GOAL_S = 5.0
ENGINES = ("sqlite", "pg")


def _line(label: str, value: str, goal: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    print(f"  {label:<44} {value:>14}  {goal:<18} {verdict}")


def seed(url: str, count: int, work: Path) -> None:
    """``count`` approved applications of today, round-robin over the bundled procedures."""
    clock = SystemClock()
    storage = open_storage(url, clock, auto_upgrade=True)
    outbox = Outbox(work / "outbox.sqlite3")
    try:
        catalog = load_catalog()
        answers = {form.id: to_stored(sample_session(form))
                   for form in catalog.forms.values()}
        forms = sorted(catalog.forms.values(), key=lambda f: f.id)
        submissions = SubmissionService(storage.applications, outbox,
                                        AnswerSealer(bytes(range(32))), clock)
        for index in range(count):
            form = forms[index % len(forms)]
            app_id = submissions.submit(Submission(form.id, form.version, "ja",
                                                   answers[form.id])).application_id
            storage.applications.set_status(app_id, ApplicationStatus.IN_REVIEW, None)
            storage.applications.set_status(app_id, ApplicationStatus.APPROVED, None)
    finally:
        outbox.close()
        storage.close()


def measure(engine: str, url: str, count: int, folder: Path) -> bool:
    """Export the day twice; print the figures; return whether the goal was met."""
    clock = SystemClock()
    storage = open_storage(url, clock, auto_upgrade=True)
    try:
        handover = HandoverService(ExportStore(storage.engine, clock), storage.applications,
                                   AnswerSealer(bytes(range(32))), load_catalog(),
                                   load_mappings(), FolderSpool(folder), clock)
        day = clock.now().date()
        started = time.perf_counter()
        first = handover.hand_on_day(day)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        second = handover.hand_on_day(day)
        rerun = time.perf_counter() - started
    finally:
        storage.close()
    files = sum(1 for _ in folder.glob("*/*"))
    ok = elapsed < GOAL_S and first.handed_on == count and not first.failed
    print(f"{engine}: {first.applications} applications approved today, "
          f"{first.handed_on} batches ({files} files, {first.fields:,} fields), "
          f"{len(first.failed)} failed")
    _line(f"{engine} export of the day ({count} applications)", f"{elapsed:.2f} s",
          f"goal < {GOAL_S:.0f} s", ok)
    _line(f"{engine} per application", f"{1000 * elapsed / max(1, count):.1f} ms")
    _line(f"{engine} rerun (nothing written, {second.already} known)", f"{rerun:.2f} s",
          "", second.handed_on == 0)
    return ok


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A fresh database: on ``url``'s server, or on a throwaway durable cluster."""
    import uuid

    import psycopg
    from psycopg import sql

    server = None
    if not url:
        sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "support"))
        from harness.postgres import start_cluster

        server = start_cluster()
        # The harness runs its cluster with fsync off; a real server has it on.
        server.stop()
        server._pg_ctl("start", "-w", "-l", str(server.data_dir.parent / "bench.log"), "-o",
                       f"-c listen_addresses=127.0.0.1 -p {server.port} "
                       f"-k {server.data_dir.parent / 'socket'} -c fsync=on "
                       "-c synchronous_commit=on -c full_page_writes=on")
        url = server.url()
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    name = f"kiosk_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{url.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        if server is not None:
            server.remove()


def run_engine(engine: str, args: argparse.Namespace, work: Path) -> bool:
    folder = (args.folder or work) / f"spool-{engine}"
    if engine == "sqlite":
        url = f"sqlite:///{work / 'bench.sqlite3'}"
        seed(url, args.applications, work)
        return measure(engine, url, args.applications, folder)
    with postgres(args.pg_url) as url:
        seed(url, args.applications, work)
        return measure(engine, url, args.applications, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--applications", type=int, default=600)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--folder", type=Path, default=None,
                        help="spool on this file system (default: a temporary folder)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} cores)")
    missed = []
    for engine in args.engines:
        with tempfile.TemporaryDirectory(prefix=f"kiosk-bench-export-{engine}-") as work:
            if not run_engine(engine, args, Path(work)):
                missed.append(engine)
    print(f"goals met: {len(args.engines) - len(missed)}; missed: {len(missed)}"
          + (f" ({', '.join(missed)})" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
