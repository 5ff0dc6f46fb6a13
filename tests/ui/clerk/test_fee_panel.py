"""The clerk's fee panel and the supervisor's takings, driven like a clerk (simulated terminal)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.domain.staff import Role
from kiosk.ports import SystemClock
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.staff import StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.sealing import generate_key_text
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("database_url", ["sqlite"],
                                                       indirect=True)]


@pytest.fixture
def paying(qtbot, tmp_path, database_url):
    config = load_config(None, environ={
        "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"), "KIOSK_DATABASE_URL": database_url,
        "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(), "KIOSK_DEVICE_SERVICES": "A",
        "KIOSK_DEVICE_COUNTER": "1番窓口", "KIOSK_SPEECH_KIND": "file",
        "KIOSK_PRINTER_KIND": "file", "KIOSK_PAYMENT_KIND": "simulated"})
    open_storage(database_url, SystemClock(), auto_upgrade=True).close()
    services = build_services(config)
    StaffService(services.storage.staff).add("clerk1", "窓口一郎", Role.SUPERVISOR, PASSWORD)
    issued = services.queue.take_ticket("A")
    form = services.forms.form("juminhyo")
    session = sample_session(form, today=services.clock.now().date())
    session.set("copies", 2)
    services.submissions.submit(Submission(form.id, form.version, "vi", to_stored(session),
                                           issued.ticket.id))
    window = ClerkWindow(services, idle_lock_s=600)
    qtbot.addWidget(window)
    window.show()
    window.login.login.setText("clerk1")
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    yield window
    window.close_bridge()
    services.close()


def _click(qtbot, window, *names):
    for name in names:
        button = {**window.review.buttons, **{f"fee-{k}": b for k, b in
                                              window.fee.buttons.items()}}[name]
        assert button.isEnabled(), name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_fee_panel__approved__itemised_amount_with_ordinance(qtbot, paying):
    qtbot.mouseClick(paying.queue.buttons["next"], Qt.MouseButton.LeftButton)
    assert not paying.fee.buttons["cash"].isEnabled()          # not approved yet
    _click(qtbot, paying, "approve")

    items = paying.fee.items
    row = [items.item(0, column).text() for column in range(5)]
    assert row[:4] == ["住民票の写し", "300", "2", "600"]
    assert row[4].startswith("登米市手数料条例")
    assert paying.fee.total.text() == "合計 600 円、支払済 0 円、未払 600 円"
    assert paying.fee.buttons["cash"].isEnabled()
    assert paying.fee.buttons["cashless"].isEnabled()


def test_fee_panel__unpaid_then_cashless__finish_refused_then_done(qtbot, paying):
    qtbot.mouseClick(paying.queue.buttons["next"], Qt.MouseButton.LeftButton)
    _click(qtbot, paying, "approve", "print", "finish")
    assert "600" in paying.review.message.text()               # held: the fee is due
    assert paying.review.review.status is ApplicationStatus.PRINTED

    _click(qtbot, paying, "fee-cashless")
    qtbot.waitUntil(paying.fee.buttons["receipt"].isEnabled)
    _click(qtbot, paying, "fee-qr")
    assert not paying.fee.qr.pixmap().isNull()
    assert "SIM000001" in paying.fee.message.text()
    _click(qtbot, paying, "finish")
    assert paying.review.review is None                        # finished and closed


def test_takings_panel__cash_payment__per_method_and_cashless_share(qtbot, paying):
    qtbot.mouseClick(paying.queue.buttons["next"], Qt.MouseButton.LeftButton)
    _click(qtbot, paying, "approve", "fee-cash")

    table = paying.takings.table
    cells = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert cells == [["現金", "1", "600", "100.0%"], ["キャッシュレス", "0", "0", "0.0%"],
                     ["合計", "1", "600", "100.0%"]]
    assert "キャッシュレス比率 0.0%" in paying.takings.summary.text()
