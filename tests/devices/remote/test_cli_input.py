"""``kiosk remote``: bad input and a database that cannot carry a call get a message, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main


@pytest.mark.parametrize(("arguments", "message"), [
    (["--loss", "1.5"], "not a share below 1"),
    (["--seconds", "0"], "not a positive number"),
    (["--size", "10x10"], "not WIDTHxHEIGHT"),
    (["--delay-ms", "soon"], "not a number"),
])
def test_cli_loopback__bad_input__a_message_not_a_traceback(
        arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["remote", "loopback", *arguments])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_call__not_on_postgres__a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
           "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "remote", "call", "--call-id", "x",
                             "--seconds", "1"], env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 2
    assert "needs the shared PostgreSQL database" in result.stderr
    assert "Traceback" not in result.stderr


def test_call__capture_device_missing__a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_DATABASE_URL": "postgresql+psycopg://kiosk@127.0.0.1:1/kiosk",
           "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "remote", "call", "--call-id", "x",
                             "--document-camera", "/dev/video97"], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "/dev/video97 does not exist" in result.stderr
    assert "Traceback" not in result.stderr
