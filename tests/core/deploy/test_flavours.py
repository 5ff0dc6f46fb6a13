"""Build flavours (full / tablet): written by the build, kept in the manifest, shown at run time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.deploy.provenance import (
    FLAVOUR_FILE,
    MANIFEST_NAME,
    about_info,
    build_flavour,
    marker_flavour,
    probe_build,
    read_manifest,
    write_manifest,
)
from kiosk.doctor import Status

BUILT = datetime(2026, 11, 24, 9, tzinfo=UTC)


def _bundle(root: Path, flavour: str | None) -> Path:
    """A folder shaped like a PyInstaller one-folder build, with its flavour marker."""
    (root / "_internal").mkdir(parents=True)
    (root / "kiosk").write_text("binary", encoding="utf-8")
    if flavour is not None:
        (root / "_internal" / FLAVOUR_FILE).write_text(f"{flavour}\n", encoding="utf-8")
    return root


def test_write_manifest__tablet_marker__flavour_recorded_for_fleet_scripts(tmp_path):
    build = _bundle(tmp_path / "kiosk-tablet", "tablet")

    write_manifest(build, "1.2.0", "abc123", BUILT)

    assert json.loads((build / MANIFEST_NAME).read_text(encoding="utf-8"))["flavour"] == "tablet"
    assert read_manifest(build).flavour == "tablet"


def test_write_manifest__explicit_flavour__wins_over_the_marker(tmp_path):
    build = _bundle(tmp_path / "b", "tablet")

    assert write_manifest(build, "1.2.0", "abc123", BUILT, flavour="full").flavour == "full"


@pytest.mark.parametrize(("marker", "expected"), [
    (None, "full"),          # builds from before flavours were all full builds
    ("tablet", "tablet"),
    ("full", "full"),
    ("tiny", "full"),        # an unknown word is not trusted
])
def test_marker_flavour__marker_present_absent_or_unknown__its_flavour_or_full(
        tmp_path, marker, expected):
    assert marker_flavour(_bundle(tmp_path / "b", marker)) == expected


def test_read_manifest__manifest_without_flavour__full(tmp_path):
    build = _bundle(tmp_path / "b", None)
    write_manifest(build, "1.0.0", "abc", BUILT)
    data = json.loads((build / MANIFEST_NAME).read_text(encoding="utf-8"))
    del data["flavour"]
    (build / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")

    assert read_manifest(build).flavour == "full"


def test_probe_build__tablet_build__doctor_names_the_flavour(tmp_path):
    build = _bundle(tmp_path / "b", "tablet")
    write_manifest(build, "1.2.0", "abc123", BUILT)

    [check] = probe_build(build)

    assert check.status is Status.OK
    assert "tablet build" in check.detail


def test_build_flavour__damaged_manifest__still_read_from_the_marker(tmp_path):
    build = _bundle(tmp_path / "b", "tablet")
    (build / MANIFEST_NAME).write_text("{not json", encoding="utf-8")

    assert build_flavour(build) == "tablet"


def test_build_flavour__source_checkout__empty():
    assert build_flavour() == ""


def test_about_info__tablet_bundle__staff_menu_gets_the_flavour(tmp_path):
    build = _bundle(tmp_path / "b", "tablet")
    write_manifest(build, "1.2.0", "abc123", BUILT)

    assert about_info(None, root=build).flavour == "tablet"


def test_about_info__checkout__no_flavour(tmp_path):
    assert about_info(None, repository=tmp_path).flavour == ""
