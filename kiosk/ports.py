"""The seams between the core and the outside world, as small ``typing.Protocol`` classes.

Every device has a real adapter and a simulator in ``devices/``; ``kiosk.app`` picks one from
the configuration. The core depends only on these protocols, never on an adapter, so the same
services run on a tablet, on a clerk PC, in the demo and in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.doctor import Check

__all__ = ["Clock", "Printer", "Probe", "Speaker", "SystemClock"]


@runtime_checkable
class Probe(Protocol):
    """Something that can test itself for ``kiosk doctor``."""

    def probe(self) -> Sequence[Check]:
        """Run the self-test; never raise."""
        ...


class Clock(Protocol):
    """Time source; services take one so tests and reports can fix the time."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The machine's clock, in local time with its offset (JST at the city hall)."""

    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        return datetime.now(UTC).astimezone()


class Printer(Probe, Protocol):
    """Prints a finished PDF (completed form, receipt, ticket slip)."""

    def print_pdf(self, pdf: Path, *, title: str, copies: int = 1) -> str:
        """Send ``pdf`` to the printer and return a job id once the printer accepted it.

        Raises:
            kiosk.errors.DeviceError: the printer refused the job or is unreachable; the
                message carries the printer's own reason.
        """
        ...


class Speaker(Probe, Protocol):
    """Speaks guidance and call-outs; never blocks the caller."""

    def say(self, text: str, language: str) -> None:
        """Queue ``text`` to be spoken in ``language`` (a BCP 47 tag such as ``"ja"``)."""
        ...
