"""The device status under the clerk's login: each area's name whole, several in view, and every
text in Japanese (the doctor's English details, paths and commands stay with `kiosk doctor`)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.doctor import Check, Status
from kiosk.i18n import staff_translator
from kiosk.ui.clerk.status_window import StatusPanel
from kiosk.ui.common.text_report import visible_texts

from ..citizen.text_checks import foreign_words

pytestmark = pytest.mark.gui

FONT = "/opt/kiosk/resources/fonts/{}.ttf"
# As `kiosk doctor` reports a demo clerk PC: long English details, paths, commands and fixes.
CHECKS = [
    Check("kiosk.version", Status.OK, "kiosk 0.1.0, Python 3.11.7 on linux, config "
          "/etc/kiosk/kiosk.toml sha256 c9935bd08835"),
    Check("build.files", Status.OK, "source checkout: no build manifest to verify"),
    Check("qt", Status.OK, "PySide6 6.11.3, Qt 6.11.3"),
    *(Check(f"fonts.{face}", Status.OK, f"BIZ UDPGothic at {FONT.format(face)}")
      for face in ("BIZUDPGothic-Regular", "BIZUDPGothic-Bold", "BIZUDGothic-Regular")),
    Check("database.reachable", Status.OK, "postgresql://kiosk@db/kiosk answers"),
    Check("card.reader", Status.FAIL, "no reader named 'Virtual PCD 00 00'",
          "Plug the reader in, or check [card] reader."),
    Check("printer.kind", Status.WARN, "completed forms go to PDF files in /var/kiosk/printed "
          "(kept 24 h), not on paper", 'Set [printer] kind = "cups"'),
    Check("speech.tl", Status.WARN, "espeak-ng is installed but none of its 131 voices speaks "
          "Tagalog (tl): shown as text only", "Nothing to reinstall"),
    Check("speech.ne", Status.WARN, "no voice for Nepali (ne)", "apt install espeak-ng"),
    Check("captions.model", Status.WARN, "no speech model in /var/kiosk/models/stt/whisper",
          "Copy a faster-whisper model and run: kiosk models install-stt DIR"),
    Check("files.data", Status.WARN, "other users may read /var/kiosk (0o755)",
          "chmod -R go-rwx /var/kiosk"),
    Check("web.feed", Status.FAIL, "ConnectionRefusedError: [Errno 111]"),
    Check("something.new", Status.WARN, "a check the clerk's words do not know yet"),
]


def _panel(qtbot, width: int, height: int) -> tuple[QWidget, StatusPanel]:
    """The panel in a ``width`` x ``height`` window (and the window, kept alive)."""
    host = QWidget()
    layout = QVBoxLayout(host)
    panel = StatusPanel(staff_translator("ja"), CHECKS)
    layout.addWidget(panel)
    layout.addWidget(QWidget(), 10)         # the About panel and the login form take the rest
    qtbot.addWidget(host)
    host.resize(width, height)
    host.show()
    qtbot.waitExposed(host)
    return host, panel


def test_status_panel__squeezed__names_whole_six_rows_in_view_details_in_tooltips(qtbot):
    _host, panel = _panel(qtbot, 900, 300)

    table = panel.table
    metrics = table.fontMetrics()
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert table.columnWidth(0) >= max(metrics.horizontalAdvance(name) for name in names)
    assert table.viewport().height() >= 6 * table.verticalHeader().defaultSectionSize()
    assert table.item(0, 2).toolTip() == table.item(0, 2).text() != ""   # whole here


def test_status_panel__doctor_details_in_english__every_text_japanese_problems_first(qtbot):
    _host, panel = _panel(qtbot, 1200, 900)
    table = panel.table

    texts = visible_texts(panel)
    assert [f"{text['name']} {text['text']!r}" for text in texts if foreign_words(text)] == []
    tooltips = [table.item(row, 2).toolTip() for row in range(table.rowCount())]
    assert [tip for tip in tooltips if foreign_words({"text": tip, "personal": False,
                                                      "lang": ""})] == []
    rows = {table.item(row, 0).text(): (table.item(row, 1).text(), table.item(row, 2).text())
            for row in range(table.rowCount())}
    # One row per area, the worst first; what a problem means at the counter, then who fixes.
    assert [table.item(row, 1).text() for row in range(table.rowCount())] == \
        ["異常"] * 2 + ["注意"] * 5 + ["正常"] * 3
    assert rows["画面と文字"] == ("正常", "")
    assert rows["印刷"][1].startswith("申請書は紙に印刷されず、PDFファイル")
    assert rows["音声の読み上げ"][1].startswith("読み上げず、文字だけで表示する言語：")
    assert "ネパール語" in rows["音声の読み上げ"][1]
    assert rows["その他"][1].endswith("情報システム担当者に点検を依頼してください。")
    assert all(not any(t["elided"] for t in texts if t["name"] == f"status-table/{row},2")
               for row in range(table.rowCount()))
