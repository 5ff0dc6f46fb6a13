"""Side-by-side installs with a current pointer: install, switch, roll back, refuse damage."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.deploy.installs import InstallError, Installs
from kiosk.deploy.provenance import MANIFEST_NAME, read_manifest, verify_manifest, write_manifest

BUILT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_build(tmp_path: Path, version: str, marker: str = "") -> Path:
    build = tmp_path / f"build-{version.replace('/', '_')}"
    (build / "_internal" / "forms").mkdir(parents=True)
    (build / "kiosk").write_text(f"#!/bin/sh\necho {version}{marker}\n", encoding="utf-8")
    (build / "_internal" / "forms" / "juminhyo.yaml").write_text("id: juminhyo\n", encoding="utf-8")
    write_manifest(build, version, "abc123", BUILT)
    return build


def test_manifest__fresh_build__lists_every_file_and_verifies_clean(tmp_path):
    build = make_build(tmp_path, "1.0.0")

    info = read_manifest(build)

    assert set(info.files) == {"kiosk", "_internal/forms/juminhyo.yaml"}
    assert (info.version, info.revision) == ("1.0.0", "abc123")
    assert verify_manifest(build) == []


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda b: (b / "kiosk").write_text("tampered", encoding="utf-8"), "changed kiosk"),
    (lambda b: (b / "_internal/forms/juminhyo.yaml").unlink(),
     "missing _internal/forms/juminhyo.yaml"),
    (lambda b: (b / "_internal/evil.py").write_text("x", encoding="utf-8"),
     "unexpected _internal/evil.py"),
])
def test_verify_manifest__damaged_build__names_the_file(tmp_path, damage, expected):
    build = make_build(tmp_path, "1.0.0")
    damage(build)

    assert verify_manifest(build) == [expected]


def test_install__two_versions__second_is_current_and_rollback_returns_to_first(tmp_path):
    installs = Installs(tmp_path / "root")

    installs.install(make_build(tmp_path, "1.0.0"))
    installs.install(make_build(tmp_path, "1.1.0"))

    assert installs.versions() == ["1.0.0", "1.1.0"]
    assert installs.current() == "1.1.0"
    assert installs.rollback() == "1.0.0"
    assert installs.current() == "1.0.0"
    if sys.platform != "win32":
        assert (tmp_path / "root" / "current" / "kiosk").read_text(encoding="utf-8") == \
            "#!/bin/sh\necho 1.0.0\n"
    installs.switch("1.1.0")
    assert installs.current() == "1.1.0"


def test_install__no_activate__leaves_current_alone(tmp_path):
    installs = Installs(tmp_path / "root")
    installs.install(make_build(tmp_path, "1.0.0"))

    installs.install(make_build(tmp_path, "2.0.0"), activate=False)

    assert installs.current() == "1.0.0"
    assert installs.versions() == ["1.0.0", "2.0.0"]


@pytest.mark.parametrize("case", ["damaged build", "no manifest", "same version twice",
                                  "unsafe version"])
def test_install__bad_build__is_refused_and_nothing_changes(tmp_path, case):
    installs = Installs(tmp_path / "root")
    installs.install(make_build(tmp_path, "1.0.0"))
    build = make_build(tmp_path, "1.2.0")
    if case == "damaged build":
        (build / "kiosk").write_text("tampered", encoding="utf-8")
    elif case == "no manifest":
        (build / MANIFEST_NAME).unlink()
    elif case == "same version twice":
        build = make_build(tmp_path / "again", "1.0.0")
    else:
        build = make_build(tmp_path, "../escape")

    with pytest.raises(InstallError):
        installs.install(build)

    assert installs.current() == "1.0.0"
    assert installs.versions() == ["1.0.0"]


def test_switch__installed_files_changed_since__is_refused(tmp_path):
    installs = Installs(tmp_path / "root")
    installs.install(make_build(tmp_path, "1.0.0"))
    installs.install(make_build(tmp_path, "1.1.0"))
    (installs.path("1.0.0") / "kiosk").write_text("tampered", encoding="utf-8")

    with pytest.raises(InstallError):
        installs.switch("1.0.0")
    assert installs.current() == "1.1.0"


def test_rollback__only_one_version__is_refused(tmp_path):
    installs = Installs(tmp_path / "root")
    installs.install(make_build(tmp_path, "1.0.0"))

    with pytest.raises(InstallError):
        installs.rollback()
