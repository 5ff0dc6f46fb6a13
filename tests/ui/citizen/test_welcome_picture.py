"""The kept picture of the start-up Welcome: shown first, tappable, replaced without a change.

The tablet keeps a picture of its Welcome as drawn on this device and shows it the moment Qt
is up at the next start; the real start-up Welcome then takes its place and gets the taps
made on the picture.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import stat
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from kiosk.app import Services, build_services
from kiosk.config import Config
from kiosk.services.visit import Stage
from kiosk.ui.citizen.screen_report import ScreenReport
from kiosk.ui.citizen.tablet_start import ServicesLoader, TabletStart
from kiosk.ui.citizen.welcome_picture import (
    WELCOME_PICTURE,
    PictureWindow,
    picture_key,
    read_picture,
    same_pixels,
    shown_picture,
    take_picture,
    welcome_picture_key,
    write_picture,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def starts(qtbot):
    """TabletStart objects and picture windows made by a test, closed afterwards."""
    made: list[tuple[TabletStart, list[Services]]] = []
    yield made
    for start, built in made:
        start.loader.wait()
        if start.window is not None:
            start.window.tablet.visit.end("cancelled")
            start.window.deleteLater()
        start.boot.handed_over = True
        start.boot.close()
        if start.picture is not None:
            start.picture.handed_over = True
            start.picture.close()
        for services in built:
            services.close()
    made.clear()
    # The windows' wrappers freed here, on the GUI thread, and not by a collection that
    # happens to run on the next test's services thread (a widget must not be freed there).
    gc.collect()


def _start(config: Config, starts, *, pictures: Path | None, gate: threading.Event | None = None,
           picture: PictureWindow | None = None, report: Path | None = None,
           screen_report: ScreenReport | None = None,
           loaded_first: bool = False) -> TabletStart:
    built: list[Services] = []

    def build() -> Services:
        if gate is not None:
            gate.wait(30)
        services = build_services(config, demo=True)
        built.append(services)
        return services

    loader = None
    if loaded_first:
        # As behind the picture: the services built before the Welcome connects to them.
        loader = ServicesLoader(build)
        loader.start()
        loader.wait()
    start = TabletStart(config.ui, build, picture=picture, pictures=pictures, report=report,
                        screen_report=screen_report, loader=loader)
    starts.append((start, built))
    start.start()
    return start


def _kept(qtbot, config: Config, starts, pictures: Path) -> Path:
    """A first start, until its picture is kept; the picture's file. Its services have a
    data folder of their own: one device's folder is used by one tablet at a time."""
    gate = threading.Event()
    first = replace(config, device=replace(config.device,
                                           data_dir=config.device.data_dir.parent / "first"))
    start = _start(first, starts, pictures=pictures, gate=gate)
    path = pictures / WELCOME_PICTURE
    qtbot.waitUntil(path.exists, timeout=10_000)
    gate.set()
    # As on a device: the next start begins once this one is up.
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)
    return path


def _window(qtbot, config: Config, starts, pictures: Path, *,
            kiosk_mode: bool = False) -> PictureWindow:
    """The kept picture of a first start, shown in a window of its own."""
    kept = read_picture(_kept(qtbot, config, starts, pictures), welcome_picture_key(config.ui))
    assert kept is not None
    window = PictureWindow(kept, kiosk_mode=kiosk_mode)
    qtbot.addWidget(window)
    window.show()
    return window


def _with_head(data: bytes, head_end: int, **changes: object) -> bytes:
    """The kept file with some of its head's fields replaced."""
    start = data.index(b"\n") + 1
    head = {**json.loads(data[start:head_end]), **changes}
    return data[:start] + json.dumps(head).encode() + data[head_end:]


def test_first_start__welcome_kept__private_file_that_reads_back_as_the_welcome(
        qtbot, config, starts, pictures):
    gate = threading.Event()
    boot = _start(config, starts, pictures=pictures, gate=gate).boot
    path = pictures / WELCOME_PICTURE
    qtbot.waitUntil(path.exists, timeout=10_000)

    kept = read_picture(path, welcome_picture_key(config.ui))
    gate.set()

    assert kept is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(pictures.stat().st_mode) == 0o700
    assert same_pixels(kept, take_picture(boot, welcome_picture_key(config.ui)))
    assert {"start", "language-ja", "language-en"} <= set(kept.buttons)
    assert "language-ja" in kept.checked
    assert any(text["name"] == "welcome-title" for text in kept.texts)


def test_picture_key__settings_and_screen_count__exit_pin_hash_neither_counts_nor_kept(config):
    ui = config.ui
    key = picture_key(ui, 800, 1280, 1.0, "offscreen")

    assert picture_key(replace(ui, staff_exit_pin_hash="scrypt$x"), 800, 1280, 1.0,
                       "offscreen") == key
    assert "staff_exit_pin_hash" not in json.dumps(key)
    assert picture_key(replace(ui, default_language="en"), 800, 1280, 1.0, "offscreen") != key
    assert picture_key(replace(ui, high_contrast=True), 800, 1280, 1.0, "offscreen") != key
    assert picture_key(ui, 1280, 800, 1.0, "offscreen") != key
    assert picture_key(ui, 800, 1280, 2.0, "offscreen") != key
    assert picture_key(ui, 800, 1280, 1.0, "xcb") != key


def test_read_picture__taken_with_other_settings__none(qtbot, config, starts, pictures):
    path = _kept(qtbot, config, starts, pictures)

    other = welcome_picture_key(replace(config.ui, default_language="en"))

    assert read_picture(path, other) is None


def test_read_picture__none_kept__none_and_nothing_logged(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert read_picture(tmp_path / WELCOME_PICTURE, {"version": "x"}) is None
    assert caplog.records == []


@pytest.mark.parametrize("damage", ["truncated", "not-a-picture", "bad-head", "empty",
                                    "negative-size", "buttons-a-list", "a-text-without-rect",
                                    "head-a-list"])
def test_read_picture__damaged_file__none_and_a_warning_not_a_traceback(
        qtbot, config, starts, pictures, caplog, damage):
    path = _kept(qtbot, config, starts, pictures)
    data = path.read_bytes()
    head_end = data.index(b"\n", data.index(b"\n") + 1)
    damaged = {
        "truncated": data[:len(data) // 2],
        "not-a-picture": b"\x89PNG\r\n" + data[6:],
        "bad-head": data[:30] + b"{" + data[31:],
        "empty": b"",
        "negative-size": data[:head_end].replace(b'"width": ', b'"width": -') + data[head_end:],
        "buttons-a-list": _with_head(data, head_end, buttons=[1, 2]),
        "a-text-without-rect": _with_head(data, head_end, texts=[{"name": "title"}]),
        "head-a-list": data[:data.index(b"\n") + 1] + b"[1, 2]" + data[head_end:],
    }[damage]
    path.write_bytes(damaged)

    with caplog.at_level(logging.WARNING):
        assert read_picture(path, welcome_picture_key(config.ui)) is None

    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert caplog.records[0].exc_info is None
    assert "damaged" in caplog.records[0].getMessage()


def test_write_picture__folder_cannot_be_made__false_and_a_warning(
        qtbot, config, starts, pictures, tmp_path, caplog):
    path = _kept(qtbot, config, starts, pictures)
    kept = read_picture(path, welcome_picture_key(config.ui))
    assert kept is not None
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        assert not write_picture(blocker / "start-up" / WELCOME_PICTURE, kept)

    assert "not kept" in caplog.records[-1].getMessage()


def test_picture_window__press_and_release_on_a_button__a_tap_darkened_meanwhile(
        qtbot, config, starts, pictures):
    window = _window(qtbot, config, starts, pictures)
    kept = window.picture
    x, y, width, height = kept.buttons["start"]
    middle = QPoint(x + width // 2, y + height // 2)

    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=middle)
    pressed = window.grab().toImage()
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=middle)
    released = window.grab().toImage()

    assert window.taps == ["start"]
    assert pressed.pixelColor(middle).lightness() < released.pixelColor(middle).lightness()
    assert released.convertToFormat(kept.image.format()) == kept.image


def test_picture_window__released_elsewhere_or_outside_any_button__no_tap(
        qtbot, config, starts, pictures):
    window = _window(qtbot, config, starts, pictures)
    kept = window.picture
    x, y, width, _height = kept.buttons["start"]
    ex, ey, ewidth, eheight = kept.buttons["language-en"]

    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(x + width // 2, y + 5))
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton,
                       pos=QPoint(ex + ewidth // 2, ey + eheight // 2))
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))

    assert window.taps == []
    assert window.button_at(2, 2) is None


def test_picture_window__made_larger_than_its_picture__white_around_it_not_garbage(
        qtbot, config, starts, pictures):
    window = _window(qtbot, config, starts, pictures)
    kept = window.picture
    width, height = kept.image.width(), kept.image.height()
    window.resize(width + 40, height + 30)       # by hand, outside kiosk mode

    drawn = window.grab().toImage()

    assert drawn.copy(0, 0, width, height).convertToFormat(kept.image.format()) == kept.image
    for x, y in ((width + 20, 10), (10, height + 15), (width + 20, height + 15)):
        assert drawn.pixelColor(x, y).name(QColor.NameFormat.HexArgb) == "#ffffffff", (x, y)


def test_picture_window__kiosk_mode__not_closed_before_hand_over(qtbot, config, starts, pictures):
    window = _window(qtbot, config, starts, pictures, kiosk_mode=True)

    window.close()

    assert window.isVisible()
    window.handed_over = True
    window.close()
    assert not window.isVisible()


def test_picture_window__describe__the_welcomes_buttons_on_the_screen_not_ready(
        qtbot, config, starts, pictures):
    window = _window(qtbot, config, starts, pictures)
    kept = window.picture
    window.move(30, 40)
    corner = window.mapToGlobal(QPoint(0, 0))

    described = window.describe()

    x, y, width, height = kept.buttons["start"]
    assert described["buttons"]["start"] == [corner.x() + x + (width - 1) // 2,
                                             corner.y() + y + (height - 1) // 2]
    assert (described["picture"], described["ready"], described["stage"]) == (
        True, False, "welcome")
    title = next(text for text in described["texts"] if text["name"] == "welcome-title")
    kept_title = next(text for text in kept.texts if text["name"] == "welcome-title")
    assert title["rect"][:2] == [corner.x() + kept_title["rect"][0],
                                 corner.y() + kept_title["rect"][1]]


def test_tablet_start__taps_on_the_picture__carried_to_the_welcome_and_the_tablet(
        qtbot, config, starts, pictures, tap_picture):
    _kept(qtbot, config, starts, pictures)
    picture = shown_picture(config.ui, pictures)
    assert picture is not None
    tap_picture(picture, "language-en")
    tap_picture(picture, "start")
    tap_picture(picture, "start")          # a double tap: Start once

    start = _start(config, starts, pictures=pictures, picture=picture)

    assert not picture.isVisible()
    assert start.boot.isVisible()
    assert start.boot.chosen_language == "en"
    assert start.boot.start_requested
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)
    visit = start.window.tablet.visit
    assert (visit.language, visit.stage) == ("en", Stage.CHOOSE)


@pytest.mark.parametrize("signal_arrives", [False, True])
def test_tablet_start__services_built_behind_the_picture_before_the_welcome__taken_over_once(
        qtbot, config, starts, pictures, signal_arrives, monkeypatch, tap_picture):
    import kiosk.ui.citizen.tablet_factory as factory

    _kept(qtbot, config, starts, pictures)
    picture = shown_picture(config.ui, pictures)
    assert picture is not None
    tap_picture(picture, "start")
    made: list[object] = []
    make = factory.make_tablet_window
    monkeypatch.setattr(factory, "make_tablet_window",
                        lambda services: made.append(make(services)) or made[-1])

    start = _start(config, starts, pictures=pictures, picture=picture, loaded_first=True)
    if signal_arrives:
        start.loader.done.emit()    # as if it ended between the connection and the start
    qtbot.waitUntil(lambda: start.window is not None, timeout=10_000)
    qtbot.wait(100)

    assert made == [start.window]           # one tablet, though told twice
    assert start.window.tablet.visit.stage is Stage.CHOOSE


def test_tablet_start__picture_replaced__welcome_drawn_the_same_in_the_same_place(
        qtbot, config, starts, pictures):
    _kept(qtbot, config, starts, pictures)
    picture = shown_picture(config.ui, pictures)
    assert picture is not None
    picture.move(10, 20)
    gate = threading.Event()

    start = _start(config, starts, pictures=pictures, picture=picture, gate=gate)

    assert start.boot.geometry() == picture.geometry()
    assert same_pixels(take_picture(start.boot, welcome_picture_key(config.ui)),
                       picture.picture)
    gate.set()


def test_tablet_start__same_picture_shown__not_written_again(qtbot, config, starts, pictures):
    path = _kept(qtbot, config, starts, pictures)
    before = path.stat().st_mtime_ns, path.stat().st_ino
    picture = shown_picture(config.ui, pictures)
    assert picture is not None

    start = _start(config, starts, pictures=pictures, picture=picture)
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)
    qtbot.wait(100)

    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


def test_tablet_start__other_settings__welcome_drawn_live_and_a_new_picture_kept(
        qtbot, config, starts, pictures):
    path = _kept(qtbot, config, starts, pictures)
    english = replace(config, ui=replace(config.ui, default_language="en"))
    assert shown_picture(english.ui, pictures) is None

    start = _start(english, starts, pictures=pictures)
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)

    kept = read_picture(path, welcome_picture_key(english.ui))
    assert kept is not None
    assert "language-en" in kept.checked


def test_tablet_start__welcome_tapped_before_its_picture__none_kept(
        qtbot, config, starts, pictures):
    gate = threading.Event()
    start = _start(config, starts, pictures=pictures, gate=gate)

    start.boot.language_buttons["en"].click()      # before the event loop keeps the picture
    qtbot.wait(200)
    gate.set()
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)

    assert not (pictures / WELCOME_PICTURE).exists()


def test_screen_report__picture_then_welcome_then_tablet__taken_over_only_by_the_tablet(
        qtbot, config, starts, pictures, tmp_path):
    _kept(qtbot, config, starts, pictures)
    path = tmp_path / "report.json"
    picture = shown_picture(config.ui, pictures)
    assert picture is not None
    early = ScreenReport(picture, path)
    qtbot.waitUntil(path.exists, timeout=10_000)
    first = json.loads(path.read_text(encoding="utf-8"))
    gate = threading.Event()

    start = _start(config, starts, pictures=pictures, picture=picture, gate=gate,
                   report=path, screen_report=early)
    qtbot.waitUntil(lambda: "picture" not in json.loads(path.read_text(encoding="utf-8")),
                    timeout=10_000)
    welcome = json.loads(path.read_text(encoding="utf-8"))
    gate.set()
    qtbot.waitUntil(lambda: json.loads(path.read_text(encoding="utf-8"))["ready"],
                    timeout=30_000)
    tablet = json.loads(path.read_text(encoding="utf-8"))

    assert start.report is early
    assert (first["picture"], first["ready"]) == (True, False)
    assert first["buttons"] == welcome["buttons"]       # tapped where the real ones are
    assert {"start", "language-ja"} <= set(first["buttons"])
    assert welcome["ready"] is False
    assert "taken_over_at" not in welcome
    assert tablet["ready"] is True
    assert tablet["taken_over_at"] > welcome["written_at"]


@pytest.mark.slow
@pytest.mark.parametrize("kiosk_mode", [False, True])
def test_tablet_command__second_start__picture_reported_first_then_the_tablet(tmp_path,
                                                                              kiosk_mode):
    # Two real starts of `kiosk tablet` on one data folder: the first keeps the picture. In
    # kiosk mode the windows refuse to close, and --quit-after must still end the process.
    data = tmp_path / "data"
    report = tmp_path / "report.json"
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_SPEECH_KIND": "off", "KIOSK_UI_FULLSCREEN": str(kiosk_mode).lower()}
    command = [sys.executable, "-m", "kiosk", "tablet", "--quit-after", "6", "--report",
               str(report)]

    def first_and_last() -> tuple[dict[str, object], dict[str, object]]:
        report.unlink(missing_ok=True)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        first: dict[str, object] | None = None
        while process.poll() is None and first is None:
            try:
                first = json.loads(report.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                threading.Event().wait(0.005)
        _out, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
        assert first is not None
        return first, json.loads(report.read_text(encoding="utf-8"))

    first_start, _ = first_and_last()
    picture = data / "start-up" / WELCOME_PICTURE
    second_start, second_last = first_and_last()

    assert "picture" not in first_start
    assert stat.S_IMODE(picture.stat().st_mode) == 0o600
    assert second_start["picture"] is True
    assert second_start["buttons"] == first_start["buttons"]
    assert (second_last["ready"], second_last["stage"]) == (True, "welcome")
