"""What every ``kiosk`` command sets up before it does anything: private files, no telemetry,
crash reports without personal data, and (on the devices) no core dumps.

* umask 0o077: every file the kiosk creates (database, outbox, keys, logs, printed PDFs, spoken
  WAVs) is 0600 and every folder 0700, whatever library creates it (SQLite, reportlab, wave).
* ``ORT_DISABLE_TELEMETRY=1``: onnxruntime (1.29+, a dependency of faster-whisper and minisbd)
  otherwise sends usage events to mobile.events.data.microsoft.com from any process that loads
  it; the variable is its documented opt-out and must be set before it loads. The kiosk keeps
  onnxruntime out of its processes anyway (devices/speech/japanese_dictionary.py); this covers
  any library that loads it later.
* crash hooks (:mod:`kiosk.crash_log`): an uncaught exception is logged by type and place only.
* device processes (tablet, clerk, board, demo, card): no core dump, which would hold the
  visitor's answers, the PIN just typed and the answers key. ``RLIMIT_CORE`` is 0 and, on Linux,
  the process is not dumpable (no core even where a core pattern pipes to a helper, and no
  ``ptrace`` or ``/proc/<pid>/mem`` by other processes of the same user).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator

from kiosk.crash_log import install_crash_hooks

__all__ = ["PRIVATE_UMASK", "disable_core_dumps", "guarded_process"]

PRIVATE_UMASK = 0o077
_NO_TELEMETRY = {"ORT_DISABLE_TELEMETRY": "1"}
_PR_SET_DUMPABLE = 4          # <linux/prctl.h>


@contextlib.contextmanager
def guarded_process(*, device: bool) -> Iterator[None]:
    """Run a command with the kiosk's process protections; ``device`` also turns off core dumps.

    The umask, the environment and the crash hooks are put back at the end, so a command run in
    the tests' own process leaves it as it was; core dumps stay off (they cannot come back).
    """
    previous_umask = os.umask(PRIVATE_UMASK)
    previous_env = {name: os.environ.get(name) for name in _NO_TELEMETRY}
    os.environ.update(_NO_TELEMETRY)
    hooks = install_crash_hooks()
    if device:
        disable_core_dumps()
    try:
        yield
    finally:
        hooks.restore()
        for name, value in previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        os.umask(previous_umask)


def disable_core_dumps() -> None:
    """No core file for this process (soft and hard limit 0) and, on Linux, not dumpable."""
    try:
        import resource  # noqa: PLC0415 - POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass                         # Windows keeps no core files; Windows Error Reporting is IT's
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
