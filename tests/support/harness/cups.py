"""A private CUPS server with a cups-pdf queue named ``KioskPDF``.

cupsd runs with its own ServerRoot, spool and logs in a temporary directory and listens only
on a Unix socket there; clients find it through ``CUPS_SERVER``. The cups-pdf backend reads
its settings from /etc/cups/cups-pdf.conf and writes PDFs to the job owner's output folder.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from harness import ServiceUnavailable
from harness.processes import start, stop, wait_until

QUEUE = "KioskPDF"
_PPD_CANDIDATES = (Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"),
                   Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"))
_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


class CupsQueue(str):
    """The queue name, with where its PDFs land and the server it lives on."""

    output_dir: Path
    server: CupsService


class CupsService:
    """cupsd started from the installed binaries, stopped by PID."""

    def __init__(self, workdir: Path) -> None:
        # Filters run as the unprivileged `lp` user: they must be able to reach the spool and
        # the PPD, which pytest's private (0700) temporary folders do not allow.
        self.workdir = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.workdir.chmod(0o755)
        self._scratch_owner = workdir
        self.socket = self.workdir / "cups.sock"
        self.log = self.workdir / "cupsd.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        if not Path(self.cupsd).exists() or shutil.which("lpadmin") is None:
            raise ServiceUnavailable("CUPS is not installed (apt-get install cups cups-client)")
        self.ppd = next((p for p in _PPD_CANDIDATES if p.exists()), None)
        if self.ppd is None or not _BACKEND.exists():
            raise ServiceUnavailable("cups-pdf is not installed (apt-get install printer-driver-cups-pdf)")

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point CUPS clients at this server."""
        return {"CUPS_SERVER": str(self.socket)}

    def start(self) -> CupsQueue:
        """Start cupsd, add the KioskPDF queue, and return it."""
        root = self.workdir / "etc"
        for sub in ("etc/ppd", "spool/tmp", "cache", "state", "logs"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        for sub in ("etc", "etc/ppd", "cache", "state"):
            (self.workdir / sub).chmod(0o755)
        (self.workdir / "spool").chmod(0o1777)
        (self.workdir / "spool/tmp").chmod(0o1777)
        (root / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel warn\nMaxLogSize 0\nWebInterface No\n"
            "Browsing No\nDefaultAuthType None\n<Location />\n  Order allow,deny\n"
            "  Allow all\n</Location>\n", encoding="ascii")
        (root / "cups-files.conf").write_text(
            f"ServerRoot {root}\nRequestRoot {self.workdir / 'spool'}\n"
            f"TempDir {self.workdir / 'spool/tmp'}\nCacheDir {self.workdir / 'cache'}\n"
            f"StateDir {self.workdir / 'state'}\nErrorLog {self.workdir / 'logs/error_log'}\n"
            f"AccessLog {self.workdir / 'logs/access_log'}\nPageLog {self.workdir / 'logs/page_log'}\n"
            "Sandboxing Relaxed\n", encoding="ascii")
        self._process = start([self.cupsd, "-f", "-c", str(root / "cupsd.conf"),
                               "-s", str(root / "cups-files.conf")], self.log)
        wait_until(self.socket.exists, 10, "cupsd", self._process, self.log)
        env = {**os.environ, **self.env}
        result = subprocess.run(["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P",
                                 str(self.ppd)], env=env, capture_output=True, text=True,
                                timeout=30, check=False)
        if result.returncode != 0:
            raise ServiceUnavailable(f"lpadmin could not add {QUEUE}: {result.stderr.strip()}")
        queue = CupsQueue(QUEUE)
        queue.output_dir = cups_pdf_output_dir()
        queue.server = self
        return queue

    def stop(self) -> None:
        """Stop cupsd by its PID."""
        stop(self._process)
        self._process = None
        shutil.rmtree(self.workdir, ignore_errors=True)


def cups_pdf_output_dir(user: str | None = None) -> Path:
    """Where cups-pdf writes the jobs of ``user`` (default: the current user)."""
    name = user or pwd.getpwuid(os.geteuid()).pw_name
    home = pwd.getpwnam(name).pw_dir
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    return Path(out.replace("${HOME}", home).replace("${USER}", name))
