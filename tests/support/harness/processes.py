"""Starting and stopping service processes by PID, and finding free ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from harness import ServiceUnavailable
from harness.reaper import forget, watch


def free_port(consecutive: int = 1) -> int:
    """A TCP port on 127.0.0.1 that is free now, followed by ``consecutive - 1`` free ones."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + consecutive > 65535:
            continue
        if all(_port_free(base + offset) for offset in range(1, consecutive)):
            return base
    raise ServiceUnavailable("no free TCP port range found")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def listening_ports() -> set[int]:
    """TCP ports in LISTEN state on this machine (read from /proc, without connecting)."""
    ports: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":  # TCP_LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def wait_until(condition: Callable[[], bool], timeout: float, what: str,
               process: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> None:
    """Poll ``condition`` until true; fail with the log's tail if it times out or the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    state = f"exited with {process.returncode}" if process and process.poll() is not None else "timed out"
    raise ServiceUnavailable(f"{what} {state}. {tail}".strip())


def start(command: Sequence[str], log: Path, env: dict[str, str] | None = None,
          **popen: object) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own process group with output to ``log`` (see :mod:`.reaper`)."""
    handle = log.open("ab")
    try:
        process = subprocess.Popen(list(command), stdout=handle, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                   **popen)  # type: ignore[call-overload]
    except OSError as exc:
        raise ServiceUnavailable(f"cannot start {command[0]}: {exc}") from exc
    finally:
        handle.close()
    watch(process.pid)      # ended by the reaper if this pytest dies before stop()
    return process


def stop(process: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    """Terminate the process we started (by its PID), then kill it if it lingers."""
    if process is None:
        return
    forget(process.pid)
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout)
