"""``kiosk tablet``: the citizen tablet on this device's configuration (kiosk mode if set)."""

from __future__ import annotations

import argparse
import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config_sections import UiConfig, config_file, read_device, read_ui
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from kiosk.app import Services
    from kiosk.config import Config


def register(subparsers: Any) -> None:
    """Add ``tablet`` to the command line."""
    parser = subparsers.add_parser(
        "tablet", help="the citizen tablet (full screen with [ui] fullscreen = true)")
    parser.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                        help="close by itself (for scripted checks and benchmarks)")
    parser.add_argument("--report", type=Path, default=None, metavar="FILE",
                        help="write the shown screen and its button positions as JSON, on "
                             "every screen change (for scripted checks and benchmarks)")
    # The PIN itself is never an argument: the process list and shell history would show it.
    parser.add_argument("--hash-exit-pin", action="store_true",
                        help="read a staff exit PIN (typed twice at the terminal, or the first "
                             "line of stdin), print its hash for [ui] staff_exit_pin_hash, exit")
    parser.set_defaults(handler=run, reads_config=run_reading_config)


PICTURES_FOLDER = "start-up"
"""The folder, in the device's data folder, where the tablet keeps its Welcome's picture."""


def run(args: argparse.Namespace, config: Config) -> int:
    """Start the tablet on ``config`` (``kiosk start``) and return the Qt exit code."""
    return _run(args, config.ui, lambda: config, config.device.data_dir)


def run_reading_config(args: argparse.Namespace) -> int:
    """Start the tablet and return the Qt exit code: the start-up Welcome from ``[ui]`` alone,
    the whole configuration read behind it, with the services.

    A file whose ``[ui]`` cannot be read is read whole at once, so that its first error is
    the one printed, before anything is shown, as by every command.
    """
    path = config_file(args.config)
    try:
        ui = read_ui(path)
        data_dir = read_device(path).data_dir
    except ConfigError:
        from kiosk.config import load_config  # noqa: PLC0415 - raises the file's first error

        return run(args, load_config(path))

    def whole() -> Config:
        from kiosk.config import load_config  # noqa: PLC0415 - on the services' thread

        return load_config(path)

    return _run(args, ui, whole, data_dir)


def _run(args: argparse.Namespace, ui: UiConfig, load: Callable[[], Config],
         data_dir: Path) -> int:
    if args.hash_exit_pin:
        from kiosk.cli.secret_input import read_secret  # noqa: PLC0415
        from kiosk.domain.staff import hash_password  # noqa: PLC0415

        print(hash_password(read_secret("staff exit PIN")))
        return 0
    # No cyclic garbage collection until the tablet has taken over: the start makes some
    # half a million objects that live as long as the process, and the collections they set
    # off took 25-30 ms before the picture was up and 20-30 ms of the take-over. Once it is
    # up, what the start made is set aside (gc.freeze) so that no later collection walks it.
    collecting = gc.isenabled()
    gc.disable()
    from kiosk.ui.citizen.run_tablet import run_tablet  # noqa: PLC0415 - Qt, only here

    built: list[Services] = []
    starters: list[threading.Thread] = []

    def build() -> Services:
        # Runs on a worker thread while the start-up Welcome is already on the screen.
        from kiosk.app import build_services  # noqa: PLC0415 - the heavy imports
        from kiosk.ui.adapters import qt_printer  # noqa: PLC0415 - the front end's printer

        services = build_services(load(), qt_printer=qt_printer)
        built.append(services)
        return services

    def taken_over() -> None:
        if collecting:
            gc.freeze()
            gc.enable()
        # Once the tablet is up: the background threads (the queue's listener, the retention
        # and outbox jobs, the card monitor) and the dictionary's warm-up would hold the
        # interpreter while the services load and the tablet's screens are built. Started
        # from a thread of their own, as from the services' before: the PostgreSQL listener
        # imports its driver, which the screen must not wait for.
        for services in built:
            starter = threading.Thread(target=services.start_background,
                                       name="background-start", daemon=True)
            starters.append(starter)
            starter.start()

    try:
        return run_tablet(ui, build, quit_after=args.quit_after, report=args.report,
                          taken_over=taken_over, pictures=data_dir / PICTURES_FOLDER)
    finally:
        for starter in starters:
            starter.join()          # its threads started, so that close stops them all
        for services in built:
            services.close()
