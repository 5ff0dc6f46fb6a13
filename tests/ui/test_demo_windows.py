"""The demo's three windows: Japanese drawn with the bundled font, language switch on the tablet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.doctor import Check, Status
from kiosk.services.staff import DEMO_LOGIN, DEMO_PASSWORD, StaffService
from kiosk.services.visit import Stage
from kiosk.ui.demo import demo_layout, demo_windows, window_report

pytestmark = pytest.mark.gui


@pytest.fixture
def windows(qtbot, tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)})
    checks = [Check("database.reachable", Status.OK, "sqlite"),
              Check("printer.ready", Status.FAIL, "no queue", "add it")]
    services = build_services(config, demo=True)
    built = demo_windows(services, checks)
    for window in built:
        qtbot.addWidget(window)
        window.show()
    yield built
    services.close()


def test_demo_windows__shown__three_titled_windows_draw_every_glyph(windows):
    report = window_report(windows)

    assert [entry["title"] for entry in report] == [
        "市民用タブレット — 市民課", "職員用画面 — 市民課", "待合表示板 — 市民課"]
    for entry in report:
        assert entry["visible"]
        assert entry["texts"]
        assert entry["missing_glyphs"] == []


def test_demo_windows__app_font__is_bundled_proportional_biz_udp_gothic(windows):
    label = windows[0].centralWidget().title

    assert QFontInfo(label.font()).family() == "BIZ UDPGothic"
    assert QFontMetrics(label.font()).inFontUcs4(ord("登"))


def test_welcome_screen__tap_vietnamese__retranslates_and_marks_the_button(windows, qtbot):
    welcome = windows[0].centralWidget()
    assert welcome.title.text() == "登米市役所へようこそ"

    qtbot.mouseClick(welcome.language_buttons["vi"], Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: welcome.title.text().startswith("Chào mừng"), timeout=1000)
    assert welcome.start_button.text() == "Chạm vào đây để bắt đầu"
    assert welcome.language_buttons["vi"].isChecked()
    assert not welcome.language_buttons["ja"].isChecked()


def test_welcome_screen__tap_start__opens_the_choice_of_procedures(windows, qtbot):
    from kiosk.services.visit import Stage

    tablet = windows[0].centralWidget()

    tablet.start_button.click()

    qtbot.waitUntil(lambda: tablet.visit.stage is Stage.CHOOSE, timeout=1000)
    assert tablet.current_screen() is tablet.screens[Stage.CHOOSE]


def test_status_panel__checks__one_row_an_area_in_japanese_failure_first(windows):
    table = windows[1].centralWidget().status_panel.table

    assert table.rowCount() == 2
    assert [table.item(row, 0).text() for row in range(2)] == ["印刷", "受付・呼び出しの共有"]
    assert [table.item(row, 1).text() for row in range(2)] == ["異常", "正常"]
    assert table.item(0, 2).text() == \
        "申請書を印刷できないおそれがあります。情報システム担当者に点検を依頼してください。"


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (2560, 1440)])
def test_demo_layout__screen__windows_inside_and_never_overlapping(size):
    available = QRect(0, 0, *size)

    places = demo_layout(available)

    assert all(available.contains(place) for place in places)
    assert [(a, b) for i, a in enumerate(places) for b in places[i + 1:]
            if a.intersects(b)] == []
    assert places[0].width() == min(800, size[0] // 2)    # the tablet at its real width


def test_demo_windows__visit_left_unattended__wiped_like_on_a_tablet(windows):
    tablet = windows[0].centralWidget()
    tablet.visit.start()

    assert tablet.idle.running          # counting with the real clock, as on a tablet
    tablet.idle.elapse(tablet.idle.timeout_s)
    assert tablet.visit.stage is Stage.WELCOME


def test_demo_windows__clerk_logged_in_with_payments__every_window_fits_its_place(qtbot,
                                                                                 tmp_path):
    # As `kiosk demo` runs them: payments on the simulated terminal (the fee panel shown).
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path),
                                        "KIOSK_PAYMENT_KIND": "simulated"})
    services = build_services(config, demo=True)
    try:
        StaffService(services.storage.staff, services.usage).ensure_demo_account()
        built = demo_windows(services, [])
        places = demo_layout(QRect(0, 0, 1920, 1080))
        for window, place in zip(built, places, strict=True):
            qtbot.addWidget(window)
            window.setGeometry(place)
            window.show()
        clerk = built[1].centralWidget()
        clerk.login.login.setText(DEMO_LOGIN)
        clerk.login.password.setText(DEMO_PASSWORD)
        qtbot.mouseClick(clerk.login.submit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: clerk.currentWidget() is clerk.desk_page, timeout=3000)

        # A window whose content needs more than its place grows past the screen (over the
        # board, off the right edge): each must fit where the demo puts it.
        for window, place in zip(built, places, strict=True):
            needed = window.minimumSizeHint()
            assert needed.width() <= place.width(), window.windowTitle()
            assert needed.height() <= place.height(), window.windowTitle()
            assert window.geometry().size() == place.size(), window.windowTitle()
    finally:
        services.close()
