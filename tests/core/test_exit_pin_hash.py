"""``kiosk tablet --hash-exit-pin``: the staff PIN is typed or piped, never an argument."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from kiosk.domain.staff import verify_password


def _kiosk(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "tablet", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


def _read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:            # the child closed the terminal
                return


def _on_terminal(*typed: str) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, typing each entry after its prompt."""
    pid, fd = pty.fork()
    if pid == 0:   # the child: the pty is its controlling terminal, as at IT's console
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", "tablet", "--hash-exit-pin"])
    seen = bytearray()
    for entry in typed:
        _read_until(fd, b": ", seen)
        del seen[:]
        os.write(fd, entry.encode() + b"\n")
    _read_until(fd, b"\n", seen)
    _read_until(fd, b"\x00", seen, timeout=5.0)     # the rest, until the child closes
    _pid, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_hash_exit_pin__pin_as_argument__refused_and_nothing_printed():
    result = _kiosk("--hash-exit-pin", "1234", stdin="")

    assert result.returncode == 2
    assert "scrypt$" not in result.stdout


def test_hash_exit_pin__pin_on_stdin__prints_a_hash_of_it():
    result = _kiosk("--hash-exit-pin", stdin="4321\n")

    assert result.returncode == 0, result.stderr
    assert verify_password("4321", result.stdout.strip())


def test_hash_exit_pin__empty_stdin__message_and_exit_2():
    result = _kiosk("--hash-exit-pin", stdin="")

    assert result.returncode == 2
    assert "Nothing was entered" in result.stderr
    assert "Traceback" not in result.stderr


def test_hash_exit_pin__typed_twice_at_terminal__hash_printed_pin_not_echoed():
    code, output = _on_terminal("2468", "2468")

    assert code == 0, output
    digest = next(line for line in output.splitlines() if line.startswith("scrypt$"))
    assert verify_password("2468", digest.strip())
    assert "2468" not in output


def test_hash_exit_pin__two_entries_differ_at_terminal__refused_with_exit_2():
    code, output = _on_terminal("2468", "1357")

    assert code == 2
    assert "scrypt$" not in output
