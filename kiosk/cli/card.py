"""``kiosk card status`` and ``kiosk card read``: check the My Number card reader by hand.

``status`` needs no PIN and uses no PIN try. ``read`` shows the tries left first, refuses to
send anything when the card is locked, refuses to spend the last try unless
``--use-last-try`` says so, sends the PIN once and prints the four items; they are printed to
the terminal only (IT's own card, at the IT desk), never logged.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import Any

from kiosk.config import Config
from kiosk.domain.identity import Identity
from kiosk.domain.text_cleaning import escape_unsafe
from kiosk.ports import IdentityReader

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``card status`` and ``card read`` to the command line."""
    parser = subparsers.add_parser("card", help="check the My Number card reader")
    commands = parser.add_subparsers(dest="card_command", metavar="SUBCOMMAND", required=True)
    status = commands.add_parser("status", help="readers, card present, ATR, PIN tries left")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=run_status)
    read = commands.add_parser("read", help="read name, address, birth date and sex (PIN)")
    read.add_argument("--pin-stdin", action="store_true",
                      help="read the PIN from the first line of standard input")
    read.add_argument("--use-last-try", action="store_true",
                      help="send the PIN even when one try is left (a wrong PIN locks the card)")
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.set_defaults(handler=run_read)


def _reader(config: Config) -> IdentityReader:
    from kiosk.app import build_identity_reader  # noqa: PLC0415 - the composition root

    return build_identity_reader(config)


def _reader_names(config: Config) -> list[str]:
    from kiosk.probes import card_reader_names  # noqa: PLC0415 - the adapters' probes

    return card_reader_names(config)


def run_status(args: argparse.Namespace, config: Config) -> int:
    """Print the readers and the card's state; exit 1 when no card is present."""
    status = _reader(config).status()
    readers = _reader_names(config)
    if args.json:
        print(json.dumps({"readers": readers, **asdict(status)}, ensure_ascii=False, indent=2))
    else:
        for name in readers:
            print(f"reader        {name}" + ("  (configured)" if name == status.reader else ""))
        print(f"using         {status.reader}")
        print(f"card present  {'yes' if status.present else 'no'}")
        if status.present:
            print(f"ATR           {status.atr}")
            print(f"My Number     {'yes' if status.my_number_card else 'no'}")
        if status.tries_left is not None:
            print(f"PIN tries     {status.tries_left}" + ("  (LOCKED)" if not status.tries_left
                                                          else ""))
    return 0 if status.present else 1


def _ask_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    return getpass.getpass("PIN (4 digits, not shown): ")


def _print_identity(identity: Identity, as_json: bool) -> None:
    fields = {
        "name": identity.name,
        "family_name": identity.family_name,
        "given_name": identity.given_name,
        "address": identity.address,
        "address_normalized": identity.address_for_fields,
        "birth_date": identity.birth_date.isoformat(),
        "sex": identity.sex.value,
        # Whether the data and the card were verified against the issuer CA key (IT checks
        # its [card] issuer_ca_key with this).
        "issuer_verified": "yes" if identity.issuer_verified else "no",
    }
    if as_json:
        print(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key, value in fields.items():
        # A terminal obeys ESC sequences: anything unsafe is shown as an escape, never sent.
        print(f"{key:<19} {escape_unsafe(value)}")


def run_read(args: argparse.Namespace, config: Config) -> int:
    """Show the tries left, ask the PIN once, read and print.

    Exit 3 on a locked card, and 3 with one try left unless ``--use-last-try`` was given:
    nothing is sent then, and the card keeps its last try.
    """
    reader = _reader(config)
    tries = reader.tries_left()
    if tries == 0:
        print("The PIN is locked: nothing was sent. The citizen must have it reset at the "
              "counter.", file=sys.stderr)
        return 3
    print(f"PIN tries left: {tries}", file=sys.stderr)
    if tries == 1 and not args.use_last_try:
        print("One try left: nothing was sent. A wrong PIN now locks the card, and only the "
              "counter can reset it (the citizen brings an ID). If the PIN is certain, run "
              "again with --use-last-try.", file=sys.stderr)
        return 3
    if tries == 1:
        print("WARNING: using the last try. A wrong PIN now locks the card.", file=sys.stderr)
    identity = reader.read_identity(_ask_pin(args.pin_stdin), use_last_try=args.use_last_try)
    _print_identity(identity, args.json)
    return 0
