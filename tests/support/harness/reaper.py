"""The services end with the tests, even when pytest itself dies.

A pytest that is killed (SIGKILL, out of memory, a CI time limit) runs no teardown: its pcscd
kept /run/pcscd/pcscd.comm and the next run refused to start ("another pcscd is running"), and
its PostgreSQL cluster and CUPS stayed up. So the first service started also starts a reaper: a
small process that reads, on a pipe whose writing end only this pytest holds, the PID of every
service started (with the signal that ends it, and a folder to remove after it) and of every
service stopped. When pytest ends, however it ends, the kernel closes the writing end; the
reaper reads the end of the pipe, signals the services still listed (by PID, never by name),
kills those still there after ten seconds, removes their folders and leaves.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

__all__ = ["forget", "watch"]

# The reaper's whole program: stdin is the pipe's reading end.
_REAPER = r"""
import os, shutil, signal, sys, time
listed = {}
for line in sys.stdin.buffer:
    parts = line.decode().rstrip("\n").split(" ", 3)
    if parts[0] == "+" and len(parts) == 4:
        listed[int(parts[1])] = (int(parts[2]), parts[3])
    elif parts[0] == "-" and len(parts) >= 2:
        listed.pop(int(parts[1]), None)
def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"    # a zombie has ended
    except OSError:
        return False
for pid, (number, _) in listed.items():
    try:
        os.kill(pid, number)
    except OSError:
        pass
deadline = time.monotonic() + 10
while time.monotonic() < deadline and any(alive(pid) for pid in listed):
    time.sleep(0.1)
for pid in listed:
    if alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
for _, folder in listed.values():
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
"""

_lock = threading.Lock()
_pipe: dict[int, int] = {}      # this process's PID -> the writing end (a fork has none)


def watch(pid: int, *, ending: signal.Signals = signal.SIGTERM,
          folder: Path | None = None) -> None:
    """Have ``pid`` ended with ``ending`` (and ``folder`` removed) if this pytest dies."""
    _say(f"+ {pid} {int(ending)} {folder or ''}")


def forget(pid: int) -> None:
    """``pid`` is being stopped by the tests themselves: the reaper leaves it alone."""
    _say(f"- {pid}")


def _say(line: str) -> None:
    with _lock:
        fd = _pipe.get(os.getpid())
        if fd is None:
            fd = _pipe[os.getpid()] = _start_reaper()
        # A line is far under PIPE_BUF: written whole. A reaper that is gone (killed by hand)
        # only means nobody cleans up after a dead pytest, as before.
        with contextlib.suppress(BrokenPipeError):
            os.write(fd, (line + "\n").encode())


def _start_reaper() -> int:
    read_end, write_end = os.pipe()     # neither inherited by the services (PEP 446)
    try:
        # Spawned, not a Popen: nothing here waits for it, and pytest would warn at its exit
        # about a Popen still running. Its own session: a Ctrl-C in the terminal reaches
        # pytest, not the reaper.
        os.posix_spawn(sys.executable, [sys.executable, "-c", _REAPER], os.environ,
                       file_actions=[(os.POSIX_SPAWN_DUP2, read_end, 0),
                                     (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                     (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
                       setsid=True)
    finally:
        os.close(read_end)
    return write_end
