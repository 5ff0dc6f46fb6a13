"""Touches the watchdog's heartbeat file from the GUI thread, so a frozen event loop shows."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

__all__ = ["start_heartbeat"]

_INTERVAL_MS = 5000


def start_heartbeat(parent: QObject) -> QTimer | None:
    """Beat every 5 s into ``$KIOSK_HEARTBEAT`` when the watchdog set it; else do nothing."""
    target = os.environ.get("KIOSK_HEARTBEAT")
    if not target:
        return None
    path = Path(target)

    def beat() -> None:
        # A full disk must not crash the kiosk; the watchdog will notice the stale heartbeat.
        with contextlib.suppress(OSError):
            path.touch()

    timer = QTimer(parent)
    timer.setInterval(_INTERVAL_MS)
    timer.timeout.connect(beat)
    timer.start()
    beat()
    return timer
