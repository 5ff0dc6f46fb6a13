"""``kiosk doctor``: the start-of-day self-test of a tablet, clerk PC or board."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.config import Config
from kiosk.doctor import Status, overall

_MARK = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}


def register(subparsers: Any) -> None:
    """Add ``doctor`` to the command line."""
    parser = subparsers.add_parser("doctor", help="check everything this device needs")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Run every check; exit 1 when any check failed."""
    from kiosk.probes import doctor_checks  # noqa: PLC0415 - the probes load devices

    checks = doctor_checks(config)
    status = overall(checks)
    if args.json:
        print(json.dumps({"status": status.value, "checks": [c.as_dict() for c in checks]},
                         ensure_ascii=False, indent=2))
    else:
        for check in checks:
            print(f"[{_MARK[check.status]}] {check.name:<22} {check.detail}")
            if check.status is not Status.OK and check.fix:
                print(f"{'':<30}fix: {check.fix}")
        print(f"\noverall: {status.value}")
    return 1 if status is Status.FAIL else 0
