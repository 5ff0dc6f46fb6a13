"""The yearly report's section on fees: takings per method by month and the cashless share."""

from __future__ import annotations

from typing import Any, cast

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from kiosk.audit.report import UsageReport

__all__ = ["fees_section"]

_METHODS = (("cash", "現金"), ("cashless", "キャッシュレス"))


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def fees_section(styles: Any, report: UsageReport) -> list[Flowable]:
    """「11. 手数料の収納」: yen per method and month, the period's totals and refunds."""
    months = sorted({month for _, month in report.takings})
    rows: list[list[object]] = [["月", "現金（円）", "キャッシュレス（円）", "キャッシュレス比率"]]
    for month in months:
        cash, cashless = (report.takings[(code, month)] for code, _ in _METHODS)
        rows.append([month, f"{cash:,}", f"{cashless:,}", _pct(cashless, cash + cashless)])
    totals = report.takings_by_method()
    cash, cashless = totals.get("cash", 0), totals.get("cashless", 0)
    if months:
        rows.append(["期間計", f"{cash:,}", f"{cashless:,}", _pct(cashless, cash + cashless)])
    summary: list[list[object]] = [
        ["項目", "値"],
        ["収納件数（現金／キャッシュレス）",
         f"{report.payments.get('cash', 0):,}／{report.payments.get('cashless', 0):,}"],
        ["返金（現金／キャッシュレス）",
         f"{report.refunds.get('cash', 0):,} 円／{report.refunds.get('cashless', 0):,} 円"]]
    note = ("窓口で収納した手数料を支払方法別に示します（収納時の記録から集計。返金は別掲）。"
            "キャッシュレス比率は金額に占めるキャッシュレス決済の割合です。")
    # ``styles`` is the report's own _Styles (passed in: importing it here would be circular).
    section = styles.section("11. 手数料の収納（キャッシュレス決済）", styles.table_or_none(rows),
                             Spacer(1, 3 * mm), styles.table(summary), styles.text(note))
    return cast("list[Flowable]", section)
