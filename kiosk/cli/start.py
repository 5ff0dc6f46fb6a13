"""``kiosk start``: the front end this device's configuration names (what the launchers run)."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import board, clerk, demo, tablet, web
from kiosk.config import Config

# [device] role -> the command that runs it, with that command's default options.
_ROLES = {"tablet": tablet, "clerk": clerk, "board": board, "demo": demo, "web": web}


def register(subparsers: Any) -> None:
    """Add ``start`` to the command line."""
    parser = subparsers.add_parser(
        "start", help="run the front end of this device's role ([device] role in the config)")
    parser.set_defaults(handler=run)


def run(_args: argparse.Namespace, config: Config) -> int:
    """Run the role's own command as if it had been typed without options."""
    module = _ROLES[config.device.role]
    own = argparse.ArgumentParser(prog=f"kiosk {config.device.role}")
    subparsers = own.add_subparsers(dest="command")
    module.register(subparsers)
    args = own.parse_args([config.device.role])
    result: int = args.handler(args, config)
    return result
