"""Real services for the test suite: pcscd + vpcd, PostgreSQL, CUPS and Xvfb.

Each service is started from the installed binaries on first use, in a private directory,
and stopped by its PID at the end of the session (never by process name); if pytest dies
first, :mod:`harness.reaper` ends them. When a service cannot start,
:class:`ServiceUnavailable` says why; ``tests/conftest.py`` turns that into a failure under
``CI=true`` and into a loudly reported skip elsewhere.
"""

from __future__ import annotations

import os


class ServiceUnavailable(RuntimeError):
    """A real service the tests need could not be started here (the message says why)."""


def in_ci() -> bool:
    """Whether this run is CI, where every service must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
