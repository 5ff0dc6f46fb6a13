"""The yearly report's PDF says what its caption and translation figures count."""

from __future__ import annotations

import subprocess
from datetime import date

from devices.printer.report_render import render_usage_report
from kiosk.audit.report import UsageReport


def test_usage_report_pdf__captions_and_translation__totals_with_language_and_pair_rows(
        tmp_path):
    report = UsageReport(date(2026, 4, 1), date(2027, 3, 31))
    report.captions_seconds = 450.0
    report.captions_by_language.update({"vi": 300.0, "en": 150.0})
    report.translation_uses.update({("ja", "vi"): 12, ("vi", "ja"): 5})
    pdf = tmp_path / "report.pdf"

    render_usage_report(report, pdf)

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in text.splitlines()]
    assert ["字幕（音声認識）を表示した時間（分）", "7.5"] in rows
    assert ["うち", "来庁者の言語", "ベトナム語", "5.0"] in rows
    assert ["機械翻訳した発話（行）", "17"] in rows
    assert ["うち", "日本語→ベトナム語", "12"] in rows
    assert "定型文は人が訳した文のため含みません" in text.replace("\n", "")
