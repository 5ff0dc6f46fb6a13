"""The device status under the clerk's login: each check's name whole, and several in view."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.doctor import Check, Status
from kiosk.i18n import staff_translator
from kiosk.ui.clerk.status_window import StatusPanel

pytestmark = pytest.mark.gui

CHECKS = [Check(name, Status.OK, f"/opt/kiosk/resources/fonts/{name}.ttf " * 3)
          for name in ("kiosk.version", "fonts.BIZUDPGothic-Regular", "fonts.BIZUDGothic-Bold",
                       "build.files", "qt", "card.reader", "printer", "database")]


def test_status_panel__squeezed__names_whole_six_rows_in_view_details_in_tooltips(qtbot):
    host = QWidget()
    layout = QVBoxLayout(host)
    panel = StatusPanel(staff_translator("ja"), CHECKS)
    layout.addWidget(panel)
    layout.addWidget(QWidget(), 10)         # the About panel and the login form take the rest
    qtbot.addWidget(host)
    host.resize(900, 300)
    host.show()
    qtbot.waitExposed(host)

    table = panel.table
    metrics = table.fontMetrics()
    widest = max(metrics.horizontalAdvance(check.name) for check in CHECKS)
    assert table.columnWidth(0) >= widest                       # "kiosk.v…" said nothing
    assert table.viewport().height() >= 6 * table.verticalHeader().defaultSectionSize()
    assert table.item(0, 2).toolTip() == CHECKS[0].detail      # a cut path is whole here
