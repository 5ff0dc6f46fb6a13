"""Benchmark of the resident register lookup (issue 20, first half).

A synthetic register of 50,000 residents (no real person; devices.register.synthetic) is
written as the nightly CSV extract, in Shift_JIS/CP932 and in UTF-8 with BOM, into a temporary
folder (never into the repository), then:

Goals:
- loading the nightly CSV (read, check every row, build the in-memory indexes) under 5 s;
- lookup p95 under 50 ms over 50,000 residents, with the CSV held in memory and through the
  SQL view of a PostgreSQL copy database: a mix of 宛名番号, 8-digit 西暦 and 7-digit 和暦
  birth dates, hiragana readings and names with 異体字, each parsed as the clerk typed it,
  plus the household of the first match (what the 住民照会 tab does per search).

PostgreSQL is ``--url`` (a server where the benchmark may create a database) or a throwaway
cluster of the test harness.

Run: .venv/bin/python bench/bench_register.py [--count 50000] [--lookups 2000] [--url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from devices.register.csv_extract import CsvRegister
from devices.register.synthetic import MAPPING_TOML, synthetic_residents, write_extract
from kiosk.domain.resident import Resident
from kiosk.domain.resident_query import parse_query
from kiosk.ports import ResidentRegister
from kiosk.procedures.eras import JUKI_CODES, to_wareki
from kiosk.storage.register_copy import load_copy
from kiosk.storage.register_view import SqlViewRegister

LOAD_GOAL_S = 5.0
LOOKUP_GOAL_MS = 50.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def typed_queries(residents: list[Resident], count: int, seed: int = 7) -> list[str]:
    """What clerks type, in a realistic mix: ids, both date forms, hiragana, names."""
    rng = random.Random(seed)
    queries = []
    for index in range(count):
        one = rng.choice(residents)
        kind = index % 5
        if kind == 0:
            queries.append(one.id)
        elif kind == 1:
            queries.append(one.birth_date.strftime("%Y%m%d"))
        elif kind == 2:
            wareki = to_wareki(one.birth_date)
            queries.append(f"{JUKI_CODES[wareki.era.name]}{wareki.year:02d}"
                           f"{one.birth_date.month:02d}{one.birth_date.day:02d}")
        elif kind == 3:
            queries.append("".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c
                                   for c in one.kana))
        else:
            queries.append(one.name.replace("髙", "高").replace("﨑", "崎"))
    return queries


def lookups_ms(register: ResidentRegister, queries: list[str]) -> list[float]:
    """Milliseconds per search as the tab does it: parse, find, household of the first."""
    times = []
    for text in queries:
        started = time.perf_counter()
        found = register.find(parse_query(text), 51)
        if found:
            register.household(found[0].id)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report_lookups(label: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94]
    print(f"lookup {label}: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
          f"max {max(times):.2f} ms over {len(times)} searches  "
          f"(goal p95 < {LOOKUP_GOAL_MS:.0f} ms: {verdict(p95 < LOOKUP_GOAL_MS)})")


def timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A fresh database on ``url``'s server, or on a throwaway cluster."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "support"))
    from harness.postgres import external_server, start_cluster

    server = external_server(url) if url else start_cluster()
    try:
        yield str(server.url(server.create_database()))
    finally:
        server.drop_databases()
        if server.owned:
            server.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description="resident register lookup benchmark")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--url", default=os.environ.get("KIOSK_TEST_DATABASE_URL"))
    args = parser.parse_args()
    print(f"machine load before: {load_average()}")
    residents = synthetic_residents(args.count)
    queries = typed_queries(residents, args.lookups)
    with tempfile.TemporaryDirectory(prefix="bench-register-") as folder:
        mapping = Path(folder) / "mapping.toml"
        mapping.write_text(MAPPING_TOML, encoding="utf-8")
        register = None
        for encoding in ("cp932", "utf-8-sig"):
            extract = Path(folder) / f"register-{encoding}.csv"
            write_extract(residents, extract, encoding)
            loaded, seconds = timed(lambda e=extract: CsvRegister(e, mapping))
            assert isinstance(loaded, CsvRegister)
            register = loaded
            print(f"CSV load {encoding} ({extract.stat().st_size / 1e6:.1f} MB, "
                  f"{len(loaded.last_load.residents)} residents, "
                  f"{len(loaded.last_load.issues)} rows left out): {seconds:.2f} s  "
                  f"(goal < {LOAD_GOAL_S:.0f} s: {verdict(seconds < LOAD_GOAL_S)})")
        assert register is not None
        report_lookups(f"CSV in memory, {args.count} residents", lookups_ms(register, queries))
    with postgres(args.url) as url:
        _count, seconds = timed(lambda: load_copy(url, residents))
        print(f"copy database load (PostgreSQL, {args.count} residents): {seconds:.2f} s "
              "(no goal: nightly)")
        view = SqlViewRegister(url)
        try:
            lookups_ms(view, queries[:50])       # warm the pool and the server's caches
            report_lookups(f"SQL view on PostgreSQL, {args.count} residents",
                           lookups_ms(view, queries))
        finally:
            view.close()
    print(f"machine load after: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
