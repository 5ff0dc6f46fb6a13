"""A remote call between two processes on loopback, the offer and the answer through the sealed
PostgreSQL relay, as between a branch's clerk PC and the specialist's desk (issue 22).

Generated video (a moving pattern with its frame counter stamped in) and tones both ways; the
branch switches to the document camera mid-call; hanging up at the branch ends the call at the
main office; nothing of the call lands on disk or in the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from kiosk.storage.sealing import generate_key_text

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_call__two_processes_over_postgres__media_both_ways_document_camera_clean_end(
        postgres_server: object, tmp_path: Path) -> None:
    url = str(postgres_server.url(postgres_server.create_database()))  # type: ignore[attr-defined]
    for name in ("data", "home", "work", "config"):
        (tmp_path / name).mkdir()
    env = {**os.environ, "KIOSK_DATABASE_URL": url, "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(),
           "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TMPDIR": str(tmp_path / "work")}
    call = ["--call-id", uuid.uuid4().hex, "--json"]
    command = [sys.executable, "-m", "kiosk", "remote", "call", *call]
    office = subprocess.Popen([*command, "--answer", "--seconds", "60"], cwd=tmp_path / "work",
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        branch = subprocess.run([*command, "--seconds", "8", "--switch-at", "4"], cwd=tmp_path / "work",
                                env=env, capture_output=True, text=True, timeout=120, check=False)
        office_out, office_err = office.communicate(timeout=60)   # the branch's goodbye ends it
    finally:
        office.kill()
    assert branch.returncode == 0, branch.stderr
    assert office.returncode == 0, office_err
    at_branch, at_office = json.loads(branch.stdout), json.loads(office_out)

    assert at_branch["state"] == at_office["state"] == "ended"
    for here, there in ((at_branch, at_office), (at_office, at_branch)):
        assert here["frames_sent"] > 30
        assert here["received"]["frames_received"] > 30
        assert here["received"]["audio_packets_received"] > 100
        assert here["received"]["latency_ms"]["p50"] is not None   # stamps read back
        assert here["received"]["audio_latency_ms"]["bursts"] >= 3
        assert there["received"]["frames_received"] <= here["frames_sent"]
    # The branch switched to its document camera: the main office saw both, in that order.
    assert set(at_office["received"]["sources_received"]) == {"camera", "document"}
    assert set(at_branch["received"]["sources_received"]) == {"camera"}

    assert _files(tmp_path) == []
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        tables = connection.execute("SELECT count(*) FROM information_schema.tables "
                                    "WHERE table_schema = 'public'").fetchone()
    assert tables == (0,)
