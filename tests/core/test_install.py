"""What the install brings: the command, its version, and no torch in the tree."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys

import pytest

import kiosk


def test_installed_tree__torch__is_absent():
    # argostranslate's plain package pulls torch (GBs); the kiosk uses the torch-free build.
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("torch")


def test_installed_tree__argos_build__is_the_torch_free_one():
    assert importlib.metadata.distribution("argos-translate-lt").version


def test_kiosk_version__python_m__prints_package_version():
    result = subprocess.run([sys.executable, "-m", "kiosk", "--version"], capture_output=True,
                            text=True, check=True)

    assert result.stdout.strip() == f"kiosk {kiosk.__version__}"


def test_kiosk_doctor_json__demo_config__reports_each_check(tmp_path):
    env = {"KIOSK_DEVICE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)

    report = json.loads(result.stdout)
    names = {check["name"] for check in report["checks"]}
    assert {"kiosk.version", "fonts.BIZUDGothic-Regular", "database.reachable",
            "card.reader", "printer.ready", "speech.ja", "disk.free"} <= names
    by_name = {check["name"]: check for check in report["checks"]}
    for check in report["checks"]:
        assert check["status"] in {"ok", "warn", "fail"}
        assert check["detail"]
    # The Qt-free venv (napari's guard) has no PySide6: there, and only there, Qt fails.
    qt_expected = "ok" if importlib.util.find_spec("PySide6") else "fail"
    assert by_name["qt"]["status"] == qt_expected
    others = [c for c in report["checks"] if c["name"] != "qt"]
    assert all(c["status"] in {"ok", "warn"} for c in others), others
    assert result.returncode == (0 if qt_expected == "ok" else 1)


def test_kiosk_doctor__unreachable_database__fails_with_reason_and_exit_1(tmp_path):
    env = {"KIOSK_DEVICE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "KIOSK_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)

    report = json.loads(result.stdout)
    database = next(c for c in report["checks"] if c["name"] == "database.reachable")
    assert database["status"] == "fail"
    assert "127.0.0.1" in database["detail"]
    assert database["fix"]
    assert result.returncode == 1
