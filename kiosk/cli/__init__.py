"""The ``kiosk`` command: one entry point, one module per group of subcommands.

Each module in this package has ``register(subparsers)``, which adds its subcommands and sets
``handler`` on them. Registration is explicit (the list below), never by import side effect.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.cli import (
    audit,
    board,
    card,
    clerk,
    db,
    demo,
    deploy,
    doctor,
    forms,
    i18n_commands,
    models,
    screenshots,
    staff,
    start,
    tablet,
)
from kiosk.config import Config, load_config
from kiosk.errors import KioskError, UserFacingError
from kiosk.logging_setup import configure_logging
from kiosk.paths import default_config_path

__all__ = ["main"]

_COMMAND_GROUPS = (audit, board, card, clerk, db, demo, deploy, doctor, forms, i18n_commands, models,
                   screenshots, staff, start, tablet)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="kiosk", description="書かない・待たない窓口 — the writing-free counter kiosk.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", type=Path, default=None,
                        help="device configuration (TOML); default: $KIOSK_CONFIG or "
                             f"{default_config_path()}")
    parser.add_argument("--log-level", default=os.environ.get("KIOSK_LOG_LEVEL", "WARNING"),
                        help="DEBUG, INFO, WARNING, or TRAFFIC for card APDUs (PINs redacted)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def read_config(path: Path | None) -> Config:
    """Load the configuration named on the command line, in ``KIOSK_CONFIG`` or the default file."""
    if path is None and os.environ.get("KIOSK_CONFIG"):
        path = Path(os.environ["KIOSK_CONFIG"])
    if path is None and default_config_path().exists():
        path = default_config_path()
    return load_config(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kiosk`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    configure_logging(args.log_level, None)
    try:
        config = read_config(args.config)
        result: int = args.handler(args, config)
    except UserFacingError as exc:
        print(f"kiosk: {exc.english()}", file=sys.stderr)
        return 2
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    return result
