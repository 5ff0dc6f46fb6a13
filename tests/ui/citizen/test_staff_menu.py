"""The tablet's staff menu: after the staff PIN it shows the version and the configuration
checksum, and the way out; it folds away by itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.deploy.provenance import file_checksum
from kiosk.domain.staff import hash_password
from kiosk.ui.citizen.screenshots import TABLET_SIZE
from kiosk.ui.citizen.tablet_factory import EXIT_PIN_HASH_VARIABLE, make_tablet_window
from kiosk.ui.common.pilot import KioskPilot
from kiosk.ui.common.text_report import visible_texts

from .text_checks import crowded_lines

pytestmark = pytest.mark.gui

STAFF_PIN = "24680"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(EXIT_PIN_HASH_VARIABLE, raising=False)
    path = tmp_path / "tablet.toml"
    path.write_text(f'[ui]\nfullscreen = true\nscreen_dpi = 96.0\n'
                    f'staff_exit_pin_hash = "{hash_password(STAFF_PIN, n=2**10)}"\n',
                    encoding="utf-8")
    config = load_config(path, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    services = build_services(config, demo=True)
    built = make_tablet_window(services)
    qtbot.addWidget(built)
    built.showFullScreen()
    built.config_path = path
    yield built
    services.close()


def _enter_pin(window, pin: str) -> None:
    KioskPilot(window).tap("staff")
    for digit in pin:
        next(b for b in window.staff_pad.findChildren(type(window.staff_button), f"key-{digit}")
             ).click()
    KioskPilot(window).tap("staff-ok")


def test_staff_menu__right_pin__shows_version_and_config_checksum(window):
    _enter_pin(window, STAFF_PIN)

    assert window.staff_menu.isVisible()
    assert window.about.checksum.text() == file_checksum(window.config_path)
    assert window.about.config.text() == str(window.config_path)
    assert window.isVisible()            # the PIN alone no longer closes the kiosk


def test_staff_menu__wrong_pin__says_so_on_an_empty_pad_and_menu_stays_hidden(window):
    _enter_pin(window, "13579")

    assert not window.staff_menu.isVisible()
    assert window.staff_entry.isVisible()
    assert window.staff_entry.message.isVisible()
    assert "違います" in window.staff_entry.message.text()
    assert window.staff_pad.text == ""
    assert window.staff_entry.dots.text() == "—"
    assert not window.staff_ok.isEnabled()        # nothing typed: nothing to send


def test_staff_entry__digits__shown_as_dots_only(window):
    KioskPilot(window).tap("staff")
    for digit in "246":
        next(b for b in window.staff_pad.findChildren(type(window.staff_button), f"key-{digit}")
             ).click()

    assert window.staff_entry.dots.text() == "●●●"
    assert window.staff_ok.isEnabled()


@pytest.mark.parametrize("how", ["back", "timeout", "gear"])
def test_staff_entry__citizen_taps_gear__a_way_back_and_it_folds_away(window, how):
    KioskPilot(window).tap("staff")
    assert window.pages.currentWidget() is window.staff_entry

    if how == "back":
        KioskPilot(window).tap("staff-cancel")
    elif how == "timeout":
        window._menu_timer.timeout.emit()
    else:
        KioskPilot(window).tap("staff")

    assert window.pages.currentWidget() is window.tablet


def _outside(window, page) -> list[str]:
    """Every shown button of ``page`` not wholly inside the window."""
    bounds = window.rect()
    return [button.objectName() for button in page.findChildren(QAbstractButton)
            if button.isVisibleTo(page) and not bounds.contains(
                QRect(button.mapTo(window, QPoint(0, 0)), button.size()))]


def test_staff_pages__tablet_size__on_screen_whole_uncrowded_and_still(window):
    """The staff menu's way out sat past the tablet's right edge behind a long build line;
    the pad jumped down when the wrong-PIN message showed."""
    window.showNormal()
    window.resize(*TABLET_SIZE)
    KioskPilot(window).tap("staff")
    KioskPilot(window).settle()
    pad_at = window.staff_pad.mapTo(window, QPoint(0, 0))
    findings = _outside(window, window.staff_entry) + crowded_lines(window.staff_entry)
    _enter_pin_here(window, "13579")
    findings += _outside(window, window.staff_entry)
    moved = window.staff_pad.mapTo(window, QPoint(0, 0)) != pad_at
    _enter_pin_here(window, STAFF_PIN)
    KioskPilot(window).settle()
    findings += _outside(window, window.staff_menu) + crowded_lines(window.staff_menu)
    elided = [text for page in (window.staff_entry, window.staff_menu)
              for text in visible_texts(page) if text["elided"]]

    assert window.staff_menu.isVisible()
    assert findings == []
    assert elided == []
    assert not moved


def _enter_pin_here(window, pin: str) -> None:
    for digit in pin:
        next(b for b in window.staff_pad.findChildren(type(window.staff_button), f"key-{digit}")
             ).click()
    KioskPilot(window).tap("staff-ok")


@pytest.mark.parametrize("how", ["back", "timeout"])
def test_staff_menu__back_or_timeout__folds_away_and_kiosk_stays(window, how):
    _enter_pin(window, STAFF_PIN)

    if how == "back":
        KioskPilot(window).tap("staff-back")
    else:
        window._menu_timer.timeout.emit()

    assert not window.staff_menu.isVisible()
    window.close()
    assert window.isVisible()            # locked again: closing is refused


def test_staff_menu__exit__closes_the_kiosk(window):
    _enter_pin(window, STAFF_PIN)

    KioskPilot(window).tap("staff-exit")

    assert not window.isVisible()


def test_staff_pages__made_at_the_first_staff_tap_only(window):
    assert window.pages.count() == 1            # the tablet's start does not wait for them
    assert not hasattr(window, "staff_pad")

    KioskPilot(window).tap("staff")
    pad = window.staff_pad
    KioskPilot(window).tap("staff")             # back to the tablet
    KioskPilot(window).tap("staff")

    assert window.pages.count() == 3
    assert window.staff_pad is pad
    assert window.pages.currentWidget().objectName() == "staff-entry"
