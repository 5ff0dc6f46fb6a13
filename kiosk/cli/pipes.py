"""A reader that stops reading (``kiosk doctor --json | head``) ends the command quietly.

Python turns SIGPIPE into :class:`BrokenPipeError` on the next write; without care that is a
traceback, and another one when the interpreter flushes standard output at exit. The signal's
default action is no cure: the front ends hold sockets (PostgreSQL, pcscd) whose writes must
raise, not kill the process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

__all__ = ["EXIT_PIPE_CLOSED", "quiet_on_closed_pipe"]

# What a shell reports for a process ended by SIGPIPE (128 + 13), as ``git log | head`` does.
EXIT_PIPE_CLOSED = 141


def quiet_on_closed_pipe(run: Callable[[], int]) -> int:
    """Return ``run()``, flushing standard output inside; a closed pipe gives 141, silently."""
    try:
        try:
            return run()
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit writes nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED
