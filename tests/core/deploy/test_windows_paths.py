"""Windows-only paths of deployment and fonts, run on Linux with the platform injected.

Windows tablets are the likely pilot devices but CI runs on Linux: each branch taken on
``win32`` is exercised here with the platform (and its environment variables) faked.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import fonts
from kiosk.cli.deploy import default_root
from kiosk.deploy.installs import Installs
from kiosk.deploy.provenance import write_manifest

LAUNCHER = Path(__file__).resolve().parents[3] / "packaging" / "windows" / "kiosk-launch.cmd"


def make_build(tmp_path: Path, version: str) -> Path:
    build = tmp_path / f"build-{version}"
    build.mkdir()
    (build / "kiosk.exe").write_bytes(version.encode())
    write_manifest(build, version, "abc123", datetime(2026, 11, 24, tzinfo=UTC))
    return build


def test_installs__windows__switch_and_rollback_through_the_pointer_file_only(tmp_path):
    installs = Installs(tmp_path / "root", platform="win32")

    installs.install(make_build(tmp_path, "1.0.0"))
    installs.install(make_build(tmp_path, "1.1.0"))
    after_update = installs.current()
    back_to = installs.rollback()

    assert after_update == "1.1.0"
    assert back_to == "1.0.0"
    assert (tmp_path / "root" / "current.txt").read_text(encoding="utf-8").strip() == "1.0.0"
    assert not (tmp_path / "root" / "current").exists()       # no symlink on Windows


def test_launcher__windows__starts_the_version_current_txt_names_under_the_watchdog():
    script = LAUNCHER.read_text(encoding="utf-8")

    assert re.search(r'set /p VERSION=<"%ROOT%\\current.txt"', script)
    assert r"%ROOT%\versions\%VERSION%\kiosk.exe" in script
    assert re.search(r'"%KIOSK%" watchdog .*-- "%KIOSK%" start', script)


def test_default_root__windows__under_programdata(monkeypatch):
    monkeypatch.delenv("KIOSK_INSTALL_ROOT", raising=False)
    monkeypatch.setenv("PROGRAMDATA", r"D:\ProgramData")
    monkeypatch.setattr(sys, "platform", "win32")

    root = default_root()

    assert root == Path(r"D:\ProgramData") / "kakanai-kiosk"


@pytest.mark.parametrize("where", ["system", "user"])
def test_script_face__windows__found_in_the_system_or_user_fonts_folder(monkeypatch, tmp_path,
                                                                         where):
    script = fonts.SCRIPT_FONTS[0]
    family, name = script.windows
    folder = (tmp_path / "Windows" / "Fonts" if where == "system"
              else tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts")
    folder.mkdir(parents=True)
    (folder / name).write_bytes(b"font")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setattr(sys, "platform", "win32")

    face = fonts.script_face(script)

    assert face is not None
    assert (face.family, face.path) == (family, folder / name)


def test_script_face__windows_font_missing__none(monkeypatch, tmp_path):
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setattr(sys, "platform", "win32")

    assert fonts.script_face(fonts.SCRIPT_FONTS[0]) is None
