"""``kiosk reservations``: places per slot per service (a supervisor), and the days' figures.

``capacity SERVICE PLACES`` asks for a supervisor's (or an admin's) staff ID and password like
``kiosk staff unlock`` (or ``--stdin``); 0 takes no more reservations for that service.
``show`` prints the bookable slots' places left and the reservations by state: counts only.
"""

from __future__ import annotations

import argparse
from collections import Counter
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from kiosk.cli.staff import _SUPERVISORS, _Answers, _log_in, _service
from kiosk.config import Config
from kiosk.errors import UserFacingError
from kiosk.i18n import S_

if TYPE_CHECKING:
    from kiosk.services.reservations import ReservationDesk


def register(subparsers: Any) -> None:
    """Add ``reservations capacity|show`` to the command line."""
    parser = subparsers.add_parser("reservations", help="reservations (予約): places per slot")
    commands = parser.add_subparsers(dest="reservations_command", metavar="ACTION",
                                     required=True)
    capacity = commands.add_parser("capacity", help="set a service's places per slot "
                                   "(asks for a supervisor's staff ID and password)")
    capacity.add_argument("service", help="service code, e.g. A")
    capacity.add_argument("places", type=int, help="reservations per slot (0: none)")
    capacity.add_argument("--stdin", action="store_true",
                          help="read the supervisor's staff ID and password from standard "
                               "input, one per line")
    capacity.set_defaults(handler=run_capacity)
    show = commands.add_parser("show", help="places left and reservations by state (counts)")
    show.set_defaults(handler=run_show)


def _reservations(config: Config) -> AbstractContextManager[ReservationDesk]:
    from kiosk.app.commands import open_reservations  # noqa: PLC0415 - the composition root

    return open_reservations(config)


def run_capacity(args: argparse.Namespace, config: Config) -> int:
    """Set a service's places per slot, as a supervisor."""
    if not 0 <= args.places <= 1000:
        raise UserFacingError(S_("Places per slot must be 0 to 1000."))
    with _service(config) as staff:
        _log_in(staff, _Answers(args.stdin), _SUPERVISORS)
        with _reservations(config) as desk:
            if not desk.set_capacity(args.service, args.places):
                raise UserFacingError(S_("There is no service {service}."), service=args.service)
    print(f"{args.service}: {args.places} per slot")
    return 0


def run_show(_args: argparse.Namespace, config: Config) -> int:
    """Print the places left per day and the reservations by state."""
    with _reservations(config) as desk:
        capacity = desk.capacities()
        left: Counter[tuple[str, str]] = Counter()
        for slot in desk.open_slots():
            left[(slot.service, slot.slot[:10])] += slot.free
        states = Counter((service, state) for service, _slot, state, _ticket
                         in desk.public_states().values())
    if not capacity:
        print("no service takes reservations (kiosk reservations capacity SERVICE PLACES)")
    for code, places in sorted(capacity.items()):
        print(f"{code}: {places} per slot")
        for (service, day), free in sorted(left.items()):
            if service == code:
                print(f"  {day}: {free} places left")
        for (service, state), n in sorted(states.items()):
            if service == code:
                print(f"  {state}: {n}")
    return 0
