"""The yearly report's fee figures and the daily close (日計) equal the store's payments;
the receipt (領収書) names the fee in Japanese and the visitor's language."""

from __future__ import annotations

import csv
import re
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from devices.printer.report_render import render_usage_report
from kiosk.app import build_renderer
from kiosk.audit import build_report, form_infos, iter_records
from kiosk.audit.report_csv import write_report_csvs
from kiosk.domain.payment import PaymentMethod, PaymentStatus

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _paid_day(world):
    """Four applications: two cash, two cashless (one of them refunded afterwards)."""
    payments = world.services.payments
    done = [payments.pay_cash(world.printed(world.application(copies=1))),
            payments.pay_cash(world.printed(world.application("inkan_shomei", copies=2))),
            payments.pay_cashless(world.printed(world.application(copies=3))),
            payments.pay_cashless(world.printed(world.application(copies=4)))]
    payments.refund(done[-1].id, "juminhyo")
    return done


def test_report__fees__takings_and_cashless_share_equal_the_stores(make_pay_world, tmp_path):
    world = make_pay_world(kind="simulated", real_log=True)
    done = _paid_day(world)
    day = done[0].day
    world.services.usage.close()
    report = build_report(iter_records(world.services.config.audit_dir), date(day.year, 1, 1),
                          date(day.year, 12, 31), form_infos(world.services.forms))

    stored = world.services.storage.payments.between(date(day.year, 1, 1), date(day.year, 12, 31))
    taken = {method.value: sum(p.amount for p in stored if p.method is method
                               and p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED))
             for method in PaymentMethod}
    refunded = sum(p.amount for p in stored if p.status is PaymentStatus.REFUNDED)
    assert report.takings_by_method() == taken == {"cash": 900, "cashless": 2100}
    assert report.refunds["cashless"] == refunded == 1200
    assert report.cashless_share == pytest.approx(
        world.services.payments.takings(day).cashless_share)

    fees_csv = next(p for p in write_report_csvs(report, tmp_path / "csv")
                    if p.name == "fees_by_method.csv")
    rows = list(csv.reader(fees_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert ["all", "cashless", "2100", "70.0"] in rows
    render_usage_report(report, tmp_path / "report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "手数料の収納" in text
    assert "2,100" in text
    assert "70.0 %" in text


def test_daily_close__a_day__lines_and_totals_equal_the_stores(make_pay_world, tmp_path):
    world = make_pay_world(kind="simulated")
    done = _paid_day(world)
    xlsx, csv_path = world.services.payments.close_day(done[0].day, tmp_path / "close")

    sheet = openpyxl.load_workbook(xlsx).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    lines = [row for row in values[2:] if row[1] and str(row[1]).startswith("KP")]
    totals = {row[0]: row[1] for row in values if row and row[0] and row[1] is not None}
    assert sum(row[7] for row in lines) == 3000 - 1200
    assert [row[9] for row in lines].count("返金") == 1
    assert (totals["現金 計"], totals["キャッシュレス 計"], totals["返金"]) == (900, 2100, -1200)
    assert totals["キャッシュレス比率"] == "70.0%"
    assert lines[0][11].startswith("登米市手数料条例")
    with open(csv_path, encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle))[0] == "日付"


@pytest.mark.parametrize(("language", "local"), [("vi", "Bản sao phiếu cư trú"), ("ja", None)])
def test_receipt__paid_fee__japanese_and_visitors_language(make_pay_world, tmp_path, language,
                                                          local):
    world = make_pay_world(kind="simulated")
    paid = world.services.payments.pay_cashless(world.printed(world.application(copies=2)))
    receipt = world.services.payments.receipt(paid.id, language)
    texts = [line.text for line in receipt.lines]

    assert texts[0] == "領収書"
    assert any("住民票の写し" in text and "300 × 2 = 600" in text for text in texts)
    assert (local is not None) == any(local and local in text for text in texts)
    assert "SIM000001" in receipt.qr
    assert "¥600" in receipt.qr
    build_renderer().receipt(receipt, tmp_path / "receipt.pdf")
    pdf_text = PdfReader(tmp_path / "receipt.pdf").pages[0].extract_text()
    assert re.search(r"領\s*収\s*書", pdf_text)


def test_receipt__not_paid__refused(make_pay_world):
    from kiosk.services.payments import PaymentError
    world = make_pay_world(kind="simulated")
    paid = world.services.payments.pay_cash(world.printed(world.application(copies=1)))
    world.services.payments.refund(paid.id)
    with pytest.raises(PaymentError):
        world.services.payments.receipt(paid.id, "en")
