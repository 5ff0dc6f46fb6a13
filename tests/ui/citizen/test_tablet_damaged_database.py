"""``kiosk tablet`` on a damaged embedded database: the file and what to do, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys


def test_kiosk_tablet__database_file_is_not_sqlite__names_file_exit_2_no_traceback(tmp_path):
    database = tmp_path / "kiosk.sqlite3"
    database.write_bytes(bytes(range(256)) * 20)
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_DATABASE_URL": f"sqlite:///{database}"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "tablet", "--quit-after", "20"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{database} is damaged or is not a kiosk database" in result.stderr
    assert "backup" in result.stderr
