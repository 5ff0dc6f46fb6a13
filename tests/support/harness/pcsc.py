"""pcscd with Debian's vsmartcard-vpcd driver: two virtual readers a test card connects to.

The vpcd driver listens on TCP; an emulated card that connects to the port of a reader is
"inserted" in it, and closing the socket removes it. We write a private reader.conf.d with
ports of our own, so no fixed port is needed. Debian's pcscd 1.9.9 always uses
/run/pcscd/pcscd.comm, so only one pcscd can run: if another one does, we say so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from harness import ServiceUnavailable
from harness.processes import free_port, listening_ports, start, stop, wait_until

_DRIVER_CANDIDATES = (
    Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"),
    Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so.0.8"),
)
_SOCKET = Path("/run/pcscd/pcscd.comm")
_PID_FILE = Path("/run/pcscd/pcscd.pid")


class PcscService:
    """A pcscd we started, with the readers ``Virtual PCD 00 00`` and ``Virtual PCD 00 01``."""

    reader_names = ("Virtual PCD 00 00", "Virtual PCD 00 01")

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.log = workdir / "pcscd.log"
        self._process: subprocess.Popen[bytes] | None = None
        binary = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists() else None)
        if binary is None:
            raise ServiceUnavailable("pcscd is not installed (apt-get install pcscd)")
        self._binary = binary
        driver = next((d for d in _DRIVER_CANDIDATES if d.exists()), None)
        if driver is None:
            raise ServiceUnavailable("the vpcd driver is not installed (apt-get install vsmartcard-vpcd)")
        self._base_port = free_port(consecutive=2)
        conf = workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME   /dev/null:{self._base_port}\n"
            f"LIBPATH      {driver}\n"
            f"CHANNELID    {self._base_port}\n", encoding="ascii")
        self._conf = conf

    def vpcd_port(self, slot: int) -> int:
        """The TCP port on 127.0.0.1 where a virtual card for reader ``slot`` (0 or 1) connects."""
        if slot not in (0, 1):
            raise ValueError("vpcd has two slots: 0 and 1")
        return self._base_port + slot

    def start(self) -> None:
        """Start pcscd and wait until both vpcd ports listen and the client socket exists."""
        other = _running_pcscd()
        if other is not None:
            raise ServiceUnavailable(
                f"another pcscd (pid {other}) is running; the tests need their own. Stop it "
                "(systemctl stop pcscd.socket pcscd) and run the tests again.")
        if os.geteuid() != 0 and not os.access("/run/pcscd", os.W_OK):
            raise ServiceUnavailable("pcscd needs to write /run/pcscd: run the tests as root")
        self._process = start([self._binary, "--foreground", "--config", str(self._conf)],
                              self.log)
        ports = {self.vpcd_port(0), self.vpcd_port(1)}
        wait_until(lambda: _SOCKET.exists() and ports <= listening_ports(), 10,
                   "pcscd", self._process, self.log)

    def stop(self) -> None:
        """Stop pcscd (by PID) and wait for it to leave."""
        stop(self._process)
        self._process = None

    def restart(self) -> None:
        """Stop and start pcscd with the same ports (cards must reconnect)."""
        self.stop()
        self.start()

    @property
    def pid(self) -> int | None:
        """PID of the running pcscd, if any."""
        return self._process.pid if self._process and self._process.poll() is None else None


def _running_pcscd() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        pid = int(_PID_FILE.read_text().strip())
        os.kill(pid, 0)
        return pid
    return None
