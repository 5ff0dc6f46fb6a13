"""Logging for the kiosk: a TRAFFIC level below DEBUG and a file in the data directory.

Card APDUs are logged at TRAFFIC (5), below DEBUG, and only when IT asks for it
(``KIOSK_LOG_LEVEL=TRAFFIC``); PIN-bearing APDUs are redacted by the card code before they get
here. Nothing at any level may carry personal data: identity objects mask themselves in
``repr`` and errors carry message ids, not values.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.crash_log import PlaceOnlyFormatter

__all__ = ["TRAFFIC", "configure_logging"]

TRAFFIC = 5
logging.addLevelName(TRAFFIC, "TRAFFIC")


def configure_logging(level: str, log_dir: Path | None) -> None:
    """Log to stderr and, when ``log_dir`` is given, to a size-rotated ``kiosk.log`` there."""
    numeric = TRAFFIC if level.upper() == "TRAFFIC" else logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_dir is not None:
        # Only here: logging.handlers pulls in sockets and pickling, which a tablet that logs
        # to stderr would load for nothing before its first screen.
        from logging.handlers import RotatingFileHandler  # noqa: PLC0415

        log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Rotation keeps a bounded amount; the log holds no personal data, only events.
        handlers.append(RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    # Exceptions are written by type and place, never their message (kiosk.crash_log).
    formatter = PlaceOnlyFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
    logging.basicConfig(level=numeric, handlers=handlers, force=True)
