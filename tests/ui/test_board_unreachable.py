"""``kiosk board`` on an unreachable database says where it looked and what to check."""

from __future__ import annotations

import os
import subprocess
import sys


def test_kiosk_board__unreachable_database__prints_url_without_password_and_fix(tmp_path):
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_DATABASE_URL": "postgresql+psycopg://kiosk:s3cret-pw@127.0.0.1:1/kiosk"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "board", "--windowed"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)

    assert result.returncode == 2, result.stderr
    assert "postgresql+psycopg://kiosk:***@127.0.0.1:1/kiosk" in result.stderr
    assert "s3cret-pw" not in result.stderr
    assert "Check that the server is running" in result.stderr
