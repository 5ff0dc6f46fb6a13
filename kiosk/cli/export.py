"""``kiosk export``: hand a day's approved applications on, check or document the mappings.

``--date`` exports every application approved that day that is not handed on yet (run it
again as often as you like: nothing goes twice); ``--check`` validates every mapping file
against every bundled form; ``--document`` prints the item tables of forms/export/README.md.
Writes go to this device's usage log folder ``<device id>.cli``.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from kiosk.config import Config
from kiosk.services.handover import HandoverService


def register(subparsers: Any) -> None:
    """Add ``export --date | --check | --document`` to the command line."""
    parser = subparsers.add_parser(
        "export", help="hand approved applications on to the core systems as data")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                      help="export the applications approved that day (idempotent)")
    what.add_argument("--check", action="store_true",
                      help="check every mapping file against every bundled form")
    what.add_argument("--document", action="store_true",
                      help="print the item tables (forms/export/README.md)")
    parser.set_defaults(handler=run_export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-04-01") from None


def run_export(args: argparse.Namespace, config: Config) -> int:
    """Dispatch to the chosen action."""
    if args.check:
        return _check(config)
    if args.document:
        return _document(config)
    return _day_export(args.date, config)


def _check(config: Config) -> int:
    from kiosk.handover import check_mappings, load_mappings, uncovered  # noqa: PLC0415
    from kiosk.procedures.catalog import load_catalog  # noqa: PLC0415

    catalog = load_catalog()
    mappings = load_mappings(config.export.mappings_dir)
    problems = check_mappings(mappings, catalog.forms)
    for problem in problems:
        print(problem)
    missing = uncovered(mappings, catalog.forms)
    for procedure in missing:
        print(f"warning: {procedure} goes to no core system (its data is re-keyed from paper)")
    procedures = sum(len(s.procedures) for s in mappings.systems.values())
    print(f"{len(mappings.systems)} systems, {procedures} procedure mappings, "
          f"{len(catalog.forms)} forms: {len(problems)} problems, {len(missing)} not covered")
    return 1 if problems else 0


def _document(config: Config) -> int:
    from kiosk.handover import load_mappings  # noqa: PLC0415
    from kiosk.handover.document import item_tables  # noqa: PLC0415
    from kiosk.procedures.catalog import load_catalog  # noqa: PLC0415

    sys.stdout.write(item_tables(load_mappings(config.export.mappings_dir),
                                 load_catalog().forms))
    return 0


def _handover(config: Config) -> AbstractContextManager[HandoverService]:
    from kiosk.app.commands import open_handover  # noqa: PLC0415 - the composition root

    return open_handover(config)


def _day_export(day: date, config: Config) -> int:
    with _handover(config) as handover:
        result = handover.hand_on_day(day)
    print(f"{day.isoformat()}: {result.applications} approved applications, "
          f"{result.handed_on} batches handed on now ({result.fields} fields), "
          f"{result.already} handed on before, {len(result.failed)} failed")
    for application_id, error in result.failed:
        print(f"  application {application_id}: {error} (run again to retry)")
    return 1 if result.failed else 0
