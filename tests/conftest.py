"""Session-wide fixtures: the real services (pcscd + vpcd, PostgreSQL, CUPS, Xvfb).

Each service starts on first use and stops by PID when the session ends. Under ``CI=true`` a
service that cannot start fails the tests that need it; elsewhere they are skipped, and the
run ends with a loud list of what was skipped and why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from harness import ServiceUnavailable, in_ci

T = TypeVar("T")

_skipped_services: dict[str, str] = {}
_started_services: list[str] = []


def _require(name: str, start: Callable[[], T]) -> T:
    try:
        service = start()
        _started_services.append(name)
        return service
    except ServiceUnavailable as exc:
        if in_ci():
            pytest.fail(f"{name} is required under CI=true but could not start: {exc}",
                        pytrace=False)
        _skipped_services[name] = str(exc)
        pytest.skip(f"{name} unavailable: {exc}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which real services ran, and loudly which were missing and skipped."""
    if _started_services:
        terminalreporter.write_line(f"real services started: {', '.join(_started_services)}")
    if not _skipped_services:
        return
    terminalreporter.section("SERVICES NOT AVAILABLE: their tests were SKIPPED", sep="!")
    for name, reason in _skipped_services.items():
        terminalreporter.write_line(f"  {name}: {reason}")
    terminalreporter.write_line("  Run `make test` as root (or with sudo) to install and start them.")


@pytest.fixture(scope="session", autouse=True)
def _private_config_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's configuration folder of the tests (the default key folder): not the real one."""
    previous = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config-home"))
    yield
    if previous is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = previous


@pytest.fixture(scope="session")
def services_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private directory for the services' configuration, data and logs."""
    return tmp_path_factory.mktemp("services")


# --------------------------------------------------------------------------- pcscd + vpcd
@pytest.fixture(scope="session")
def pcscd(services_dir: Path) -> Iterator[object]:
    """A running pcscd with the vpcd readers ``Virtual PCD 00 00`` and ``Virtual PCD 00 01``."""
    from harness.pcsc import PcscService

    def start() -> PcscService:
        service = PcscService(services_dir / "pcscd")
        service.start()
        return service

    service = _require("pcscd+vpcd", start)
    yield service
    service.stop()


# --------------------------------------------------------------------------- PostgreSQL
@pytest.fixture(scope="session")
def postgres_server(services_dir: Path) -> Iterator[object]:
    """The PostgreSQL server of the session: KIOSK_TEST_DATABASE_URL, or a throwaway cluster."""
    from harness.postgres import external_server, start_cluster

    url = os.environ.get("KIOSK_TEST_DATABASE_URL")

    def start() -> object:
        if url:
            return external_server(url)
        return start_cluster()

    server = _require("PostgreSQL", start)
    yield server
    server.drop_databases()  # type: ignore[attr-defined]
    if server.owned:  # type: ignore[attr-defined]
        server.remove()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def postgres_url(postgres_server: object) -> str:
    """URL of a fresh empty database shared by the session."""
    name = postgres_server.create_database()  # type: ignore[attr-defined]
    return str(postgres_server.url(name))  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database for one test: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    server = request.getfixturevalue("postgres_server")
    return str(server.url(server.create_database()))


# --------------------------------------------------------------------------- CUPS
@pytest.fixture(scope="session")
def cups_queue(services_dir: Path) -> Iterator[object]:
    """The ``KioskPDF`` cups-pdf queue on a private cupsd; CUPS_SERVER points at it."""
    from harness.cups import CupsService

    holder: dict[str, CupsService] = {}

    def start() -> object:
        holder["service"] = CupsService(services_dir / "cups")
        return holder["service"].start()

    queue = _require("CUPS", start)
    previous = os.environ.get("CUPS_SERVER")
    os.environ["CUPS_SERVER"] = holder["service"].env["CUPS_SERVER"]
    yield queue
    if previous is None:
        os.environ.pop("CUPS_SERVER", None)
    else:
        os.environ["CUPS_SERVER"] = previous
    holder["service"].stop()


# --------------------------------------------------------------------------- Xvfb
@pytest.fixture(scope="session")
def xvfb_display(services_dir: Path) -> Iterator[str]:
    """DISPLAY of a running Xvfb (1920x1080, 24 bit)."""
    from harness.xvfb import XvfbService

    holder: dict[str, XvfbService] = {}

    def start() -> str:
        holder["service"] = XvfbService(services_dir)
        return holder["service"].start()

    display = _require("Xvfb", start)
    yield display
    holder["service"].stop()


# --------------------------------------------------------------------------- chromium
@pytest.fixture(scope="session")
def chromium(services_dir: Path) -> Iterator[object]:
    """A headless chromium (Selenium driver) at phone size, fresh profile."""
    from harness.chromium import ChromiumService

    def start() -> ChromiumService:
        service = ChromiumService(services_dir / "chromium")
        service.start()
        return service

    service = _require("chromium", start)
    yield service.driver
    service.stop()


@pytest.fixture
def demo_services(tmp_path: Path) -> Iterator[object]:
    """The demo's services (simulated devices) on a fresh SQLite under ``tmp_path``."""
    from kiosk.app import build_services
    from kiosk.config import load_config

    services = build_services(load_config(None, environ={
        "KIOSK_DEVICE_DATA_DIR": str(tmp_path)}), demo=True)
    yield services
    services.close()
