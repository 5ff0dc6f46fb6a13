"""The two-phase start of ``kiosk tablet``: the start-up Welcome first, then the tablet.

The start-up Welcome is usable before the services exist; what the citizen tapped there (a
language, start) is carried over to the tablet when it takes over.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace

import pytest

from kiosk.app import Services, build_services
from kiosk.config import Config
from kiosk.errors import StorageError
from kiosk.services.visit import Stage
from kiosk.ui.citizen.boot_screen import BootWindow
from kiosk.ui.citizen.tablet_start import TabletStart
from kiosk.ui.common.pilot import KioskPilot
from kiosk.ui.common.theme import NORMAL
from kiosk.ui.common.widget_report import button_centres

pytestmark = pytest.mark.gui


@pytest.fixture
def starts(qtbot):
    """TabletStart objects made by a test; their windows and services closed afterwards."""
    made: list[tuple[TabletStart, list[Services]]] = []
    yield made
    for start, built in made:
        if start.window is not None:
            start.window.tablet.visit.end("cancelled")
            start.window.deleteLater()
        start.boot.handed_over = True
        start.boot.close()
        for services in built:
            services.close()


def _start(config: Config, starts, *, gate: threading.Event | None = None,
           fail: Exception | None = None, report=None, taken_over=None) -> TabletStart:
    built: list[Services] = []

    def build() -> Services:
        if gate is not None:
            gate.wait(30)           # the test taps the start-up Welcome meanwhile
        if fail is not None:
            raise fail
        services = build_services(config, demo=True)
        built.append(services)
        return services

    start = TabletStart(config.ui, build, report=report, taken_over=taken_over)
    starts.append((start, built))
    start.start()
    return start


def test_boot_window__language_tapped__texts_in_that_language(qtbot):
    boot = BootWindow(languages=("ja", "en", "vi"), language="ja", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=False)
    qtbot.addWidget(boot)
    boot.show()
    japanese = boot.start_button.text()

    KioskPilot(boot).tap("language-vi")

    assert boot.chosen_language == "vi"
    assert boot.start_button.text() != japanese
    assert boot.language_buttons["vi"].isChecked()
    assert not boot.language_buttons["ja"].isChecked()


def test_boot_window__start_tapped__kept_and_waiting_shown(qtbot):
    boot = BootWindow(languages=("ja", "en"), language="en", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=False)
    qtbot.addWidget(boot)
    boot.show()

    KioskPilot(boot).tap("start")

    assert boot.start_requested
    assert boot.waiting.isVisible()
    assert not boot.start_button.isEnabled()


def test_boot_window__kiosk_mode__not_closed_before_hand_over(qtbot):
    boot = BootWindow(languages=("ja",), language="ja", target=40, theme=NORMAL,
                      text_scale=100, kiosk_mode=True)
    qtbot.addWidget(boot)
    boot.show()

    boot.close()

    assert boot.isVisible()
    boot.handed_over = True
    boot.close()
    assert not boot.isVisible()


def test_tablet_start__taps_before_ready__carried_to_the_tablet(qtbot, config, starts):
    gate = threading.Event()
    start = _start(config, starts, gate=gate)
    pilot = KioskPilot(start.boot)

    pilot.tap("language-en")
    pilot.tap("start")
    gate.set()
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)

    assert start.window is not None
    visit = start.window.tablet.visit
    assert visit.language == "en"
    assert visit.stage is Stage.CHOOSE
    assert start.window.isVisible()
    assert not start.boot.isVisible()


# 200: the footer reserves one line; kiosk mode: the tablet's window has the staff row under it.
@pytest.mark.parametrize(("text_scale", "kiosk_mode"), [(100, False), (200, False), (100, True)])
def test_tablet_start__taken_over__welcome_buttons_stay_where_they_were(qtbot, config, starts,
                                                                         text_scale, kiosk_mode):
    config = replace(config, ui=replace(config.ui, text_scale=text_scale, fullscreen=kiosk_mode))
    gate = threading.Event()
    start = _start(config, starts, gate=gate)
    qtbot.waitUntil(start.boot.isVisible)
    qtbot.wait(50)
    before = button_centres(start.boot)

    gate.set()
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)
    qtbot.wait(50)
    after = button_centres(start.window)

    assert start.window is not None
    shown = {name for name in before if name.startswith("language-")} | {"start"}
    if kiosk_mode:
        # Full screen on the test platform's 800 x 600 screen: the footer and the staff row
        # are what is in view (the languages are below the welcome panel, past the fold).
        shown.add("staff")
        assert {"start", "staff"} <= set(before)
    else:
        # At 200 % text the last languages are below the fold (the page scrolls): most are
        # seen.
        assert len(shown) > len(config.ui.languages) // 2 + 1
    # Nothing the citizen may be about to tap moves when the services arrive.
    assert {name: after.get(name) for name in shown} == {name: before[name] for name in shown}


def test_tablet_start__taken_over__step_bar_shows_the_same_parts(qtbot, config, starts):
    gate = threading.Event()
    start = _start(config, starts, gate=gate)
    qtbot.waitUntil(start.boot.isVisible)

    def parts(bar) -> dict[str, object]:
        return {"step": bar.step.isVisible(), "segments": bar.segment_row.isVisible(),
                "height": bar.height()}

    before = parts(start.boot.step_bar)
    gate.set()
    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)
    qtbot.wait(50)

    assert start.window is not None
    # The Welcome has no step: the six grey segments of the start-up Welcome vanished at the
    # take-over.
    assert parts(start.window.tablet.step_bar) == before == {
        "step": False, "segments": False, "height": before["height"]}


def test_tablet_start__nothing_tapped__tablet_on_welcome_in_default_language(
        qtbot, config, starts):
    start = _start(config, starts)

    qtbot.waitUntil(lambda: start.window is not None, timeout=30_000)

    assert start.window is not None
    assert start.window.tablet.visit.stage is Stage.WELCOME
    assert start.window.tablet.visit.language == config.ui.default_language


def test_tablet_start__build_fails__error_kept_and_no_tablet(qtbot, config, starts):
    error = StorageError("The database cannot be reached.")
    start = _start(config, starts, fail=error)
    failed: list[bool] = []
    # The loader's signal crosses threads: it is queued until the GUI thread handles events.
    start.failed.connect(lambda: failed.append(True))

    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)

    assert start.loader.error is error
    assert start.window is None
    assert start.boot.handed_over


def test_screen_report__start_then_tablet__boot_not_ready_then_tablet_ready(
        qtbot, config, starts, tmp_path):
    path = tmp_path / "report.json"
    gate = threading.Event()
    start = _start(config, starts, gate=gate, report=path)

    qtbot.waitUntil(path.exists, timeout=10_000)
    first = json.loads(path.read_text(encoding="utf-8"))
    gate.set()
    qtbot.waitUntil(lambda: json.loads(path.read_text(encoding="utf-8"))["ready"],
                    timeout=30_000)
    later = json.loads(path.read_text(encoding="utf-8"))

    assert (first["ready"], first["stage"]) == (False, "welcome")
    assert {"start", "language-ja"} <= set(first["buttons"])
    assert (later["ready"], later["stage"]) == (True, "welcome")
    assert later["sequence"] > first["sequence"]
    assert start.window is not None
    # When the tablet took over (start-up benchmarks time it): after the Welcome's report,
    # not after the report saying so.
    assert "taken_over_at" not in first
    assert first["written_at"] < later["taken_over_at"] <= later["written_at"]


def test_tablet_start__tablet_cannot_be_built__failed_not_stuck(qtbot, config, starts,
                                                                monkeypatch):
    import kiosk.ui.citizen.tablet_factory as factory

    def broken(_services):
        raise RuntimeError("no screen today")

    monkeypatch.setattr(factory, "make_tablet_window", broken)
    start = _start(config, starts)
    failed: list[bool] = []
    start.failed.connect(lambda: failed.append(True))

    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)

    assert isinstance(start.loader.error, RuntimeError)
    assert start.window is None
    assert start.boot.handed_over


def test_tablet_start__taken_over__deferred_work_called_once_the_tablet_is_shown(
        qtbot, config, starts):
    # The tablet defers work no screen waits for (the reading dictionary's warm-up) to here.
    seen: list[bool] = []
    start = _start(config, starts, taken_over=lambda: seen.append(start.window.isVisible()))

    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    qtbot.wait(50)

    assert seen == [True]
    assert not start.boot.isVisible()


def test_tablet_start__build_fails__deferred_work_never_called(qtbot, config, starts):
    seen: list[int] = []
    start = _start(config, starts, fail=RuntimeError("no database"),
                   taken_over=lambda: seen.append(1))

    qtbot.waitUntil(lambda: start.loader.error is not None, timeout=30_000)
    qtbot.wait(50)

    assert seen == []


def test_tablet_command__another_section_wrong__welcome_then_error_printed_exit_2(tmp_path):
    # [ui] is read alone for the Welcome; the rest of the file with the services behind it.
    # A process of its own: a device command turns core dumps off for good.
    path = tmp_path / "kiosk.toml"
    path.write_text('[ui]\ndefault_language = "en"\n[database]\nurl = "mysql://x"\n',
                    encoding="utf-8")
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
           "QT_QPA_PLATFORM": "offscreen"}

    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path), "tablet",
                             "--quit-after", "20"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)

    assert result.returncode == 2
    assert f"{path}: [database] url" in result.stderr
