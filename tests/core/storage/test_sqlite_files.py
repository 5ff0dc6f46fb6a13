"""The embedded SQLite file: the doctor only reads it, and a damaged one is named, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.doctor import Status
from kiosk.storage.engine import make_engine, probe_database, transaction
from kiosk.storage.migrate import check_schema, probe_schema, upgrade
from kiosk.storage.sqlite_files import DamagedDatabaseError


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _kiosk_database(path: Path) -> Path:
    engine = make_engine(_url(path))
    upgrade(engine)
    engine.dispose()
    return path


def _garbage(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 20)
    return path


def _truncated(path: Path) -> Path:
    _kiosk_database(path)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)
    return path


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("probe", [probe_database, probe_schema])
def test_doctor_probe__sqlite_in_missing_folder__not_ok_and_creates_nothing(tmp_path, probe):
    path = tmp_path / "nonexistent" / "dir" / "kiosk.sqlite3"

    (check,) = probe(_url(path))

    assert check.status is not Status.OK
    assert str(path) in check.detail
    assert not (tmp_path / "nonexistent").exists()


def test_probe_database__sqlite_in_missing_folder__fails_naming_the_folder(tmp_path):
    (check,) = probe_database(_url(tmp_path / "nope" / "kiosk.sqlite3"))

    assert check.status is Status.FAIL
    assert "the folder" in check.detail
    assert "[database] url" in check.fix


def test_probe_database__missing_file_in_existing_folder__warns_and_creates_nothing(tmp_path):
    (check,) = probe_database(_url(tmp_path / "kiosk.sqlite3"))

    assert check.status is Status.WARN
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("probe", [probe_database, probe_schema])
def test_doctor_probe__existing_database__ok_and_changes_no_file(tmp_path, probe):
    path = _kiosk_database(tmp_path / "kiosk.sqlite3")
    before = _snapshot(tmp_path)

    (check,) = probe(_url(path))

    assert check.status is Status.OK, check
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("damage", [_garbage, _truncated])
def test_probe_database__damaged_file__fails_naming_file_and_backup(tmp_path, damage):
    path = damage(tmp_path / "kiosk.sqlite3")

    (check,) = probe_database(_url(path))

    assert check.status is Status.FAIL
    assert str(path) in check.detail
    assert "backup" in check.detail


def _read_schema_and_applications(engine: Engine) -> None:
    check_schema(engine)
    with transaction(engine) as connection:
        connection.exec_driver_sql("SELECT count(*) FROM applications").all()


@pytest.mark.parametrize("damage", [_garbage, _truncated])
def test_transaction__damaged_file__raises_damaged_database_error_naming_file(tmp_path, damage):
    path = damage(tmp_path / "kiosk.sqlite3")
    engine = make_engine(_url(path))

    with pytest.raises(DamagedDatabaseError) as raised:
        _read_schema_and_applications(engine)
    engine.dispose()

    assert str(path) in raised.value.english()


@pytest.mark.parametrize("damage", [_garbage, _truncated])
@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "purge"], ["db", "status"]])
def test_kiosk_db__damaged_sqlite_file__message_and_exit_2_without_traceback(tmp_path, damage,
                                                                            command):
    path = damage(tmp_path / "kiosk.sqlite3")
    env = {**os.environ, "KIOSK_DATABASE_URL": _url(path), "KIOSK_DEVICE_DATA_DIR": str(tmp_path)}

    result = subprocess.run([sys.executable, "-m", "kiosk", *command], capture_output=True,
                            text=True, env=env, timeout=120, check=False)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert "backup" in result.stderr
