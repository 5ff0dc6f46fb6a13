"""A second start whose kept picture nobody taps: the tablet takes the picture's place
itself, and the start-up Welcome is never built (its building held the services back).

A tap on the picture still brings the start-up Welcome, which answers it; a tap the
services were ready before is carried straight to the tablet. The picture is checked
against the Welcome drawn off the screen once the tablet is up.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage

from kiosk.app import Services, build_services
from kiosk.config import Config
from kiosk.errors import StorageError
from kiosk.services.visit import Stage
from kiosk.ui.citizen import run_tablet
from kiosk.ui.citizen.run_tablet import _Run
from kiosk.ui.citizen.showing import show_window
from kiosk.ui.citizen.tablet_start import ServicesLoader, boot_window, check_kept_picture
from kiosk.ui.citizen.welcome_picture import (
    WELCOME_PICTURE,
    Picture,
    chosen_on,
    keep_picture,
    read_picture,
    same_pixels,
    welcome_picture_key,
    write_picture,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def runs(qtbot):
    """The starts made by a test, closed afterwards (windows, services)."""
    made: list[tuple[_Run, list[Services]]] = []
    yield made
    for run, built in made:
        if run.loader is not None:
            run.loader.wait()
        tablets = [run.window] + ([run.start.window] if run.start is not None else [])
        for tablet in tablets:
            if tablet is not None:
                tablet.tablet.visit.end("cancelled")     # its timers stopped
                tablet.deleteLater()
        for window in [run.picture] + ([run.start.boot] if run.start is not None else []):
            if window is not None:
                window.handed_over = True
                window.close()
        for services in built:
            services.close()
    gc.collect()        # the widgets freed on the GUI thread, not on a services' thread


def _run(config: Config, pictures: Path, runs, *, gate: threading.Event | None = None,
         fail: Exception | None = None) -> _Run:
    """A start of the tablet as `kiosk tablet` makes it, the picture shown (if kept)."""
    built: list[Services] = []

    def build() -> Services:
        if gate is not None:
            gate.wait(30)
        if fail is not None:
            raise fail
        services = build_services(config, demo=True)
        built.append(services)
        return services

    run = _Run(config.ui, build, report=None, taken_over=None, pictures=pictures)
    runs.append((run, built))
    if run.picture is None:
        run.begin()
    else:
        run.picture.first_paint.then(run.after_picture)
    return run


def _kept(qtbot, config: Config, pictures: Path, runs) -> Path:
    """A first start on a data folder of its own, until its picture is kept and it is up."""
    first = replace(config, device=replace(config.device,
                                           data_dir=config.device.data_dir.parent / "first"))
    run = _run(first, pictures, runs)
    assert run.picture is None
    assert run.start is not None
    qtbot.waitUntil(lambda: run.start.window is not None, timeout=30_000)
    path = pictures / WELCOME_PICTURE
    qtbot.waitUntil(path.exists, timeout=10_000)
    return path


def _stale(qtbot, config: Config, pictures: Path, runs) -> tuple[Path, QImage, Picture]:
    """A kept picture made stale (as by an earlier build of the same version): its file, its
    image now, and the picture as it was kept."""
    path = _kept(qtbot, config, pictures, runs)
    kept = read_picture(path, welcome_picture_key(config.ui))
    assert kept is not None
    stale = kept.image.copy()
    stale.fill(Qt.GlobalColor.magenta)
    assert write_picture(path, replace(kept, image=stale, pixels=b""))
    return path, stale, kept


def test_second_start__picture_untouched__tablet_in_its_place_without_the_welcome(
        qtbot, config, pictures, runs):
    _kept(qtbot, config, pictures, runs)

    run = _run(config, pictures, runs)
    assert run.picture is not None
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)

    assert run.start is None                      # the start-up Welcome never built
    assert not run.picture.isVisible()
    assert run.window.isVisible()
    assert run.window.geometry() == run.picture.geometry()
    visit = run.window.tablet.visit
    assert (visit.language, visit.stage) == (config.ui.default_language, Stage.WELCOME)


def test_second_start__picture_up__its_pixels_its_own_so_the_file_can_change_under_it(
        qtbot, config, pictures, runs):
    path = _kept(qtbot, config, pictures, runs)
    kept = read_picture(path, welcome_picture_key(config.ui))
    assert kept is not None
    expected = kept.image.copy()
    del kept                # its mapping of the file goes with it

    run = _run(config, pictures, runs)
    assert run.picture is not None
    shown = run.picture.picture
    assert shown.pixels                          # drawn from the file, mapped
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)

    assert shown.pixels == b""
    path.write_bytes(b"")   # changed in place: mapped pages would be pulled (SIGBUS)
    assert shown.image == expected
    # Still the Welcome as it is drawn: the check compares it and keeps no new one.
    assert not check_kept_picture(config.ui, run.picture, pictures)


def test_second_start__picture_tapped__welcome_answers_then_the_tablet_has_the_language(
        qtbot, config, pictures, runs, tap_picture):
    _kept(qtbot, config, pictures, runs)
    gate = threading.Event()
    run = _run(config, pictures, runs, gate=gate)
    assert run.picture is not None
    qtbot.waitUntil(lambda: run.loader is not None, timeout=10_000)

    tap_picture(run.picture, "language-en")
    qtbot.waitUntil(lambda: run.start is not None, timeout=10_000)
    boot = run.start.boot

    assert boot.isVisible()
    assert not run.picture.isVisible()
    assert boot.chosen_language == "en"
    assert boot.language_buttons["en"].isChecked()
    gate.set()
    qtbot.waitUntil(lambda: run.start.window is not None, timeout=30_000)
    assert run.window is None                   # taken over once, by the Welcome's start
    assert run.start.window.tablet.visit.language == "en"


def test_second_start__services_ready_before_the_tap_was_answered__taps_reach_the_tablet(
        qtbot, config, pictures, runs, monkeypatch, tap_picture):
    _kept(qtbot, config, pictures, runs)
    gate = threading.Event()
    run = _run(config, pictures, runs, gate=gate)
    assert run.picture is not None
    qtbot.waitUntil(lambda: run.loader is not None, timeout=10_000)
    # The Welcome's turn of the event loop comes after the services' signal.
    monkeypatch.setattr(run, "begin_after_picture", lambda: None)

    tap_picture(run.picture, "language-en")
    tap_picture(run.picture, "start")
    gate.set()
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)

    assert run.start is None
    visit = run.window.tablet.visit
    assert (visit.language, visit.stage) == ("en", Stage.CHOOSE)


def test_second_start__services_fail__the_error_raised_at_the_end_no_picture_left(
        qtbot, config, pictures, runs):
    _kept(qtbot, config, pictures, runs)
    failed: list[bool] = []

    run = _run(config, pictures, runs, fail=StorageError("database unreachable"))
    run.failed = lambda: failed.append(True)
    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)

    assert run.window is None
    assert run.start is None
    assert run.picture is not None
    assert run.picture.handed_over
    with pytest.raises(StorageError):
        run.end()


def test_chosen_on__taps_in_order__last_language_and_start_once_tapped():
    assert chosen_on([], "ja") == ("ja", False)
    assert chosen_on(["language-en", "start", "language-vi"], "ja") == ("vi", True)
    assert chosen_on(["language-ja@easy"], "ja") == ("ja@easy", False)
    # The header's buttons do nothing on the start-up Welcome.
    assert chosen_on(["language", "voice", "talk"], "en") == ("en", False)


def test_check_kept_picture__still_the_welcome__not_written_again(
        qtbot, config, pictures, runs):
    path = _kept(qtbot, config, pictures, runs)
    before = path.stat().st_mtime_ns, path.stat().st_ino
    run = _run(config, pictures, runs)
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)
    assert run.picture is not None

    assert check_kept_picture(config.ui, run.picture, pictures) is False
    qtbot.wait(100)
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


def test_check_kept_picture__welcome_drawn_otherwise_now__new_picture_kept(
        qtbot, config, pictures, runs):
    key = welcome_picture_key(config.ui)
    path, stale, kept = _stale(qtbot, config, pictures, runs)
    run = _run(config, pictures, runs)
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)
    assert run.picture is not None

    assert check_kept_picture(config.ui, run.picture, pictures) is True

    def fresh() -> bool:
        again = read_picture(path, key)
        return again is not None and again.image != stale
    qtbot.waitUntil(fresh, timeout=10_000)
    again = read_picture(path, key)
    assert again is not None
    assert same_pixels(again, kept)     # the Welcome as the first start drew it


def test_keep_picture__same_as_shown__false_and_nothing_written(qtbot, config, pictures, runs):
    path = _kept(qtbot, config, pictures, runs)
    key = welcome_picture_key(config.ui)
    kept = read_picture(path, key)
    assert kept is not None
    welcome = boot_window(config.ui)
    qtbot.addWidget(welcome)
    show_window(welcome, kiosk_mode=False)
    qtbot.waitExposed(welcome)
    other = pictures.parent / "other.picture"

    assert keep_picture(welcome, key, kept, other) is False
    assert keep_picture(welcome, key, None, other) is True
    qtbot.waitUntil(other.exists, timeout=10_000)
    welcome.handed_over = True


@pytest.mark.parametrize("language", ["ja", "en", "ja@easy"])
def test_second_start__tablet_takes_over__below_the_header_not_a_pixel_changes(
        qtbot, config, pictures, runs, language):
    # The header gains its buttons (language, talk, furigana) when the tablet is ready;
    # the Welcome below it, where the citizen reads and taps, must not move or re-wrap (its
    # subtitle broke its lines elsewhere, and the page showed a scroll handle).
    config = replace(config, ui=replace(config.ui, default_language=language))
    _kept(qtbot, config, pictures, runs)

    run = _run(config, pictures, runs)
    assert run.picture is not None
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)
    qtbot.wait(300)     # settled

    tablet = run.window.grab().toImage().convertToFormat(run.picture.picture.image.format())
    below = run.window.tablet.step_bar.geometry().bottom() + 1
    rest = QRect(0, below, tablet.width(), tablet.height() - below)
    assert tablet.copy(rest) == run.picture.picture.image.copy(rest)


def test_services_loader__no_collection_while_building__resumed_on_the_gui_thread(qtbot):
    during: list[tuple[bool, str]] = []

    def build():
        during.append((gc.isenabled(), threading.current_thread().name))

    loader = ServicesLoader(build)
    with qtbot.waitSignal(loader.done, timeout=10_000):
        loader.start()

    assert during == [(False, "services-loader")]
    assert gc.isenabled()


def test_services_loader__closed_before_done__collection_resumed_by_wait():
    gate = threading.Event()
    loader = ServicesLoader(gate.wait)      # type: ignore[arg-type]
    loader.start()
    paused = not gc.isenabled()
    gate.set()
    loader.wait()

    assert paused
    assert gc.isenabled()


def test_services_loader__collection_off_before__left_off(qtbot):
    gc.disable()
    try:
        loader = ServicesLoader(lambda: None)  # type: ignore[arg-type, return-value]
        with qtbot.waitSignal(loader.done, timeout=10_000):
            loader.start()
        loader.wait()

        assert not gc.isenabled()
    finally:
        gc.enable()


def test_second_start__stale_picture_on_an_idle_welcome__kept_anew_after_the_take_over(
        qtbot, config, pictures, runs, monkeypatch):
    monkeypatch.setattr(run_tablet, "_CHECK_AFTER_MS", 50)
    path, stale, _kept_as = _stale(qtbot, config, pictures, runs)
    key = welcome_picture_key(config.ui)

    run = _run(config, pictures, runs)
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)

    def kept_anew() -> bool:
        again = read_picture(path, key)
        return again is not None and again.image != stale
    qtbot.waitUntil(kept_anew, timeout=10_000)


def test_second_start__citizen_went_on_from_the_welcome__picture_left_for_the_next_start(
        qtbot, config, pictures, runs, monkeypatch):
    monkeypatch.setattr(run_tablet, "_CHECK_AFTER_MS", 300)
    path, stale, _kept_as = _stale(qtbot, config, pictures, runs)

    run = _run(config, pictures, runs)
    qtbot.waitUntil(lambda: run.window is not None, timeout=30_000)
    run.window.tablet.visit.start()
    qtbot.wait(800)

    again = read_picture(path, welcome_picture_key(config.ui))
    assert again is not None
    assert again.image == stale
