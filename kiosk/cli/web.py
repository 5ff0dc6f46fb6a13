"""``kiosk web``: the phones' web host (internet segment), and ``kiosk web new-key``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Config


def register(subparsers: Any) -> None:
    """Add ``web`` to the command line."""
    parser = subparsers.add_parser(
        "web", help="the ticket page, congestion page and web board (the web host)")
    parser.add_argument("action", nargs="?", choices=("serve", "new-key"), default="serve",
                        help="serve (default), or print a fresh key for [web] feed_key / "
                             "token_key")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Serve until interrupted, or print a new key."""
    if args.action == "new-key":
        from kiosk.feed.keys import new_key_text  # noqa: PLC0415

        print(new_key_text())
        return 0
    from kiosk.web.server import serve  # noqa: PLC0415 - uvicorn only for this command

    web = config.web
    print(f"kiosk web: http://{web.listen}:{web.port}/congestion  /board?site={web.site}")
    serve(config)
    return 0
