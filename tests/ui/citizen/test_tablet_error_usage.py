"""A dead printer at the ticket: the citizen reads a plain message, and the tablet's usage log
holds one failed slip print and one error, through the production recording path."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from kiosk.audit import iter_records
from kiosk.errors import DeviceError
from kiosk.services.visit import Stage

pytestmark = pytest.mark.gui


def _dead(*_args, **_kwargs) -> str:
    raise DeviceError("The printer could not print: {reason}", reason="paper jam")


def _records(kiosk, kind: str) -> list[dict]:
    return [record.data for record in iter_records(kiosk.services.config.audit_dir,
                                                   kinds=frozenset({kind}))]


def test_tablet__dead_printer_at_ticket__one_failed_print_and_one_error(make_kiosk, monkeypatch):
    kiosk = make_kiosk()
    kiosk.to_review_with_card()
    monkeypatch.setattr(kiosk.services.printer, "print_pdf", _dead)

    kiosk.pilot.tap("submit-print")

    assert kiosk.pilot.exists("error")
    assert kiosk.stage is Stage.REVIEW
    assert _records(kiosk, "print.done") == [
        {"kind": "slip", "ok": False, "pages": 0, "reason": "device_error"}]
    assert _records(kiosk, "device.error") == [{"where": "print.slip", "error": "DeviceError"}]


def test_tablet__slip_printed__one_page_and_no_error(make_kiosk):
    kiosk = make_kiosk()
    kiosk.to_review_with_card()

    kiosk.pilot.tap("submit-print")
    kiosk.wait_for(Stage.TICKET)

    assert _records(kiosk, "print.done") == [{"kind": "slip", "ok": True, "pages": 1,
                                              "reason": ""}]
    assert _records(kiosk, "device.error") == []


def test_tablet__vietnamese_visitor__slip_in_japanese_and_vietnamese_with_office_and_date(
        make_kiosk, monkeypatch):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language("vi")
    kiosk.to_review_with_card()
    texts: list[str] = []

    def keep_text(pdf, **_kwargs) -> int:     # the slip's PDF lives only until it is printed
        texts.append(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout)
        return 1

    monkeypatch.setattr(kiosk.services.printer, "print_pdf", keep_text)
    kiosk.pilot.tap("submit-print")
    kiosk.wait_for(Stage.TICKET)

    [text] = texts
    assert "登米市役所" in text
    assert "Số thứ tự của quý vị" in text
    assert "あなたの番号" in text
    assert date.today().isoformat() in text
