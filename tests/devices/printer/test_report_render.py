"""The yearly report's PDF shows the conversation figures per visitor language."""

from __future__ import annotations

import subprocess
from datetime import date

from devices.printer.report_render import render_usage_report
from kiosk.audit.report import ConversationFigures, UsageReport


def test_usage_report_pdf__conversations__one_row_per_language(tmp_path):
    report = UsageReport(date(2026, 4, 1), date(2027, 3, 31))
    report.conversations["vi"] = ConversationFigures(records=2, captions=11, typed=3,
                                                     phrases=7, translated=13)
    report.conversations["ne"] = ConversationFigures(records=1, captions=0, typed=0,
                                                     phrases=4, translated=0)
    pdf = tmp_path / "report.pdf"

    render_usage_report(report, pdf)

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()
            if line.split() and line.split()[0] in ("ベトナム語", "ネパール語")
            and len(line.split()) == 6}
    assert "来庁者の言語" in text
    assert rows == {"ベトナム語": ["2", "11", "3", "7", "13"],
                    "ネパール語": ["1", "0", "0", "4", "0"]}
