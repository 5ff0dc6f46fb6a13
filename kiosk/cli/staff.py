"""``kiosk staff``: add, list, disable, enable, unlock staff accounts and reset a password;
grant, revoke and list the resident-register lookup right (``grant-lookup``, ``revoke-lookup``,
``lookup-rights``).

Every command first asks for the staff ID and password of an admin (``unlock`` and ``list``:
a supervisor or an admin), on the terminal, or with ``--stdin`` one per line on standard input;
never on the command line, where the process list and the shell history would keep them. The
login counts like one at the clerk desktop (delay, lockout, usage log). Only while there is no
account at all, ``kiosk staff add LOGIN --name NAME --role admin`` adds the first admin without
a login. Every change is recorded in this device's usage log, in its own folder
``<device id>.cli`` (a running clerk desktop writes the device's own folder).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.config import Config
from kiosk.domain.staff import Role, StaffMember
from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.services.resident_lookup import ResidentLookup
from kiosk.services.staff import NotAllowedError, StaffService

_ADMINS = frozenset({Role.ADMIN})
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
_NO_ACCOUNT = S_("There is no staff account yet: add the first admin first (kiosk staff add "
                 "LOGIN --name NAME --role admin).")


class CredentialsMissingError(UserFacingError):
    """No admin login was given (end of input, or no terminal to ask on)."""


def register(subparsers: Any) -> None:
    """Add ``staff add|list|disable|enable|unlock|password`` to the command line."""
    parser = subparsers.add_parser(
        "staff", help="staff accounts (asks for an admin's staff ID and password)")
    commands = parser.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    stdin_help = ("read from standard input instead of the terminal, one per line: the admin's "
                  "staff ID, the admin's password, then the new password if one is needed")
    add = commands.add_parser("add", help="create an account (asks for its password)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="name shown on the clerk screen")
    add.add_argument("--role", choices=[role.value for role in Role], default=Role.CLERK.value)
    add.set_defaults(handler=run_add)
    listing = commands.add_parser("list", help="list accounts (a supervisor or an admin)")
    listing.set_defaults(handler=run_list)
    for name, handler, text in (
            ("disable", run_disable, "disable an account"),
            ("enable", run_enable, "enable a disabled account"),
            ("unlock", run_unlock, "unlock an account locked by failed logins "
                                   "(a supervisor or an admin)"),
            ("password", run_password, "give an account a new password")):
        command = commands.add_parser(name, help=text)
        command.add_argument("login")
        command.set_defaults(handler=handler)
    grant = commands.add_parser("grant-lookup", help="let an account look residents up in "
                                "the register until 31 March (an admin)")
    grant.add_argument("login")
    grant.add_argument("--honseki", action="store_true", help="also the 本籍 and 筆頭者")
    grant.set_defaults(handler=run_grant_lookup)
    revoke = commands.add_parser("revoke-lookup", help="end an account's lookup right now")
    revoke.add_argument("login")
    revoke.set_defaults(handler=run_revoke_lookup)
    rights = commands.add_parser("lookup-rights", help="list the valid lookup rights")
    rights.set_defaults(handler=run_lookup_rights)
    for command in (add, listing, grant, revoke, rights, *(commands.choices[name] for name in
                                    ("disable", "enable", "unlock", "password"))):
        command.add_argument("--stdin", "--password-stdin", dest="stdin", action="store_true",
                             help=stdin_help)


class _Answers:
    """Asks on the terminal, or reads the next line of standard input (``--stdin``)."""

    def __init__(self, from_stdin: bool) -> None:
        self._from_stdin = from_stdin

    def ask(self, prompt: str, *, secret: bool) -> str:
        if self._from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise CredentialsMissingError(S_(
                    "Standard input ended early: give the admin's staff ID, the admin's "
                    "password and the new password, one per line."))
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CredentialsMissingError(S_(
                "There is no terminal to ask for the admin's staff ID and password on: run "
                "the command in a terminal, or give them with --stdin."))
        if secret:
            return getpass.getpass(prompt)
        print(prompt, end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().rstrip("\r\n")

    def new_password(self) -> str:
        password = self.ask("new password: ", secret=True)
        if not self._from_stdin and self.ask("again: ", secret=True) != password:
            raise UserFacingError(S_("The two passwords differ."))
        return password


@contextmanager
def _service(config: Config) -> Iterator[StaffService]:
    with _opened(config) as (staff, _lookup):
        yield staff


@contextmanager
def _opened(config: Config) -> Iterator[tuple[StaffService, ResidentLookup]]:
    """The staff accounts, and the lookup grants on the same database and usage log."""
    from kiosk.app.commands import open_staff  # noqa: PLC0415 - the composition root

    with open_staff(config) as opened:
        yield opened


def _log_in(staff: StaffService, answers: _Answers, roles: frozenset[Role]) -> StaffMember:
    """The admin (or supervisor) who runs the command, after a counted login."""
    login = answers.ask("admin staff ID: ", secret=False).strip()
    password = answers.ask("admin password: ", secret=True)
    if not login or not password:
        raise CredentialsMissingError(S_(
            "Staff accounts are changed by an admin: type an admin's staff ID and password."))
    member = staff.log_in(login, password)
    if member.role not in roles:
        raise NotAllowedError(S_("Only an admin can change staff accounts.")
                              if roles == _ADMINS else
                              S_("Only a supervisor or an admin can unlock an account."))
    return member


def _as(roles: frozenset[Role], args: argparse.Namespace, config: Config,
        action: Callable[[StaffService, StaffMember, _Answers], str]) -> int:
    answers = _Answers(args.stdin)
    with _service(config) as staff:
        if not staff.has_accounts():
            raise NotAllowedError(_NO_ACCOUNT)
        member = _log_in(staff, answers, roles)
        print(action(staff, member, answers))
    return 0


def run_add(args: argparse.Namespace, config: Config) -> int:
    """Create an account (the first admin without a login while there is no account)."""
    role = Role(args.role)
    with _service(config) as staff:
        if not staff.has_accounts():
            if role is not Role.ADMIN:
                raise NotAllowedError(_NO_ACCOUNT)
            print("kiosk: no staff account exists yet: adding the first admin without a "
                  "login", file=sys.stderr)
            member = staff.add_first_admin(args.login, args.name,
                                           _Answers(args.stdin).new_password())
            print(f"added {member.login} ({member.role.value})")
            return 0

    def add(staff: StaffService, admin: StaffMember, answers: _Answers) -> str:
        member = staff.add(args.login, args.name, role, answers.new_password(), by=admin)
        return f"added {member.login} ({member.role.value})"

    return _as(_ADMINS, args, config, add)


def run_list(args: argparse.Namespace, config: Config) -> int:
    """List accounts."""
    def listing(staff: StaffService, _member: StaffMember, _answers: _Answers) -> str:
        lines = []
        for member in staff.list():
            state = ("locked" if member.locked else "active") if member.active else "disabled"
            lines.append(f"{member.login:<20} {member.role.value:<10} {state:<8} "
                         f"{member.display_name}")
        return "\n".join(lines)

    return _as(_SUPERVISORS, args, config, listing)


def run_disable(args: argparse.Namespace, config: Config) -> int:
    """Disable an account."""
    return _as(_ADMINS, args, config, lambda staff, admin, _answers:
               f"disabled {staff.disable(args.login, by=admin).login}")


def run_enable(args: argparse.Namespace, config: Config) -> int:
    """Enable a disabled account."""
    return _as(_ADMINS, args, config, lambda staff, admin, _answers:
               f"enabled {staff.enable(args.login, by=admin).login}")


def run_unlock(args: argparse.Namespace, config: Config) -> int:
    """Unlock an account locked by failed logins."""
    return _as(_SUPERVISORS, args, config, lambda staff, member, _answers:
               f"unlocked {staff.unlock(args.login, by=member).login}")


def run_password(args: argparse.Namespace, config: Config) -> int:
    """Give an account a new password."""
    return _as(_ADMINS, args, config, lambda staff, admin, answers:
               "new password set for "
               f"{staff.set_password(args.login, answers.new_password(), by=admin).login}")



def _as_lookup(roles: frozenset[Role], args: argparse.Namespace, config: Config,
               action: Callable[[ResidentLookup, StaffMember], str]) -> int:
    """Like :func:`_as`, for the lookup right's commands."""
    with _opened(config) as (staff, lookup):
        if not staff.has_accounts():
            raise NotAllowedError(_NO_ACCOUNT)
        print(action(lookup, _log_in(staff, _Answers(args.stdin), roles)))
    return 0


def run_grant_lookup(args: argparse.Namespace, config: Config) -> int:
    """Give an account the register lookup right until this fiscal year's end."""
    def grant(lookup: ResidentLookup, admin: StaffMember) -> str:
        right = lookup.grant(args.login, by=admin, honseki=args.honseki)
        return (f"lookup granted to {args.login} until {right.expires_on.isoformat()}"
                + (" (with 本籍)" if right.honseki else ""))

    return _as_lookup(_ADMINS, args, config, grant)


def run_revoke_lookup(args: argparse.Namespace, config: Config) -> int:
    """End an account's register lookup right now."""
    return _as_lookup(_ADMINS, args, config, lambda lookup, admin:
                      f"lookup revoked for {args.login} "
                      f"({lookup.revoke(args.login, by=admin)} grants ended)")


def run_lookup_rights(args: argparse.Namespace, config: Config) -> int:
    """List the valid lookup rights (a supervisor or an admin)."""
    return _as_lookup(_SUPERVISORS, args, config, lambda lookup, _member: "\n".join(
        f"{member.login:<20} until {grant.expires_on.isoformat()}"
        f"{'  本籍' if grant.honseki else ''}" for member, grant in lookup.rights())
        or "no lookup rights")
