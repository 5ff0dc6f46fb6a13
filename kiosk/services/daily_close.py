"""The daily close (日計) for the accounting office: every fee taken and refunded on one day,
item by item, with the totals per method, as XLSX (openpyxl) and CSV.

Lines hold the receipt number, the application number, the fee and its ordinance, the method
and the terminal's slip number, so the office can match them with the terminal's own daily
report (締め) and the cash in the drawer. No name, no address, no card number.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.domain.payment import DayTakings, Payment, PaymentMethod, PaymentStatus
from kiosk.file_modes import private_dir
from kiosk.procedures.model import FormDefinition

__all__ = ["CLOSE_COLUMNS", "DailyClose", "build_daily_close", "write_daily_close"]

CLOSE_COLUMNS = ("日付", "領収番号", "申請番号", "手続", "手数料", "単価", "数量", "金額",
                 "支払方法", "区分", "端末伝票番号", "根拠（条例）", "職員ID")
_METHOD = {PaymentMethod.CASH: "現金", PaymentMethod.CASHLESS: "キャッシュレス"}


@dataclass(frozen=True)
class DailyClose:
    """One day's lines and totals."""

    day: date
    rows: tuple[tuple[object, ...], ...]
    takings: DayTakings

    def totals(self) -> list[tuple[str, object]]:
        """The summary lines under the table (label, value)."""
        cash = self.takings.amounts.get(PaymentMethod.CASH, 0)
        cashless = self.takings.amounts.get(PaymentMethod.CASHLESS, 0)
        share = self.takings.cashless_share
        return [("現金 計", cash), ("キャッシュレス 計", cashless),
                ("収入 合計", self.takings.total), ("返金", -self.takings.refunds),
                ("差引 合計", self.takings.total - self.takings.refunds),
                ("キャッシュレス比率", f"{share:.1%}" if share is not None else "-"),
                ("件数（現金／キャッシュレス）",
                 f"{self.takings.counts.get(PaymentMethod.CASH, 0)}／"
                 f"{self.takings.counts.get(PaymentMethod.CASHLESS, 0)}")]


def _rows(payment: Payment, day: date, forms: Mapping[str, FormDefinition],
          ) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    taken = payment.day == day and payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)
    refunded = payment.refunded_day == day
    for kind_label, sign in (("領収", 1), ("返金", -1)):
        if (sign == 1 and not taken) or (sign == -1 and not refunded):
            continue
        for form_id, kind, unit, quantity in payment.items:
            form = forms.get(form_id)
            fee = next((f for f in form.fees if f.kind == kind), None) if form else None
            rows.append((day.isoformat(), payment.reference, payment.application_id,
                         form.title.get("ja") if form else form_id,
                         fee.label.get("ja") if fee else kind, unit, quantity,
                         sign * unit * quantity, _METHOD[payment.method], kind_label,
                         payment.slip, fee.basis if fee else "", payment.staff_id or ""))
    return rows


def build_daily_close(day: date, payments: list[Payment], takings: DayTakings,
                      forms: Mapping[str, FormDefinition]) -> DailyClose:
    """The close of ``day`` from its payments (taken or refunded that day)."""
    rows = [row for payment in payments for row in _rows(payment, day, forms)]
    return DailyClose(day, tuple(rows), takings)


def write_daily_close(close: DailyClose, folder: Path) -> tuple[Path, Path]:
    """Write ``日計_<day>.xlsx`` and ``日計_<day>.csv`` (UTF-8 with BOM, for Excel) in
    ``folder``; returns both paths."""
    # openpyxl only when a day is closed: every device's services import this module, and
    # the tablet's start does not wait for it (issue 18).
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    private_dir(folder)
    stem = f"日計_{close.day.isoformat()}"
    xlsx, csv_path = folder / f"{stem}.xlsx", folder / f"{stem}.csv"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "日計"
    sheet.append([f"手数料 日計表　{close.day.isoformat()}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(CLOSE_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in close.rows:
        sheet.append(list(row))
    sheet.append([])
    for label, value in close.totals():
        sheet.append([label, value])
    for column, width in zip("ABCDEFGHIJKLM", (11, 24, 9, 28, 28, 7, 6, 9, 13, 6, 16, 40, 7),
                             strict=True):
        sheet.column_dimensions[column].width = width
    book.save(xlsx)
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLOSE_COLUMNS)
        writer.writerows(close.rows)
        writer.writerow([])
        writer.writerows(close.totals())
    return xlsx, csv_path
