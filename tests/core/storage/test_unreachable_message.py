"""An unreachable database is named (URL without password) with what IT should check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.storage.engine import DatabaseUnavailableError, make_engine, transaction

# Port 1 on the loopback: refused at once, no server needed.
_REFUSED = "postgresql+psycopg://kiosk:s3cret-pw@127.0.0.1:1/kiosk"


def test_transaction__server_refuses__error_names_url_without_password_and_what_to_check():
    engine = make_engine(_REFUSED)

    with pytest.raises(DatabaseUnavailableError) as raised, transaction(engine):
        pass
    engine.dispose()

    message = raised.value.english()
    assert "postgresql+psycopg://kiosk:***@127.0.0.1:1/kiosk" in message
    assert "s3cret-pw" not in message
    assert "Connection refused" in message
    assert "Check that the server is running" in message


def test_make_engine__sqlite_folder_cannot_be_made__error_names_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")

    with pytest.raises(DatabaseUnavailableError) as raised:
        make_engine(f"sqlite:///{blocker / 'sub' / 'kiosk.sqlite3'}")

    assert str(blocker / "sub" / "kiosk.sqlite3") in raised.value.english()


@pytest.mark.parametrize("command", [["db", "status"], ["db", "upgrade"], ["staff", "list"]])
def test_kiosk_command__unreachable_database__url_and_fix_exit_2(tmp_path, command):
    env = {**os.environ, "KIOSK_DATABASE_URL": _REFUSED, "KIOSK_DEVICE_DATA_DIR": str(tmp_path)}

    result = subprocess.run([sys.executable, "-m", "kiosk", *command], capture_output=True,
                            text=True, env=env, timeout=120, check=False)

    assert result.returncode == 2, result.stderr
    assert "127.0.0.1:1/kiosk" in result.stderr
    assert "s3cret-pw" not in result.stderr
    assert "Traceback" not in result.stderr
