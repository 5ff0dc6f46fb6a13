"""Staff accounts: salted scrypt hashes, roles, disabling, and the `kiosk staff` command."""

from __future__ import annotations

import io

import pytest

from kiosk.cli import main
from kiosk.domain.staff import Role, hash_password, verify_password
from kiosk.services.staff import StaffService, WeakPasswordError
from kiosk.storage.staff_store import StaffExistsError, StaffNotFoundError

FAST = {"n": 2**10}   # the real cost (2**14) in one test only; these check the logic


@pytest.mark.parametrize(("stored", "password", "expected"), [
    ("right", "correct horse", True),
    ("right", "correct horsE", False),
    ("garbage", "correct horse", False),
    ("other-scheme", "correct horse", False),
])
def test_verify_password__stored_hash__matches_only_the_password(stored, password, expected):
    hashes = {"right": hash_password("correct horse", **FAST), "garbage": "scrypt$1$2",
              "other-scheme": "md5$1$1$1$AAAA$AAAA"}

    assert verify_password(password, hashes[stored]) is expected


def test_hash_password__same_password__salted_differently_and_slow_by_default():
    first, second = hash_password("correct horse"), hash_password("correct horse")

    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert "correct horse" not in first


def test_staff__add_list_disable__disabled_cannot_log_in(storage, clock):
    staff = StaffService(storage.staff)
    staff.add("sato", "佐藤 一郎", Role.SUPERVISOR, "correct horse battery")

    assert staff.authenticate("sato", "correct horse battery").role is Role.SUPERVISOR
    assert staff.authenticate("sato", "wrong password!") is None
    clock.advance(minutes=1)                      # past the delay after a failure
    assert staff.authenticate("nobody", "correct horse battery") is None
    clock.advance(minutes=1)
    staff.disable("sato")
    assert staff.authenticate("sato", "correct horse battery") is None
    assert [(m.login, m.active) for m in staff.list()] == [("sato", False)]


@pytest.mark.parametrize(("login", "password", "error"), [
    ("sato", "short", WeakPasswordError),
    ("taken", "long enough password", StaffExistsError),
])
def test_staff_add__bad_input__refused(storage, login, password, error):
    staff = StaffService(storage.staff)
    staff.add("taken", "x", Role.CLERK, "long enough password")

    with pytest.raises(error):
        staff.add(login, "x", Role.CLERK, password)


def test_staff_disable__unknown_login__refused(storage):
    with pytest.raises(StaffNotFoundError):
        StaffService(storage.staff).disable("nobody")


def test_cli_staff__add_list_disable__round_trip(database_url, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))

    assert main(["db", "upgrade"]) == 0
    assert main(["staff", "add", "suzuki", "--name", "鈴木", "--role", "admin",
                 "--password-stdin"]) == 0
    assert main(["staff", "disable", "suzuki"]) == 0
    assert main(["staff", "list"]) == 0
    assert main(["staff", "disable", "nobody"]) == 2

    out = capsys.readouterr().out
    assert "suzuki" in out
    assert "admin" in out
    assert "disabled" in out
    assert "correct horse" not in out


def test_cli_db__status_and_purge__report_and_exit_codes(database_url, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)

    assert main(["db", "status"]) == 1
    assert main(["db", "purge"]) == 2          # refuses an old schema, names the fix
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "status"]) == 0
    assert main(["db", "purge", "--hours", "1"]) == 0

    captured = capsys.readouterr()
    assert "kiosk db upgrade" in captured.err
    assert "purged the answers of 0 application(s)" in captured.out
