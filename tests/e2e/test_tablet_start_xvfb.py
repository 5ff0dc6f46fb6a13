"""The kept Welcome picture on a real X server: on the screen at the first report, and tapped.

On X11 a window is drawn only once the server has exposed it: a start that went on with its
imports right after ``show()`` reported a Welcome that was still a black screen. Here the
second start of ``kiosk tablet`` (kiosk mode, Xvfb) is looked at when its first report is
written, and the visitor's taps on the picture (English, then Start) reach the tablet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import ImageGrab

pytestmark = pytest.mark.slow


def _first_report(report: Path, process: subprocess.Popen[str]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return dict(json.loads(report.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            time.sleep(0.002)
    raise AssertionError(f"no report; the tablet said: {process.communicate(timeout=30)[0]}")


def _wait(report: Path, condition, timeout_s: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            shown = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            shown = {}
        if shown and condition(shown):
            return dict(shown)
        time.sleep(0.02)
    raise AssertionError(f"not reached in {timeout_s} s: {shown}")


def test_tablet_second_start__picture_on_the_screen_at_once_and_its_taps_carried_over(
        xvfb_display, tmp_path):
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "HOME": str(tmp_path), "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
           "KIOSK_SPEECH_KIND": "off", "KIOSK_UI_FULLSCREEN": "true",
           "KIOSK_UI_SCREEN_DPI": "96"}
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "kiosk", "tablet", "--quit-after", "60", "--report",
               str(report)]

    def start() -> subprocess.Popen[str]:
        report.unlink(missing_ok=True)
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    first_start = start()
    try:
        _wait(report, lambda shown: shown.get("ready"))
        time.sleep(0.5)             # the picture is written beside the start
    finally:
        first_start.terminate()
        first_start.communicate(timeout=30)
    assert (tmp_path / "data" / "start-up" / "welcome.picture").exists()

    second_start = start()
    try:
        first = _first_report(report, second_start)
        screen = ImageGrab.grab(xdisplay=xvfb_display).convert("RGB")
        buttons = first["buttons"]
        assert isinstance(buttons, dict)
        for name in ("language-en", "start"):
            x, y = buttons[name]
            subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env,
                           check=True, timeout=30)
        ready = _wait(report, lambda shown: shown.get("ready") and shown["stage"] == "choose")
    finally:
        second_start.terminate()
        output = second_start.communicate(timeout=30)[0]

    assert first["picture"] is True, output[-2000:]
    # The Welcome is on the screen, not a window still waiting for its first paint: the
    # screen is mostly white, and Start is the theme's blue.
    colours = screen.getcolors(maxcolors=1 << 20) or []
    white = sum(count for count, colour in colours if min(colour) > 240)
    assert white > screen.width * screen.height // 2
    x, y = buttons["start"]
    red, green, blue = screen.getpixel((x, y))
    assert blue > 150 > red, (red, green, blue)
    texts = [text["text"] for text in ready["texts"]]  # type: ignore[union-attr]
    assert "English" in texts
