"""Doctor checks of a deployed device: build files as built, clock against the database server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.deploy.provenance import file_checksum, probe_build, write_manifest
from kiosk.doctor import Status
from kiosk.storage.engine import probe_clock


def test_probe_build__untouched_bundle__is_ok(tmp_path):
    (tmp_path / "kiosk").write_text("binary", encoding="utf-8")
    write_manifest(tmp_path, "1.0.0", "0123456789abcdef", datetime(2026, 1, 1, tzinfo=UTC))

    [check] = probe_build(tmp_path)

    assert check.status is Status.OK
    assert "1.0.0" in check.detail


@pytest.mark.parametrize("case", ["changed file", "no manifest"])
def test_probe_build__damaged_bundle__fails_with_a_fix(tmp_path, case):
    (tmp_path / "kiosk").write_text("binary", encoding="utf-8")
    write_manifest(tmp_path, "1.0.0", "0123", datetime(2026, 1, 1, tzinfo=UTC))
    if case == "changed file":
        (tmp_path / "kiosk").write_text("patched", encoding="utf-8")
    else:
        (tmp_path / "kiosk-build.json").unlink()

    [check] = probe_build(tmp_path)

    assert check.status is Status.FAIL
    assert check.fix


def test_probe_build__source_checkout__has_nothing_to_verify():
    [check] = probe_build()

    assert check.status is Status.OK
    assert "source checkout" in check.detail


def test_file_checksum__config_file__changes_with_content(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[ui]\n", encoding="utf-8")
    first = file_checksum(path)
    path.write_text("[ui]\nidle_timeout_s = 60\n", encoding="utf-8")

    assert first != file_checksum(path)
    assert file_checksum(None) == "-"


@pytest.mark.postgres
@pytest.mark.parametrize(("offset_s", "status"), [(0, Status.OK), (120, Status.FAIL)])
def test_probe_clock__device_clock_offset__judged_against_server(postgres_url, offset_s, status):
    def local_now() -> datetime:
        return datetime.now(UTC) + timedelta(seconds=offset_s)

    [check] = probe_clock(postgres_url, local_now)

    assert check.status is status
