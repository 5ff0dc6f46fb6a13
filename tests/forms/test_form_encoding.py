"""A form file that is not UTF-8 is an issue naming the file (F004), never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kiosk.paths import forms_dir
from kiosk.procedures.catalog import COMMON_FILE, load_catalog
from kiosk.procedures.issues import IssueCode


@pytest.mark.parametrize("name", ["koseki.yaml", COMMON_FILE])
def test_load_catalog__shift_jis_file__f004_names_it_and_other_forms_load(tmp_path, name):
    shutil.copytree(forms_dir(), tmp_path / "forms")
    path = tmp_path / "forms" / name
    path.write_bytes(path.read_text(encoding="utf-8").encode("shift_jis", errors="replace"))

    catalog = load_catalog(tmp_path / "forms")

    (issue,) = [i for i in catalog.issues if i.code is IssueCode.NOT_UTF8]
    assert issue.location.file == f"forms/{name}"
    assert "save the file as UTF-8" in str(issue)
    assert "juminhyo" in catalog.forms or name == COMMON_FILE


def test_kiosk_forms_check__shift_jis_file__names_file_without_traceback(tmp_path):
    shutil.copytree(forms_dir(), tmp_path / "forms")
    path = tmp_path / "forms" / "koseki.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("shift_jis", errors="replace"))

    result = subprocess.run([sys.executable, "-m", "kiosk", "forms", "--dir",
                             str(tmp_path / "forms"), "check"],
                            capture_output=True, text=True, timeout=120, check=False)

    assert "Traceback" not in result.stderr
    assert "forms/koseki.yaml:1: F004 error: not UTF-8 text" in result.stdout
    assert result.returncode == 1           # forms check: 1 = the forms have errors
