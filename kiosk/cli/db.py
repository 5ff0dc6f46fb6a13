"""``kiosk db``: upgrade the schema, purge old answers, make an answers key."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.config import Config
from kiosk.ports import SystemClock
from kiosk.services.retention import purge_finished
from kiosk.storage.application_store import ApplicationStore
from kiosk.storage.engine import make_engine, redacted_url
from kiosk.storage.migrate import check_schema, ensure_schema, upgrade
from kiosk.storage.sealing import generate_key_text


def register(subparsers: Any) -> None:
    """Add ``db upgrade|status|purge|new-key`` to the command line."""
    parser = subparsers.add_parser("db", help="database schema and retention")
    commands = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    commands.add_parser("upgrade", help="apply the shipped schema migrations").set_defaults(
        handler=run_upgrade)
    commands.add_parser("status", help="show the schema revision").set_defaults(
        handler=run_status)
    purge = commands.add_parser(
        "purge", help="delete answers of applications finished longer ago than the retention")
    purge.add_argument("--hours", type=_positive_hours, default=None,
                       help="override [database] retention_hours")
    purge.set_defaults(handler=run_purge)
    commands.add_parser("new-key", help="print a new random answers_key").set_defaults(
        handler=run_new_key)


def _positive_hours(text: str) -> int:
    # --hours 0 or -5 would delete the answers of every finished application at once.
    try:
        hours = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of hours") from None
    if hours <= 0:
        raise argparse.ArgumentTypeError(f"{hours}: must be more than 0 hours")
    return hours


def run_upgrade(_args: argparse.Namespace, config: Config) -> int:
    """Upgrade the configured database to the newest schema."""
    engine = make_engine(config.database_url)
    try:
        before = check_schema(engine)
        after = upgrade(engine)
    finally:
        engine.dispose()
    print(f"{redacted_url(config.database_url)}: schema "
          f"{before.found or '(empty)'} -> {after.found}")
    return 0


def run_status(_args: argparse.Namespace, config: Config) -> int:
    """Print the schema revision; exit 1 unless it is current."""
    engine = make_engine(config.database_url)
    try:
        state = check_schema(engine)
    finally:
        engine.dispose()
    print(f"{redacted_url(config.database_url)}: revision {state.found or '(empty)'}, "
          f"this kiosk needs {state.head} ({state.status.value})")
    return 0 if state.found == state.head else 1


def run_purge(args: argparse.Namespace, config: Config) -> int:
    """Delete the answers of finished applications past the retention time."""
    hours = config.database.retention_hours if args.hours is None else args.hours
    engine = make_engine(config.database_url)
    try:
        ensure_schema(engine, auto_upgrade=False)
        clock = SystemClock()
        purged = purge_finished(ApplicationStore(engine, clock), clock, hours)
    finally:
        engine.dispose()
    print(f"purged the answers of {purged} application(s) finished more than {hours} h ago")
    return 0


def run_new_key(_args: argparse.Namespace, _config: Config) -> int:
    """Print a fresh key for ``[database] answers_key`` (give every device the same one)."""
    print(generate_key_text())
    return 0
