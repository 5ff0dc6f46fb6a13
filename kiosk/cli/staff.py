"""``kiosk staff``: add, list and disable staff accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.config import Config
from kiosk.domain.staff import Role
from kiosk.ports import SystemClock
from kiosk.services.staff import StaffService
from kiosk.storage.engine import make_engine
from kiosk.storage.migrate import ensure_schema
from kiosk.storage.staff_store import StaffStore


def register(subparsers: Any) -> None:
    """Add ``staff add|list|disable`` to the command line."""
    parser = subparsers.add_parser("staff", help="staff accounts")
    commands = parser.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = commands.add_parser("add", help="create an account (asks for the password)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="name shown on the clerk screen")
    add.add_argument("--role", choices=[role.value for role in Role], default=Role.CLERK.value)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (scripts)")
    add.set_defaults(handler=run_add)
    commands.add_parser("list", help="list accounts").set_defaults(handler=run_list)
    disable = commands.add_parser("disable", help="disable an account")
    disable.add_argument("login")
    disable.set_defaults(handler=run_disable)


@contextmanager
def _service(config: Config) -> Iterator[StaffService]:
    engine = make_engine(config.database_url)
    try:
        ensure_schema(engine, auto_upgrade=engine.dialect.name == "sqlite")
        yield StaffService(StaffStore(engine, SystemClock()))
    finally:
        engine.dispose()


def run_add(args: argparse.Namespace, config: Config) -> int:
    """Create an account."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("kiosk: the passwords differ", file=sys.stderr)
            return 2
    with _service(config) as staff:
        member = staff.add(args.login, args.name, Role(args.role), password)
    print(f"added {member.login} ({member.role.value})")
    return 0


def run_list(_args: argparse.Namespace, config: Config) -> int:
    """List accounts."""
    with _service(config) as staff:
        members = staff.list()
    for member in members:
        state = "active" if member.active else "disabled"
        print(f"{member.login:<20} {member.role.value:<10} {state:<8} {member.display_name}")
    return 0


def run_disable(args: argparse.Namespace, config: Config) -> int:
    """Disable an account."""
    with _service(config) as staff:
        member = staff.disable(args.login)
    print(f"disabled {member.login}")
    return 0
