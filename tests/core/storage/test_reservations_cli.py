"""``kiosk reservations``: a supervisor sets a service's places per slot; show prints counts."""

from __future__ import annotations

import io

import pytest

from kiosk.cli import main
from kiosk.ports import SystemClock
from kiosk.storage.database import open_storage
from kiosk.storage.reservation_store import ReservationStore

PASSWORD = "correct horse battery 42"


def _cli(monkeypatch, args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(args)


@pytest.fixture
def database(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_WEB_RESERVE_DAYS", "1234567")
    storage = open_storage(database_url, SystemClock(), auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票", default_service_seconds=300)
    storage.close()
    assert _cli(monkeypatch, ["staff", "add", "boss", "--name", "長", "--role", "admin",
                              "--stdin"], f"{PASSWORD}\n") == 0
    return database_url


def test_cli_reservations__supervisor_sets_places__stored_and_shown(database, monkeypatch,
                                                                     capsys):
    assert _cli(monkeypatch, ["reservations", "capacity", "A", "3", "--stdin"],
                f"boss\n{PASSWORD}\n") == 0
    assert _cli(monkeypatch, ["reservations", "show"]) == 0
    shown = capsys.readouterr().out
    storage = open_storage(database, SystemClock())
    stored = ReservationStore(storage.engine, SystemClock()).capacities()
    storage.close()

    assert stored == {"A": 3}
    assert "A: 3 per slot" in shown
    assert "places left" in shown


@pytest.mark.parametrize(("args", "stdin"), [
    (["A", "3", "--stdin"], "boss\nwrong password!!\n"),     # not logged in
    (["Z", "3", "--stdin"], f"boss\n{PASSWORD}\n"),           # no such service
    (["A", "-1", "--stdin"], f"boss\n{PASSWORD}\n"),          # not a number of places
])
def test_cli_reservations__bad_login_or_input__refused_with_exit_2(database, monkeypatch,
                                                                   capsys, args, stdin):
    assert _cli(monkeypatch, ["reservations", "capacity", *args], stdin) == 2
    assert "Traceback" not in capsys.readouterr().err
