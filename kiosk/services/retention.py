"""Retention: delete the answers of finished applications after the configured hours.

The anonymous figures stay (see :mod:`kiosk.storage.figures`). The job runs at start-up and
then every hour on a background thread; ``kiosk db purge`` runs it by hand.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from kiosk.ports import Clock
from kiosk.storage.application_store import ApplicationStore
from kiosk.storage.engine import DatabaseUnavailableError

__all__ = ["PeriodicJob", "purge_finished"]

_log = logging.getLogger(__name__)


def purge_finished(store: ApplicationStore, clock: Clock, hours: int) -> int:
    """Delete answers of applications finished more than ``hours`` ago; returns how many."""
    purged = store.purge_answers(clock.now() - timedelta(hours=hours))
    if purged:
        _log.info("retention: deleted the answers of %d finished applications", purged)
    return purged


class PeriodicJob:
    """Runs ``job`` now and then every ``interval_s`` seconds on a daemon thread.

    An outage (:class:`DatabaseUnavailableError`) is logged and retried at the next tick.
    """

    def __init__(self, name: str, job: Callable[[], object], interval_s: float) -> None:
        self._name = name
        self._job = job
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop and wait for the thread."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            try:
                self._job()
            except DatabaseUnavailableError:
                _log.info("%s: database unreachable, retrying later", self._name)
            except Exception:
                _log.exception("%s failed", self._name)
            if self._stop.wait(self._interval):
                return
