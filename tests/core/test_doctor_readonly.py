"""``kiosk doctor`` checks and reports; it never creates or changes what it checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_kiosk_doctor__sqlite_url_in_missing_folder__fails_and_creates_nothing(tmp_path):
    missing = tmp_path / "nonexistent" / "dir" / "kiosk.sqlite3"
    data_dir = tmp_path / "data"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "KIOSK_DEVICE_DATA_DIR": str(data_dir),
           "KIOSK_DATABASE_URL": f"sqlite:///{missing}", "QT_QPA_PLATFORM": "offscreen"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)

    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["database.reachable"]["status"] == "fail"
    assert str(missing) in checks["database.reachable"]["detail"]
    assert checks["database.schema"]["status"] != "ok"
    assert result.returncode == 1
    assert not (tmp_path / "nonexistent").exists()
    assert not data_dir.exists()          # nor the printer's folder in it
