"""``kiosk board``: the waiting-room board (now calling, waits, notices, voice call-outs)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Config


def register(subparsers: Any) -> None:
    """Add ``board`` to the command line."""
    parser = subparsers.add_parser("board", help="the waiting-room board with voice call-outs")
    parser.add_argument("--notices", type=Path, default=None, metavar="FOLDER",
                        help="folder of notices (*.txt, *.png, *.jpg) shown in turn")
    parser.add_argument("--windowed", action="store_true", help="not full screen")
    parser.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                        help="close by itself (for scripted checks)")
    parser.add_argument("--report", type=Path, default=None, metavar="FILE",
                        help="write the number called, the counter and the recent calls "
                             "as JSON, on every change (for scripted checks)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Start the board with live queue updates; returns the Qt exit code."""
    from kiosk.app import build_services  # noqa: PLC0415 - heavy imports
    from kiosk.ui.adapters import qt_printer  # noqa: PLC0415 - the front end's printer
    from kiosk.ui.board.run import run_board  # noqa: PLC0415

    services = build_services(config, qt_printer=qt_printer)
    try:
        services.start_background()
        return run_board(services, notices_dir=args.notices, windowed=args.windowed,
                         quit_after=args.quit_after, report=args.report)
    finally:
        services.close()
