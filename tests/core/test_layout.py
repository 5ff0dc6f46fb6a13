"""The import contracts cover the whole core: a new core module cannot escape them unnoticed."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import kiosk

# Modules allowed to import Qt or devices: the front ends, the composition root and the CLI.
OUTSIDE_CORE = {"kiosk.ui", "kiosk.app", "kiosk.cli", "kiosk.__main__"}


def test_core_contract__every_kiosk_module__is_listed_or_outside_core():
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in pyproject["tool"]["importlinter"]["contracts"]
                    if c["name"].startswith("Core imports no Qt"))
    listed = set(contract["source_modules"])
    modules = {f"kiosk.{info.name}" for info in pkgutil.iter_modules(kiosk.__path__)}

    assert modules - OUTSIDE_CORE - listed == set()
