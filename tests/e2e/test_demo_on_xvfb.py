"""`kiosk demo` in real windows on Xvfb: three windows, Japanese drawn, a screenshot taken."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.xvfb, pytest.mark.gui]


def test_kiosk_demo__under_xvfb__shows_three_windows_with_japanese_and_saves_screenshot(
        xvfb_display, tmp_path):
    report_path, shot_path = tmp_path / "report.json", tmp_path / "screen.png"
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--quit-after", "3", "--report", str(report_path),
         "--screenshot", str(shot_path)], env=env, capture_output=True, text=True, timeout=120,
        check=False)

    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [w["title"].split(" — ")[0] for w in report] == ["市民用タブレット", "職員用画面", "待合表示板"]
    for window in report:
        assert window["visible"]
        assert window["missing_glyphs"] == []
    assert "登米市役所へようこそ" in report[0]["texts"]
    assert "नेपाली" in report[0]["texts"]
    image = QImage(str(shot_path))
    assert (image.width(), image.height()) == (1920, 1080)
    # The three windows cover the top-left of the screen: real pixels, not an empty root window.
    colours = {image.pixel(x, y) for x in range(0, 1900, 37) for y in range(0, 1000, 23)}
    assert len(colours) > 8
