"""The tablet, the clerk desktop and the board never call out (issue 14 §2).

Each runs for 20 s under ``strace -f`` on the shared PostgreSQL, as a counter runs them. Every
``connect``, ``sendto`` and ``sendmsg`` with an address is checked: local sockets (AF_UNIX,
which pcscd, CUPS on its socket, PulseAudio and D-Bus use; the kernel's AF_NETLINK) pass, and an
internet address passes only when it is the configured database or CUPS server. Anything else,
a DNS query (port 53) first of all, fails the test and is named. onnxruntime, pulled in by
pyopenjtalk-plus, used to look up mobile.events.data.microsoft.com from here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from harness import in_ci

from kiosk.storage.sealing import generate_key_text

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.gui]

RUN_SECONDS = 20
_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<call>connect|sendto|sendmsg)\((?P<args>.*)$")
_FAMILY = re.compile(r"sa_family=(AF_\w+)")
_INET = re.compile(r'sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(r'sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"')
_LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}


def outbound_calls(trace: str, allowed: set[tuple[str, int]]) -> list[str]:
    """The traced calls that reach an address other than a local socket or ``allowed``."""
    found = []
    for line in trace.splitlines():
        match = _CALL.match(line)
        if match is None:
            continue
        family = _FAMILY.search(match["args"])
        if family is None or family[1] in _LOCAL_FAMILIES:
            continue                          # no address (a connected socket), or local
        address = _INET.search(match["args"]) or _INET6.search(match["args"])
        if address is not None and (address[2], int(address[1])) in allowed:
            continue
        found.append(f"{match['call']} {family[1]} "
                     f"{address[2] + ':' + address[1] if address else match['args'][:120]}")
    return found


@pytest.mark.parametrize(("trace", "expected"), [
    ('7 connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
     ["connect AF_INET 10.0.0.53:53"]),
    ('7 sendto(9, "\\1\\2", 50, 0, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo='
     'htonl(0), inet_pton(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = 50',
     ["sendto AF_INET6 2603:1030::1:443"]),
    ('7 connect(5, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}, 16)'
     ' = -1 EINPROGRESS', []),
    ('7 connect(3, {sa_family=AF_UNIX, sun_path="/run/pcscd/pcscd.comm"}, 110) = 0', []),
    ('7 sendto(8, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1', []),
], ids=["dns", "https-v6", "database", "pcscd", "connected"])
def test_outbound_calls__strace_lines__only_unexpected_addresses_named(trace, expected):
    assert outbound_calls(trace, {("127.0.0.1", 5432)}) == expected


@pytest.fixture(scope="module")
def strace() -> str:
    path = shutil.which("strace")
    if path is None:
        if in_ci():
            pytest.fail("strace is required under CI=true (scripts/sysdeps.sh test installs it)")
        pytest.skip("strace is not installed")
    return path


def _allowed(database_url: str) -> set[tuple[str, int]]:
    url = urlsplit(database_url.replace("postgresql+psycopg", "postgresql"))
    allowed = {(url.hostname or "127.0.0.1", url.port or 5432)}
    cups = os.environ.get("CUPS_SERVER", "")
    if cups and not cups.startswith("/"):
        host, _, port = cups.partition(":")
        allowed.add((host, int(port or 631)))
    return allowed


@pytest.fixture(scope="module")
def counter_config(postgres_server, tmp_path_factory) -> Path:
    """A counter's configuration on a fresh, upgraded PostgreSQL database."""
    folder = tmp_path_factory.mktemp("counter")
    url = postgres_server.url(postgres_server.create_database())
    config = folder / "kiosk.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\nanswers_key = "{generate_key_text()}"\n'
        '[speech]\nkind = "file"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "db",
                             "upgrade"], env=_env(folder), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return config


def _env(folder: Path, role: str = "tablet") -> dict[str, str]:
    environ = {name: value for name, value in os.environ.items()
               if name != "ORT_DISABLE_TELEMETRY"}        # the kiosk must set it itself
    return {**environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_CACHE_HOME": str(folder / "cache"), "QT_QPA_PLATFORM": "offscreen",
            "KIOSK_DEVICE_ROLE": role, "KIOSK_DEVICE_ID": f"{role}-01",
            "KIOSK_DEVICE_DATA_DIR": str(folder / role)}


@pytest.mark.parametrize("command", [
    ["tablet", "--quit-after", str(RUN_SECONDS)],
    ["clerk", "--quit-after", str(RUN_SECONDS)],
    ["board", "--windowed", "--quit-after", str(RUN_SECONDS)],
], ids=["tablet", "clerk", "board"])
def test_device__runs_20s_on_shared_database__no_dns_and_no_connection_but_database(
        strace, counter_config, tmp_path, command):
    trace = tmp_path / "strace.txt"
    database_url = re.search(r'url = "([^"]+)"', counter_config.read_text(encoding="utf-8"))[1]

    result = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace), "--",
         sys.executable, "-m", "kiosk", "--config", str(counter_config), *command],
        env=_env(tmp_path, command[0]), capture_output=True, text=True,
        timeout=RUN_SECONDS + 120, check=False)

    assert result.returncode == 0, result.stderr[-2000:]
    calls = trace.read_text(encoding="utf-8", errors="replace")
    assert "connect(" in calls, "strace saw no connect at all: the database was not reached?"
    assert outbound_calls(calls, _allowed(database_url)) == []
