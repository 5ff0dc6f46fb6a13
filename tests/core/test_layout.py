"""The import contracts cover the whole core: a new core module cannot escape them unnoticed."""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path
from typing import Any

import kiosk

# Modules allowed to import Qt or devices: the front ends, the composition root (and the
# adapters' probes, signature check and register extract beside it) and the CLI.
OUTSIDE_CORE = {"kiosk.ui", "kiosk.app", "kiosk.probes", "kiosk.signature_check",
                "kiosk.register_extract", "kiosk.cli", "kiosk.__main__"}


def test_core_contract__every_kiosk_module__is_listed_or_outside_core():
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in pyproject["tool"]["importlinter"]["contracts"]
                    if c["name"].startswith("Core imports no Qt"))
    listed = set(contract["source_modules"])
    modules = {f"kiosk.{info.name}" for info in pkgutil.iter_modules(kiosk.__path__)}

    assert modules - OUTSIDE_CORE - listed == set()


def _contract(name_start: str) -> dict[str, Any]:
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    contract: dict[str, Any] = next(c for c in pyproject["tool"]["importlinter"]["contracts"]
                                    if c["name"].startswith(name_start))
    return contract


def _storage_reads(path: Path) -> list[str]:
    """Where ``path`` reads an attribute named ``storage`` (``services.storage.queue``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "storage"]


def test_front_ends__storage__neither_imported_nor_reached_through_services():
    contract = _contract("Front ends reach storage")
    front_ends = Path(kiosk.__file__).parent / "ui"

    reads = [where for path in sorted(front_ends.rglob("*.py")) for where in _storage_reads(path)]

    assert (contract["source_modules"], contract["forbidden_modules"]) == (
        ["kiosk.ui"], ["kiosk.storage"])
    assert reads == []


def test_layers_contract__every_core_package_with_use_cases_or_records__is_a_layer():
    layers = {name.strip() for layer in _contract("The core is layered")["layers"]
              for name in layer.split(":")}

    assert {"kiosk.services", "kiosk.storage", "kiosk.audit", "kiosk.procedures",
            "kiosk.domain"} <= layers
