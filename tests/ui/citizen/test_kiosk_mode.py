"""Kiosk mode: full screen without decorations, left only with the staff exit PIN."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.staff import hash_password
from kiosk.services.visit import Stage
from kiosk.ui.citizen.tablet_factory import EXIT_PIN_HASH_VARIABLE, make_tablet_window
from kiosk.ui.common.pilot import KioskPilot

pytestmark = pytest.mark.gui

STAFF_PIN = "24680"
PIN_HASH = hash_password(STAFF_PIN, n=2**10)    # a cheap hash: the format is what matters here


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    built = []

    def make(*, toml: str = "", environ: dict[str, str] | None = None, legacy: str = ""):
        monkeypatch.delenv(EXIT_PIN_HASH_VARIABLE, raising=False)
        if legacy:
            monkeypatch.setenv(EXIT_PIN_HASH_VARIABLE, legacy)
        path = tmp_path / "tablet.toml"
        path.write_text(f"[ui]\nfullscreen = true\nscreen_dpi = 96.0\n{toml}", encoding="utf-8")
        config = load_config(path, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
                                            **(environ or {})})
        services = build_services(replace(config), demo=True)
        built.append(services)
        window = make_tablet_window(services)
        qtbot.addWidget(window)
        window.showFullScreen()     # as run_tablet does in kiosk mode
        return window

    yield make
    for services in built:
        services.close()


def _staff_pin(window, pin: str) -> None:
    pilot = KioskPilot(window)
    pilot.tap("staff")
    pad = window.staff_pad
    for digit in pin:
        button = next(b for b in pad.findChildren(type(window.staff_button), f"key-{digit}"))
        button.click()
    pilot.tap("staff-ok")


def test_kiosk_mode__shown__full_screen_frameless_on_top(make_window):
    window = make_window(toml=f'staff_exit_pin_hash = "{PIN_HASH}"\n')

    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.staff_button.isVisible()


@pytest.mark.parametrize("how", ["close", "wrong_pin", "no_hash_configured"])
def test_kiosk_mode__without_staff_pin__window_stays(make_window, how):
    window = make_window(toml="" if how == "no_hash_configured"
                         else f'staff_exit_pin_hash = "{PIN_HASH}"\n')

    if how == "close":
        window.close()
    else:
        _staff_pin(window, "13579" if how == "wrong_pin" else STAFF_PIN)

    assert window.isVisible()
    assert window.isFullScreen()


@pytest.mark.parametrize("source", ["toml", "environment", "legacy_environment"])
def test_kiosk_mode__staff_pin__closes_and_wipes_the_visit(make_window, source):
    window = make_window(
        toml=f'staff_exit_pin_hash = "{PIN_HASH}"\n' if source == "toml" else "",
        environ={"KIOSK_UI_STAFF_EXIT_PIN_HASH": PIN_HASH} if source == "environment" else None,
        legacy=PIN_HASH if source == "legacy_environment" else "")
    visit = window.tablet.visit
    visit.start()
    visit.toggle("juminhyo")

    _staff_pin(window, STAFF_PIN)
    KioskPilot(window).tap("staff-exit")     # the PIN opens the staff menu; exit is in it

    assert not window.isVisible()
    assert visit.stage is Stage.WELCOME
    assert visit.chosen == []


def test_config__staff_exit_pin_hash__not_in_repr(tmp_path):
    path = tmp_path / "tablet.toml"
    path.write_text(f'[ui]\nstaff_exit_pin_hash = "{PIN_HASH}"\n', encoding="utf-8")

    config = load_config(path, environ={})

    assert config.ui.staff_exit_pin_hash == PIN_HASH
    assert PIN_HASH not in repr(config)


@pytest.mark.parametrize("dpi", ["96", "150"])
def test_kiosk_mode__japanese_welcome__fits_the_tablet_above_the_staff_row(make_window, qtbot,
                                                                          dpi):
    window = make_window(environ={"KIOSK_UI_SCREEN_DPI": dpi})
    window.showNormal()         # the offscreen screen is 800x600: the tablet's own size
    window.resize(800, 1280)
    qtbot.wait(50)
    page = window.findChild(QScrollArea, "page-welcome")

    # Nothing to scroll: a scroll handle appeared at the take-over, 20 px short at 150 dpi.
    assert window.staff_button.isVisible()
    assert page.isVisible()
    assert page.verticalScrollBar().maximum() == 0
