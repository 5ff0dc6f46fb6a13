"""The city's names of the codes its own data puts in a usage log, for the auditor's view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CodeNames"]


@dataclass(frozen=True)
class CodeNames:
    """Japanese names of procedures (form id), life events (bundle id) and core systems
    (``forms/export``): the log holds the codes, the city's data names them."""

    forms: Mapping[str, str] = field(default_factory=dict)
    bundles: Mapping[str, str] = field(default_factory=dict)
    systems: Mapping[str, str] = field(default_factory=dict)
