"""The self-test model behind ``kiosk doctor``: checks with a status, a reason and a fix.

Each device adapter and service knows how to test itself and returns :class:`Check` values;
``kiosk.app`` collects them, and the CLI prints them for a person or as JSON for fleet scripts.
A check never raises: a failure is a result, with a one-line reason and something to try.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

__all__ = ["Check", "Status", "guarded", "overall"]


class Status(enum.StrEnum):
    """Outcome of one check; ``warn`` means the kiosk runs but something is degraded."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """The result of one self-test.

    Attributes:
        name: stable dotted id for scripts, e.g. ``"card.readers"``.
        status: ok, warn or fail.
        detail: one line saying what was found (never personal data).
        fix: what IT can try when the status is not ok.
        seconds: how long the check took.
    """

    name: str
    status: Status
    detail: str
    fix: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        data = asdict(self)
        data["status"] = self.status.value
        data["seconds"] = round(self.seconds, 3)
        return data


def guarded(name: str, run: Callable[[], Iterable[Check]]) -> list[Check]:
    """Run a group of checks; an unexpected exception becomes a ``fail`` check, timed."""
    started = time.perf_counter()
    try:
        results = list(run())
    except Exception as exc:  # a self-test reports every failure; it never crashes the doctor
        results = [Check(name, Status.FAIL, f"{type(exc).__name__}: {exc}",
                         "Report this to the kiosk developers with `kiosk doctor --json`.")]
    elapsed = time.perf_counter() - started
    share = elapsed / max(len(results), 1)
    return [Check(c.name, c.status, c.detail, c.fix, c.seconds or share) for c in results]


def overall(checks: Iterable[Check]) -> Status:
    """The worst status of ``checks``."""
    order = [Status.OK, Status.WARN, Status.FAIL]
    return max((c.status for c in checks), key=order.index, default=Status.OK)
