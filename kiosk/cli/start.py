"""``kiosk start``: the front end this device's configuration names (what the launchers run)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kiosk.cli import board, clerk, demo, tablet, web
from kiosk.config_sections import config_file, read_device
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from kiosk.config import Config

# [device] role -> the command that runs it, with that command's default options.
_ROLES = {"tablet": tablet, "clerk": clerk, "board": board, "demo": demo, "web": web}


def register(subparsers: Any) -> None:
    """Add ``start`` to the command line."""
    parser = subparsers.add_parser(
        "start", help="run the front end of this device's role ([device] role in the config)")
    parser.set_defaults(handler=run, reads_config=run_reading_config)


def run(_args: argparse.Namespace, config: Config) -> int:
    """Run the role's own command as if it had been typed without options."""
    args = _own_arguments(config.device.role)
    result: int = args.handler(args, config)
    return result


def run_reading_config(args: argparse.Namespace) -> int:
    """Run the role's command; a tablet reads its configuration itself, as ``kiosk tablet``
    does (the start-up Welcome from [ui] first), the others get the whole of it."""
    path = config_file(args.config)
    try:
        role = read_device(path).role
    except ConfigError:
        role = None                 # read whole below: its first error is the one printed
    if role == "tablet":
        own = _own_arguments(role)
        own.config = args.config
        return tablet.run_reading_config(own)
    from kiosk.config import load_config  # noqa: PLC0415 - kiosk.cli.read_config's reading

    return run(args, load_config(path))


def _own_arguments(role: str) -> argparse.Namespace:
    module = _ROLES[role]
    own = argparse.ArgumentParser(prog=f"kiosk {role}")
    subparsers = own.add_subparsers(dest="command")
    module.register(subparsers)
    return own.parse_args([role])
