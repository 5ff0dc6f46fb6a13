"""``kiosk db purge --hours``: zero or negative would delete every finished answer at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _kiosk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "db", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("hours", ["0", "-1", "-72"])
def test_db_purge__hours_not_positive__refused_exit_2_before_touching_the_database(tmp_path,
                                                                                  hours):
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path)}
    assert _kiosk(env, "upgrade").returncode == 0

    result = _kiosk(env, "purge", "--hours", hours)

    assert result.returncode == 2
    assert f"{hours}: must be more than 0 hours" in result.stderr
    assert "purged" not in result.stdout
