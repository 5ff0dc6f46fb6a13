"""``kiosk register load|find``: IT's tools for the resident register extract and mapping.

* ``load FILE --mapping MAP [--into URL]`` reads an extract as the clerk PCs will, reports
  every row it leaves out by line and column (never the row's content), and with ``--into``
  replaces the copy database at URL (the view ``kiosk_residents``) with it. Exit 1 when a row
  was left out.
* ``find QUERY [--file FILE --mapping MAP]`` searches the configured register (or the given
  extract) as a clerk would, to test the mapping, and prints the 宛名番号 and reading of each
  match only: never a name, birth date, address or 本籍. Each search is in the usage log
  (folder ``<device id>.cli``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.audit.events import RegisterSearched
from kiosk.audit.usage_log import UsageLog
from kiosk.config import Config
from kiosk.domain.resident_query import parse_query
from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.ports import ResidentRegister, SystemClock


def register(subparsers: Any) -> None:
    """Add ``register load|find`` to the command line."""
    parser = subparsers.add_parser("register", help="the resident register extract (IT)")
    commands = parser.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    load = commands.add_parser("load", help="check an extract against its mapping (and load "
                               "it into a copy database with --into)")
    load.add_argument("file", type=Path)
    load.add_argument("--mapping", type=Path, required=True, help="the TOML column mapping")
    load.add_argument("--into", default="", help="copy database URL to replace with it")
    load.set_defaults(handler=run_load)
    find = commands.add_parser("find", help="search like a clerk; prints ids and readings only")
    find.add_argument("query")
    find.add_argument("--file", type=Path, help="an extract instead of [register]")
    find.add_argument("--mapping", type=Path, help="its mapping (with --file)")
    find.add_argument("--limit", type=int, default=20)
    find.set_defaults(handler=run_find)


def run_load(args: argparse.Namespace, _config: Config) -> int:
    """Read the extract, report its bad rows, and load it into ``--into`` if given."""
    from kiosk.register_extract import check_extract  # noqa: PLC0415 - loads the CSV adapter

    load = check_extract(args.file, args.mapping, into=args.into)
    for problem in load.problems:
        print(problem)
    print(f"{args.file.name}: {load.rows} rows, {load.residents} residents read, "
          f"{len(load.problems)} left out ({load.encoding}, {load.seconds:.1f} s)")
    if load.copied is not None:
        print(f"copy database replaced: {load.copied} residents ({load.copy_seconds:.1f} s)")
    return 1 if load.problems else 0


def run_find(args: argparse.Namespace, config: Config) -> int:
    """Search like a clerk; print 宛名番号 and reading only."""
    query = parse_query(args.query)
    found = list(_register(args, config).find(query, args.limit))
    clock = SystemClock()
    usage = UsageLog(config.audit_dir, f"{config.device.id}.cli", clock,
                     fsync=config.audit.fsync, retention_days=config.audit.retention_days)
    try:
        usage.record(RegisterSearched(staff=None, key=query.kind.value, found=len(found),
                                      residents=tuple(one.id for one in found)))
    finally:
        usage.close()
    for resident in found:
        print(f"{resident.id}\t{resident.kana}")
    print(f"{len(found)} found by {query.kind.value}"
          + (f" (at most {args.limit} shown)" if len(found) == args.limit else ""))
    return 0


def _register(args: argparse.Namespace, config: Config) -> ResidentRegister:
    if args.file is not None:
        if args.mapping is None:
            raise UserFacingError(S_("Give the extract's mapping with --mapping."))
        from kiosk.register_extract import extract_register  # noqa: PLC0415

        return extract_register(args.file, args.mapping)
    from kiosk.app import build_register  # noqa: PLC0415 - devices and storage, only here

    found = build_register(config)
    if found is None:
        raise UserFacingError(S_('No resident register is configured here: set [register] '
                                 'kind (on a clerk PC), or give --file and --mapping.'))
    return found
