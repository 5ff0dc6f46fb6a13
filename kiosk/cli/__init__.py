"""The ``kiosk`` command: one entry point, one module per group of subcommands.

Each module in this package has ``register(subparsers)``, which adds its subcommands and sets
``handler`` on them. Registration is explicit (the table below), never by import side effect.
A command imports only its own module: ``kiosk tablet`` must show its first screen before the
database and audit libraries of the other commands have finished loading. A command that reads
the configuration itself sets ``reads_config`` beside ``handler``, and is run by it (the tablet
reads ``[ui]`` for its first screen and the rest behind it); the others get the whole
configuration.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.cli.pipes import quiet_on_closed_pipe
from kiosk.config_sections import config_file
from kiosk.errors import KioskError, UserFacingError
from kiosk.logging_setup import configure_logging
from kiosk.paths import default_config_path
from kiosk.process_guard import guarded_process

if TYPE_CHECKING:
    from kiosk.config import Config

__all__ = ["main"]

# command -> the module that registers it (its ``register`` adds that one command).
_COMMAND_GROUPS = {
    "audit": "audit", "board": "board", "card": "card", "clerk": "clerk", "db": "db",
    "demo": "demo", "deploy": "deploy", "doctor": "doctor", "export": "export", "forms": "forms",
    "i18n": "i18n_commands", "models": "models", "payments": "payments", "register": "register",
    "remote": "remote", "reservations": "reservations", "screenshots": "screenshots", "staff": "staff",
    "start": "start", "tablet": "tablet", "verify-pdf": "verify_pdf", "web": "web",
}
# Commands that hold a visitor's data, a PIN or the answers key in memory: no core dumps.
_DEVICE_COMMANDS = frozenset({"board", "card", "clerk", "demo", "start", "tablet"})


# Replaced by the default file's path when the help is printed (_HelpFormatter): finding the
# user's configuration folder costs the tablet's first screen milliseconds (platformdirs).
_DEFAULT_CONFIG = "{the default configuration file}"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, naming the default configuration file."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is None or _DEFAULT_CONFIG not in text:
            return text
        return text.replace(_DEFAULT_CONFIG, str(default_config_path()).replace("%", "%%"))


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None,
                        help="device configuration (TOML); default: $KIOSK_CONFIG or "
                             f"{_DEFAULT_CONFIG}")
    parser.add_argument("--log-level", default=os.environ.get("KIOSK_LOG_LEVEL", "WARNING"),
                        help="DEBUG, INFO, WARNING, or TRAFFIC for card APDUs (PINs redacted)")


def requested_commands(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command groups to load for ``argv``: the one named, or all (for help and typos)."""
    peek = argparse.ArgumentParser(add_help=False)
    _global_options(peek)
    _known, rest = peek.parse_known_args(argv)
    if rest and rest[0] in _COMMAND_GROUPS:
        return (rest[0],)
    return tuple(_COMMAND_GROUPS)


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the given registered commands (default: every one)."""
    parser = argparse.ArgumentParser(
        prog="kiosk", description="書かない・待たない窓口 — the writing-free counter kiosk.",
        formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands or _COMMAND_GROUPS:
        module = importlib.import_module(f"kiosk.cli.{_COMMAND_GROUPS[command]}")
        module.register(subparsers)
    return parser


def read_config(path: Path | None) -> Config:
    """Load the configuration named on the command line, in ``KIOSK_CONFIG`` or the default file."""
    # Here rather than at the top: the tablet draws its first screen before the sections'
    # dataclasses are loaded (it reads [ui] alone, kiosk.config_sections).
    from kiosk.config import load_config  # noqa: PLC0415

    return load_config(config_file(path))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kiosk`` command and return its exit code (141 when its reader went away)."""
    return quiet_on_closed_pipe(lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(requested_commands(argv))
    args = parser.parse_args(argv)
    own_reading = getattr(args, "reads_config", None)
    if getattr(args, "handler", None) is None and own_reading is None:
        parser.print_help()
        return 2
    configure_logging(args.log_level, None)
    with guarded_process(device=args.command in _DEVICE_COMMANDS):
        try:
            if own_reading is not None:
                result: int = own_reading(args)
            else:
                result = args.handler(args, read_config(args.config))
        except UserFacingError as exc:
            print(f"kiosk: {exc.english()}", file=sys.stderr)
            return 2
        except KioskError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            raise          # the reader went away: quiet_on_closed_pipe ends the command
        except Exception as exc:  # a bug: its message may hold personal data, so type and place
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return 1
    return result
