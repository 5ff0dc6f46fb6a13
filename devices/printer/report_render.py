"""The yearly effect-verification report (効果検証報告) as an A4 PDF with charts.

Every string is drawn with the receipt font chain (BIZ UD Gothic first): TrueType only, so
the PDF prints on a machine without any Japanese font. Charts are reportlab.graphics
drawings whose labels use the same font (reportlab's default Helvetica is never embedded).
The report holds counts and durations only, as :class:`kiosk.audit.report.UsageReport` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from devices.printer.font_chain import receipt_chain
from kiosk.audit.report import WAIT_BUCKETS_MIN, Distribution, UsageReport

__all__ = ["render_usage_report"]

_WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")
_HOURS = range(8, 19)
_WIDTH = 170 * mm
# The plan's targets (登米市DX推進計画, revised 2026-03).
CONVENIENCE_TARGET_PCT = 30.0


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6)
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16,
                                      spaceBefore=10, spaceAfter=4)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)

    def table(self, rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None
              ) -> Table:
        table = Table([[str(cell) for cell in row] for row in rows], colWidths=widths,
                      repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font), ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]))
        return table


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def _min(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def _drawing(font: str, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # Without this the renderer starts every drawing in Helvetica, which is never embedded.
    drawing.initialFontName = font
    return drawing


def _bar_chart(font: str, categories: Sequence[str], series: Sequence[Sequence[float]],
               names: Sequence[str]) -> Drawing:
    drawing = _drawing(font, _WIDTH, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, _WIDTH - 20 * mm, 45 * mm
    chart.data = [list(values) or [0] for values in series]
    chart.categoryAxis.categoryNames = list(categories) or [""]
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName = font
        labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    palette = (colors.HexColor("#1F5F99"), colors.HexColor("#E08A1E"), colors.HexColor("#6A9A3A"))
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index % len(palette)]
    drawing.add(chart)
    for index, name in enumerate(names):       # a legend drawn with our font
        x = 14 * mm + index * 45 * mm
        drawing.add(Rect(x, 57 * mm, 3 * mm, 3 * mm, fillColor=palette[index % len(palette)],
                         strokeColor=None))
        drawing.add(String(x + 4 * mm, 57.5 * mm, name, fontName=font, fontSize=7))
    return drawing


def _heat_map(font: str, report: UsageReport) -> Drawing:
    cell_w, cell_h = 13 * mm, 7 * mm
    drawing = _drawing(font, _WIDTH, 8 * cell_h + 4 * mm)
    peak = max(report.by_hour.values(), default=0) or 1
    for row, weekday in enumerate(_WEEKDAYS):
        y = (6 - row) * cell_h
        drawing.add(String(0, y + 2 * mm, weekday, fontName=font, fontSize=8))
        for column, hour in enumerate(_HOURS):
            count = report.by_hour[(row, hour)]
            shade = 1 - 0.85 * count / peak
            drawing.add(Rect(8 * mm + column * cell_w, y, cell_w - 0.5, cell_h - 0.5,
                             fillColor=colors.Color(shade, shade, 1), strokeColor=None))
            drawing.add(String(8 * mm + column * cell_w + 1.5 * mm, y + 2 * mm, str(count),
                               fontName=font, fontSize=6))
    for column, hour in enumerate(_HOURS):
        drawing.add(String(8 * mm + column * cell_w + 1.5 * mm, 7 * cell_h + 1 * mm, f"{hour}時",
                           fontName=font, fontSize=7))
    return drawing


def _visits(styles: _Styles, report: UsageReport) -> list[object]:
    months = report.months
    card = [report.writing_free_card[m] for m in months]
    no_card = [report.writing_free_no_card[m] for m in months]
    visits = [report.visits[m] for m in months]
    rows: list[list[object]] = [
        ["月", "来庁（件）", "書かない：カード", "書かない：カードなし", "書かない割合"]]
    rows += [[m, v, c, n, _pct(c + n, v)] for m, v, c, n in zip(months, visits, card, no_card,
                                                                 strict=True)]
    rows.append(["計", sum(visits), sum(card), sum(no_card),
                 _pct(sum(card) + sum(no_card), sum(visits))])
    return [Paragraph("1. 来庁と書かない窓口の利用", styles.heading),
            _bar_chart(styles.font, [m[2:] for m in months], [visits, card, no_card],
                       ["来庁", "書かない（カード）", "書かない（カードなし）"]),
            styles.table(rows)]


def _procedures(styles: _Styles, report: UsageReport) -> list[object]:
    totals: dict[str, int] = {}
    for (form, _month), count in report.applications.items():
        totals[form] = totals.get(form, 0) + count
    rows: list[list[object]] = [["手続", "申請（件）"]]
    rows += [[report.titles.get(form, form), n] for form, n in sorted(totals.items())]
    fields = report.total_fields
    avoided: list[list[object]] = [["項目", "値"],
               ["申請件数", fields.submissions], ["紙の様式の記入欄（延べ）", fields.paper_fields],
               ["タブレットで入力した欄", fields.typed], ["カードから転記した欄", fields.card],
               ["職員が修正した欄", fields.corrected],
               ["手書きしなかった欄", fields.avoided_fields],
               ["手書きしなかった文字数（推計）", f"{round(fields.avoided_chars):,}"]]
    return [Paragraph("2. 手続別の申請件数", styles.heading), styles.table(rows),
            Paragraph("3. 手書きの削減", styles.heading), styles.table(avoided)]


def _distribution_rows(label: str, figures: dict[str, Distribution]) -> list[list[object]]:
    return [[label, code, d.count, _min(d.mean), _min(d.p50), _min(d.p90), _min(d.maximum),
             *d.buckets] for code, d in figures.items()]


def _times(styles: _Styles, report: UsageReport) -> list[object]:
    header: list[object] = ["区分", "業務", "件数", "平均(分)", "中央値", "90%", "最大",
              *[f"<{edge}分" for edge in WAIT_BUCKETS_MIN], f"{WAIT_BUCKETS_MIN[-1]}分以上"]
    rows: list[list[object]] = [header, *_distribution_rows("待ち", report.waits),
            *_distribution_rows("処理", report.service_times)]
    codes = list(report.waits)
    return [Paragraph("4. 待ち時間と処理時間（分）", styles.heading),
            _bar_chart(styles.font, codes, [[report.waits[c].p50 / 60 for c in codes],
                                            [report.waits[c].p90 / 60 for c in codes]],
                       ["待ち時間 中央値", "待ち時間 90%"]),
            styles.table(rows),
            Paragraph("5. 曜日・時間帯別の発券数", styles.heading), _heat_map(styles.font, report)]


def _access(styles: _Styles, report: UsageReport) -> list[object]:
    languages: list[list[object]] = [["言語", "利用した来庁者", "申請"]]
    for code in sorted(set(report.sessions_by_language) | set(report.submissions_by_language)):
        languages.append([code, report.sessions_by_language[code],
                          report.submissions_by_language[code]])
    translation = sum(report.translation_uses.values())
    rows: list[list[object]] = [["項目", "値"],
            ["字幕（音声認識）を表示した時間（分）", _min(report.captions_seconds)]]
    rows += [[f"　うち 来庁者の言語 {code}", _min(seconds)]
             for code, seconds in sorted(report.captions_by_language.items())]
    rows.append(["機械翻訳した発話（行）", translation])
    rows += [[f"　うち {source}→{target}", n]
             for (source, target), n in sorted(report.translation_uses.items())]
    talks: list[list[object]] = [["来庁者の言語", "記録（端末別）", "字幕（行）", "入力（行）",
                                  "定型文（行）", "機械翻訳（行）"]]
    for code, figures in sorted(report.conversations.items()):
        talks.append([code, figures.records, figures.captions, figures.typed, figures.phrases,
                      figures.translated])
    note = ("字幕の時間は職員の端末で音声認識の字幕を動かしていた時間、機械翻訳は各端末の翻訳"
            "モデルが訳した行数です（定型文は人が訳した文のため含みません）。各端末は自分が行った"
            "分だけを記録するため、重複して数えていません。「記録（端末別）」は会話を消去した"
            "ときの記録の数（端末ごとに1件）で、来庁者数ではありません。")
    return [Paragraph("6. 言語・字幕・翻訳", styles.heading), styles.table(languages),
            Spacer(1, 3 * mm), styles.table(rows), Spacer(1, 3 * mm), styles.table(talks),
            Paragraph(note, styles.body)]


def _paper_and_cards(styles: _Styles, report: UsageReport) -> list[object]:
    months = report.months
    pages = [sum(n for (_, m), n in report.pages.items() if m == month) for month in months]
    ok, failed = report.card_reads[True], report.card_reads[False]
    card: list[list[object]] = [["項目", "値"], ["カード読取 成功", ok], ["カード読取 失敗", failed],
            ["成功率", _pct(ok, ok + failed)], ["印刷の失敗", report.print_failures]]
    card += [[f"失敗理由 {reason}", n] for reason, n in sorted(report.card_failures.items())]
    with_card = sum(n for (_, has), n in report.certificates.items() if has)
    total = sum(report.certificates.values())
    store: list[list[object]] = [["項目", "値"], ["窓口で申請された証明書", total],
             ["うちカード所持者（コンビニ交付が可能だったもの）", with_card],
             ["割合", _pct(with_card, total)],
             ["計画目標（令和10年度末）", f"コンビニ交付 {CONVENIENCE_TARGET_PCT:.0f} %"]]
    return [Paragraph("7. 印刷枚数（目標：用紙購入量を半減）", styles.heading),
            _bar_chart(styles.font, [m[2:] for m in months], [pages], ["印刷枚数"]),
            Paragraph(f"期間計 {sum(pages):,} 枚", styles.body),
            Paragraph("8. マイナンバーカードの読取", styles.heading), styles.table(card),
            Paragraph("9. コンビニ交付へ移行できる証明書", styles.heading), styles.table(store)]


def render_usage_report(report: UsageReport, out: Path) -> None:
    """Write ``report`` as an A4 PDF to ``out``."""
    chain = receipt_chain()
    styles = _Styles(chain.primary)
    title = f"書かない・待たない窓口 効果検証報告 {report.first.isoformat()}〜{report.last.isoformat()}"
    document = SimpleDocTemplate(str(out), pagesize=A4, title=title, leftMargin=20 * mm,
                                 rightMargin=20 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                                 initialFontName=chain.primary, initialFontSize=10)
    story: list[object] = [
        Paragraph(title, styles.title),
        Paragraph(f"端末 {len(report.devices)} 台、記録 {report.records:,} 件。個人情報は含みません"
                  "（件数と時間のみ）。", styles.body),
    ]
    for section in (_visits, _procedures, _times, _access, _paper_and_cards):
        story.extend(section(styles, report))
    document.build(story)
