"""Crash reports without personal data: the exception's type and where it was raised, nothing else.

Python's default hooks print the exception's message, and a message can hold whatever value the
failing code had in hand (``KeyError: '山田太郎'``, a ``repr`` of a form answer). A kiosk's stderr
ends in the system journal, so the hooks here replace them: they log the type and the places
(``module:function:line`` of each frame, innermost last), never the message, the arguments or
the locals. The place is enough to find the fault in the source.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

__all__ = ["CrashHooks", "PlaceOnlyFormatter", "describe_crash", "install_crash_hooks"]

_log = logging.getLogger("kiosk.crash")
_MAX_PLACES = 12          # the innermost frames; the outer ones are the event loop's


def describe_crash(exc_type: type[BaseException], traceback: TracebackType | None) -> str:
    """``"KeyError at kiosk.x:Thing.method:42 (called from a:f:3 > b:g:7)"`` for a crash.

    Only names and line numbers from the code: no exception message, no values.
    """
    places = _places(traceback)
    name = exc_type.__qualname__
    if exc_type.__module__ not in ("builtins", "__main__"):
        name = f"{exc_type.__module__}.{name}"
    if not places:
        return name
    text = f"{name} at {places[-1]}"
    if len(places) > 1:
        text += f" (called from {' > '.join(places[-_MAX_PLACES:-1])})"
    return text


def _places(traceback: TracebackType | None) -> list[str]:
    places = []
    while traceback is not None:
        frame = traceback.tb_frame
        module = frame.f_globals.get("__name__", "?")
        places.append(f"{module}:{frame.f_code.co_qualname}:{traceback.tb_lineno}")
        traceback = traceback.tb_next
    return places


class PlaceOnlyFormatter(logging.Formatter):
    """A log formatter whose tracebacks (``_log.exception(...)``) hold type and places only."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        """The exception of a record, as :func:`describe_crash` writes it."""
        exc_type, _exc, traceback = ei
        if exc_type is None:
            return ""
        return "  " + describe_crash(exc_type, traceback)


@dataclass
class CrashHooks:
    """The hooks in place before :func:`install_crash_hooks`, to put back with :meth:`restore`."""

    excepthook: Callable[..., Any]
    threading_excepthook: Callable[..., Any]
    unraisablehook: Callable[..., Any]

    def restore(self) -> None:
        """Put the previous hooks back (the end of an in-process command, in tests)."""
        sys.excepthook = self.excepthook
        threading.excepthook = self.threading_excepthook
        sys.unraisablehook = self.unraisablehook


def install_crash_hooks() -> CrashHooks:
    """Log uncaught exceptions (main thread, other threads, unraisable) by type and place only.

    Returns the previous hooks. Qt's slots report through ``sys.excepthook`` too.
    """
    previous = CrashHooks(sys.excepthook, threading.excepthook, sys.unraisablehook)
    sys.excepthook = _excepthook
    threading.excepthook = _threading_excepthook
    sys.unraisablehook = _unraisablehook
    return previous


def _excepthook(exc_type: type[BaseException], _exc: BaseException,
                traceback: TracebackType | None) -> None:
    _log.critical("crash: %s", describe_crash(exc_type, traceback))


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return                      # as the default hook: a thread that exits is no crash
    _log.critical("crash in a thread: %s", describe_crash(args.exc_type, args.exc_traceback))


def _unraisablehook(args: Any) -> None:
    # Not args.object or args.err_msg: the object's repr may hold personal data.
    _log.error("unraisable exception: %s", describe_crash(args.exc_type, args.exc_traceback))
