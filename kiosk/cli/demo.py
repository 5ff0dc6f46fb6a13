"""``kiosk demo``: the three windows (tablet, clerk, board) on simulated devices; ``--remote``
adds a branch office's window that calls the clerk desktop (the remote counter)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.config import Config
    from kiosk.domain.remote import RemoteTicket
    from kiosk.ports import RemoteCall


def register(subparsers: Any) -> None:
    """Add ``demo`` to the command line."""
    parser = subparsers.add_parser(
        "demo", help="citizen tablet, clerk desktop and waiting-room board in one process")
    parser.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                        help="close by itself (for scripted checks)")
    parser.add_argument("--report", type=Path, default=None,
                        help="write a JSON report of the windows shown (for tests)")
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="save a PNG of the whole screen just before quitting")
    parser.add_argument("--remote", action="store_true",
                        help="add a branch office's window that calls the clerk desktop "
                             "(remote counter, simulated call with generated video)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Start the demo and return the Qt exit code."""
    from kiosk.app import build_joined_calls, build_services  # noqa: PLC0415 - heavy imports
    from kiosk.probes import doctor_checks  # noqa: PLC0415
    from kiosk.ui.demo import run_demo  # noqa: PLC0415
    from kiosk.web.server import start_demo_host  # noqa: PLC0415

    config, web_host = start_demo_host(config)   # the phones' pages, fed by this queue
    if config.payment.kind == "none":
        # The demo takes fees on the simulated terminal (nothing is charged); here and not in
        # build_services(demo=True), whose other users finish applications without paying.
        config = replace(config, payment=replace(config.payment, kind="simulated"))
    public = config.web.public_url
    print(f"web: congestion {public}/congestion  board {public}/board?site={config.web.site}\n"
          f"     reservations {public}/reserve  open data {public}/congestion.json\n"
          f"     ticket pages {public}/t/... (the QR code on the tablet's ticket)")
    if args.remote:
        config = replace(config, remote=replace(config.remote, kind="simulated", side="office"))
    services = build_services(config, demo=True)
    branch_call: Callable[[RemoteTicket], RemoteCall] | None = None
    if args.remote:
        # The two windows' ends of one call are joined in this process (no network).
        services.open_remote_call, branch_call = build_joined_calls()
    try:
        if not services.shared_database:
            # The demo clerk (shown on the login screen) only on the demo's own database, never
            # on a city hall's shared one: its password is in the README.
            demo_clerk = services.staff_service().ensure_demo_account()
            if services.resident_lookup is not None:    # the synthetic register, to try
                services.resident_lookup.grant_for_demo(demo_clerk)
            if services.reservations is not None and not services.reservations.capacities():
                services.reservations.set_capacity("A", 2)   # something to book on the phone
        services.start_background()   # the board and the clerk follow the tablet live
        return run_demo(services, doctor_checks(services.config), quit_after=args.quit_after,
                        report=args.report, screenshot=args.screenshot, branch_call=branch_call)
    finally:
        services.close()
        web_host.stop()
