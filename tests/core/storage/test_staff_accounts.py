"""Staff accounts: salted scrypt hashes, roles, disabling, and the `kiosk staff` command."""

from __future__ import annotations

import io
import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from kiosk.cli import main
from kiosk.domain.staff import Role, hash_password, verify_password
from kiosk.ports import SystemClock
from kiosk.services.staff import StaffService, WeakPasswordError, WrongLoginError
from kiosk.storage.database import open_storage
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


ADMIN_PASSWORD = "correct horse battery"


def _staff(monkeypatch, args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["staff", *args])


@pytest.fixture
def cli_database(database_url, tmp_path, monkeypatch):
    """An upgraded database with the first admin, added by the bootstrap without a login."""
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "upgrade"]) == 0
    assert _staff(monkeypatch, ["add", "suzuki", "--name", "鈴木", "--role", "admin", "--stdin"],
                  f"{ADMIN_PASSWORD}\n") == 0
    return tmp_path / "data" / "audit"


def test_cli_staff__admin_logged_in__add_list_disable_unlock_round_trip(cli_database,
                                                                         monkeypatch, capsys):
    admin = f"suzuki\n{ADMIN_PASSWORD}\n"

    assert _staff(monkeypatch, ["add", "tanaka", "--name", "田中", "--stdin"],
                  admin + "tanaka's long password\n") == 0
    assert _staff(monkeypatch, ["disable", "tanaka", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["enable", "tanaka", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["unlock", "tanaka", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["list", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["disable", "nobody", "--stdin"], admin) == 2

    out = capsys.readouterr().out
    assert "suzuki               admin      active" in out
    assert "tanaka               clerk      active" in out
    assert "correct horse" not in out
    log = "".join(path.read_text(encoding="utf-8")
                  for path in sorted(cli_database.glob("*.cli/*.jsonl")))
    for kind in ("staff.changed", "staff.login", "staff.unlocked"):
        assert f'"kind":"{kind}"' in log
    assert log.count('"change":"') == 4          # added twice, disabled, enabled
    for typed in ("suzuki", "tanaka", "correct horse", "long password"):
        assert typed not in log


@pytest.mark.parametrize(("args", "stdin", "message"), [
    # No terminal to ask on, and no --stdin: nothing to log in with.
    (["add", "eve", "--name", "x", "--role", "admin"], "", "no terminal"),
    # An old script that pipes only the new password.
    (["add", "eve", "--name", "x", "--role", "admin", "--stdin"], "eve's long password\n",
     "Standard input ended early"),
    (["add", "eve", "--name", "x", "--stdin"], f"suzuki\nwrong password!!\n{ADMIN_PASSWORD}\n",
     "The staff ID or the password is not correct."),
    (["add", "eve", "--name", "x", "--stdin"], f"eve\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
     "The staff ID or the password is not correct."),
    (["disable", "suzuki", "--stdin"], "\n\n", "changed by an admin"),
    (["password", "suzuki", "--stdin"], f"clerk9\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
     "Only an admin can change staff accounts."),
])
def test_cli_staff__without_an_admin_login__refused_with_exit_2(
        cli_database, database_url, monkeypatch, capsys, args, stdin, message):
    admin = f"suzuki\n{ADMIN_PASSWORD}\n"
    assert _staff(monkeypatch, ["add", "clerk9", "--name", "x", "--stdin"],
                  admin + f"{ADMIN_PASSWORD}\n") == 0
    capsys.readouterr()

    assert _staff(monkeypatch, args, stdin) == 2

    assert message in capsys.readouterr().err
    storage = open_storage(database_url, SystemClock())
    try:
        accounts = {(m.login, m.role.value, m.active) for m in storage.staff.list()}
    finally:
        storage.close()
    assert accounts == {("suzuki", "admin", True), ("clerk9", "clerk", True)}


@pytest.mark.parametrize("args", [["add", "sato", "--name", "佐藤", "--stdin"],
                                  ["list", "--stdin"], ["unlock", "sato", "--stdin"]])
def test_cli_staff__no_account_yet_and_not_adding_an_admin__refused_naming_the_first_step(
        database_url, monkeypatch, capsys, args):
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 0

    assert _staff(monkeypatch, args, f"sato\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n") == 2

    assert "add the first admin first" in capsys.readouterr().err


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


@pytest.mark.postgres
def test_cli_staff__device_database_user_without_staff_rights__refused_but_logins_count(
        postgres_server, monkeypatch, capsys):
    """The README's alternative: the devices' database user may not change staff rows, except
    the failed-login columns; staff administration then needs IT's own database user."""
    owner_url = postgres_server.url(postgres_server.create_database())
    storage = open_storage(owner_url, SystemClock(), auto_upgrade=True)
    StaffService(storage.staff).add("suzuki", "鈴木", Role.ADMIN, ADMIN_PASSWORD)
    storage.close()
    role = f"kiosk_device_{uuid.uuid4().hex[:8]}"
    owner = psycopg.connect(owner_url.replace("postgresql+psycopg", "postgresql"),
                            autocommit=True)
    for statement in (f"CREATE ROLE {role} LOGIN PASSWORD 'device-pass'",
                      f"GRANT SELECT ON alembic_version, staff TO {role}",
                      f"GRANT UPDATE (failed_logins, last_failed_at, locked_at) ON staff TO {role}"):
        owner.execute(statement)
    url = make_url(owner_url).set(username=role, password="device-pass")
    device_url = url.render_as_string(hide_password=False)
    try:
        monkeypatch.setenv("KIOSK_DATABASE_URL", device_url)
        assert _staff(monkeypatch, ["add", "eve", "--name", "x", "--stdin"],
                      f"suzuki\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n") == 2
        assert "does not let this database user change staff accounts" in capsys.readouterr().err

        device = open_storage(device_url, SystemClock())
        try:
            with pytest.raises(WrongLoginError):
                StaffService(device.staff).log_in("suzuki", "a wrong guess")
            assert device.staff.credentials("suzuki")[2].failures == 1
            assert [m.login for m in device.staff.list()] == ["suzuki"]
        finally:
            device.close()
    finally:
        owner.execute(f"DROP OWNED BY {role}")
        owner.execute(f"DROP ROLE {role}")
        owner.close()
