"""``kiosk clerk``: the clerk desktop (queue, application review, printing)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Config


def register(subparsers: Any) -> None:
    """Add ``clerk`` to the command line."""
    parser = subparsers.add_parser("clerk", help="the clerk desktop: call tickets, review, print")
    parser.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                        help="close by itself (for scripted checks)")
    parser.add_argument("--report", type=Path, default=None, metavar="FILE",
                        help="write the shown page, its button positions, the tickets and "
                             "the open application's status as JSON, on every change (for "
                             "scripted checks)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Start the clerk desktop with live queue updates; returns the Qt exit code."""
    from kiosk.app import build_services  # noqa: PLC0415 - heavy imports
    from kiosk.probes import doctor_checks  # noqa: PLC0415 - the probes load devices
    from kiosk.ui.adapters import qt_printer  # noqa: PLC0415 - the front end's printer
    from kiosk.ui.clerk.run import run_clerk  # noqa: PLC0415

    # The device status under the login (as in the demo): IT and the clerk see a broken
    # printer or a missing model before anyone signs in.
    checks = doctor_checks(config)
    services = build_services(config, qt_printer=qt_printer)
    try:
        services.start_background()
        return run_clerk(services, checks, quit_after=args.quit_after, report=args.report)
    finally:
        services.close()
