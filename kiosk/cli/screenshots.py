"""``kiosk screenshots --out DIR``: every tablet screen in every language and text scale, as PNG.

For review by the city (is the Nepali wording right? does 200 % still fit?) and for the tests.
Runs offscreen on simulated devices with a throwaway database; nothing is submitted anywhere.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Config


def register(subparsers: Any) -> None:
    """Add ``screenshots`` to the command line."""
    parser = subparsers.add_parser(
        "screenshots", help="render every tablet screen in every language and text scale to PNG")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--languages", default="", help="comma-separated codes (default: all "
                        "configured)")
    parser.add_argument("--scales", default="100,150,200", help="text scales in percent")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Render the screenshots; print how many were written."""
    from kiosk.ui.citizen.screenshots import render_all  # noqa: PLC0415 - Qt only here

    languages = tuple(code for code in args.languages.split(",") if code) or config.ui.languages
    scales = tuple(int(scale) for scale in args.scales.split(",") if scale)
    written = render_all(args.out, languages=languages, scales=scales)
    print(f"{len(written)} screenshots in {args.out}")
    return 0
