"""The yearly effect-verification report (効果検証報告) as an A4 PDF with charts.

Every string is drawn with the receipt font chain (BIZ UD Gothic first): TrueType only, so
the PDF prints on a machine without any Japanese font. Charts are reportlab.graphics
drawings whose labels use the same font (reportlab's default Helvetica is never embedded).
The report holds counts and durations only, as :class:`kiosk.audit.report.UsageReport` does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from devices.printer.font_chain import receipt_chain
from devices.printer.report_payments import fees_section
from kiosk.audit.report import WAIT_BUCKETS_MIN, Distribution, UsageReport
from kiosk.audit.report_csv import reservation_rows

__all__ = ["render_usage_report"]

_WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")
_HOURS = range(8, 19)
_WIDTH = 170 * mm
# The plan's targets (登米市DX推進計画, revised 2026-03).
CONVENIENCE_TARGET_PCT = 30.0
NO_DATA = "データなし（この期間の記録はありません）"

# Codes of the usage log as the report's reader says them; an unknown code prints as その他.
_LANGUAGES = {
    "ja": "日本語", "ja@easy": "やさしい日本語", "en": "英語", "vi": "ベトナム語",
    "zh_Hans": "中国語（簡体字）", "zh-Hans": "中国語（簡体字）", "ne": "ネパール語",
    "id": "インドネシア語", "tl": "タガログ語", "ko": "韓国語", "th": "タイ語", "pt": "ポルトガル語",
    "es": "スペイン語",
}
_CARD_REASONS = {
    "no_card": "カードが置かれていない", "no_reader": "カードリーダーがない",
    "reader_lost": "カードリーダーとの接続が切れた", "card_removed": "読取中にカードが外された",
    "card_busy": "カードが他で使用中", "not_my_number_card": "マイナンバーカードではない",
    "pin_format": "暗証番号の桁が違う", "wrong_pin": "暗証番号の誤り",
    "pin_locked": "暗証番号がロックされている", "card_data": "カードのデータを読めない",
    "card_integrity": "カードのデータの検証に失敗", "card_protocol": "カードとの通信の誤り",
    "my_number_not_allowed": "個人番号の読取が許可されていない", "device": "機器の不具合",
    "card": "カードの不具合", "unknown": "不明",
}
_ACTIONS = {"approved": "承認", "returned": "来庁者に差し戻し", "finished": "完了"}
_RETURN_REASONS = {
    "missing_information": "記入が足りない", "document_needed": "書類が必要",
    "other_counter": "別の窓口の手続", "records_mismatch": "記録と一致しない",
}


def language_label(code: str) -> str:
    """A language code as the report prints it (``vi`` -> ベトナム語)."""
    return _LANGUAGES.get(code, "その他の言語")


def reason_label(code: str) -> str:
    """A card failure code (``wrong_pin_error`` or ``wrong_pin``) as the report prints it."""
    return _CARD_REASONS.get(code.removesuffix("_error"), "その他")


def month_label(month: str, first: bool = False) -> str:
    """``2026-12`` as ``12月``; with the year on the first bar and on January."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year}年{number}月" if first or number == 1 else f"{number}月"


def period_label(first: date, last: date) -> str:
    """The period on the cover: a fiscal year (年度) by its name, else the two days."""
    days = f"{first.year}年{first.month}月{first.day}日〜{last.year}年{last.month}月{last.day}日"
    if (first.month, first.day, last.month, last.day) == (4, 1, 3, 31) and \
            last.year == first.year + 1:
        return f"{first.year}年度（令和{first.year - 2018}年度）: {days}"
    return days


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        # wordWrap CJK: Japanese line breaking, so no line starts with 。 or ends with （.
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6,
                                    wordWrap="CJK")
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16,
                                      spaceBefore=10, spaceAfter=4, wordWrap="CJK",
                                      keepWithNext=1)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13,
                                   wordWrap="CJK")

    def section(self, title: str, *flowables: Flowable) -> list[Flowable]:
        """A heading kept on the page of what follows it (never alone at a page's foot)."""
        first, *rest = flowables
        return [KeepTogether([Paragraph(title, self.heading), first]), *rest]

    def text(self, text: str) -> Paragraph:
        """A body paragraph broken by Japanese rules (see :func:`japanese_lines`)."""
        lines = japanese_lines(text, self.font, self.body.fontSize, _WIDTH - 14)
        return Paragraph("<br/>".join(escape(line) for line in lines), self.body)

    def table_or_none(self, rows: Sequence[Sequence[object]]) -> Flowable:
        """The table, or "no data" when it has only its header."""
        return self.table(rows) if len(rows) > 1 else Paragraph(NO_DATA, self.body)

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


_CANNOT_START = set(ALL_CANNOT_START)
_CANNOT_END = set(ALL_CANNOT_END)
_TOKEN = re.compile(r"[!-~]+|\s|.")         # an ASCII word stays whole; any other char alone


def japanese_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` points by Japanese rules (禁則処理):
    no line starts with 。、）」 and the like, none ends with （「; ASCII words are not cut.

    reportlab's own CJK wrapping keeps only the first rule, so the report breaks its
    paragraphs itself.
    """
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in _TOKEN.findall(text):
        advance = stringWidth(token, font, size)
        if lines[-1] and used + advance > width and not token.isspace():
            lines.append([])
            used = 0.0
        lines[-1].append(token)
        used += advance
    for index in range(1, len(lines)):
        previous, line = lines[index - 1], lines[index]
        # Push characters down (追い出し) until the break is allowed on both sides.
        while len(previous) > 1 and line and (line[0] in _CANNOT_START or
                                               previous[-1] in _CANNOT_END):
            line.insert(0, previous.pop())
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


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


def _visits(styles: _Styles, report: UsageReport) -> list[Flowable]:
    months = report.months
    card = [report.writing_free_card[m] for m in months]
    no_card = [report.writing_free_no_card[m] for m in months]
    visits = [report.visits[m] for m in months]
    rows: list[list[object]] = [
        ["月", "来庁（件）", "書かない：カード", "書かない：カードなし", "書かない割合"]]
    rows += [[month_label(m, True), v, c, n, _pct(c + n, v)]
             for m, v, c, n in zip(months, visits, card, no_card, strict=True)]
    rows.append(["計", sum(visits), sum(card), sum(no_card),
                 _pct(sum(card) + sum(no_card), sum(visits))])
    if not months:
        return styles.section("1. 来庁と書かない窓口の利用", Paragraph(NO_DATA, styles.body))
    return styles.section(
        "1. 来庁と書かない窓口の利用",
        _bar_chart(styles.font, _month_labels(months), [visits, card, no_card],
                   ["来庁", "書かない（カード）", "書かない（カードなし）"]),
        styles.table(rows))


def _month_labels(months: Sequence[str]) -> list[str]:
    return [month_label(month, index == 0) for index, month in enumerate(months)]


def _procedures(styles: _Styles, report: UsageReport) -> list[Flowable]:
    totals: dict[str, int] = {}
    for (form, _month), count in report.applications.items():
        totals[form] = totals.get(form, 0) + count
    rows: list[list[object]] = [["手続", "申請（件）"]]
    rows += [[report.titles.get(form, form), n] for form, n in sorted(totals.items())]
    fields = report.total_fields
    avoided: list[list[object]] = [["項目", "値"],
               ["申請件数", fields.submissions], ["紙の様式の記入欄（延べ）", fields.paper_fields],
               ["タブレットで入力した欄", fields.typed], ["カードから転記した欄", fields.card],
               ["来庁者がカードの値を直した欄", fields.corrected],
               ["職員が修正した欄（承認した申請）", report.clerk_corrected_fields],
               ["手書きしなかった欄", fields.avoided_fields],
               ["手書きしなかった文字数（推計）", f"{round(fields.avoided_chars):,}"],
               ["基幹システムへデータで引き渡した欄（再入力不要、12.）",
                f"{report.fields_handed_on:,}"]]
    actions: list[list[object]] = [["職員の処理", "件数"]]
    actions += [[_ACTIONS.get(code, "その他"), n] for code, n in sorted(report.clerk_actions.items())]
    actions += [[f"　差し戻しの理由：{_RETURN_REASONS.get(code, 'その他')}", n]
                for code, n in sorted(report.return_reasons.items())]
    return [*styles.section("2. 手続別の申請件数", styles.table_or_none(rows)),
            *styles.section("3. 手書きの削減と職員の確認", styles.table(avoided),
                            Spacer(1, 3 * mm), styles.table_or_none(actions))]


def _distribution_rows(label: str, figures: dict[str, Distribution]) -> list[list[object]]:
    return [[label, code, d.count, _min(d.mean), _min(d.p50), _min(d.p90), _min(d.maximum),
             *d.buckets] for code, d in figures.items()]


def _times(styles: _Styles, report: UsageReport) -> list[Flowable]:
    header: list[object] = ["区分", "業務", "件数", "平均(分)", "中央値", "90%", "最大",
              *[f"<{edge}分" for edge in WAIT_BUCKETS_MIN], f"{WAIT_BUCKETS_MIN[-1]}分以上"]
    rows: list[list[object]] = [header, *_distribution_rows("待ち", report.waits),
            *_distribution_rows("処理", report.service_times)]
    codes = list(report.waits)
    times: list[Flowable] = [Paragraph(NO_DATA, styles.body)]
    if codes:
        times = [_bar_chart(styles.font, [f"業務 {c}" for c in codes],
                            [[report.waits[c].p50 / 60 for c in codes],
                             [report.waits[c].p90 / 60 for c in codes]],
                            ["待ち時間 中央値", "待ち時間 90%"]), styles.table_or_none(rows)]
    return [*styles.section("4. 待ち時間と処理時間（分）", *times),
            *styles.section("5. 曜日・時間帯別の発券数", _heat_map(styles.font, report))]


def _access(styles: _Styles, report: UsageReport) -> list[Flowable]:
    languages: list[list[object]] = [["言語", "来庁者（画面を終えた言語）", "申請"]]
    for code in sorted(set(report.sessions_by_language) | set(report.submissions_by_language)):
        languages.append([language_label(code), report.sessions_by_language[code],
                          report.submissions_by_language[code]])
    translation = sum(report.translation_uses.values())
    rows: list[list[object]] = [["項目", "値"],
            ["字幕（音声認識）を表示した時間（分）", _min(report.captions_seconds)]]
    rows += [[f"　うち 来庁者の言語 {language_label(code)}", _min(seconds)]
             for code, seconds in sorted(report.captions_by_language.items())]
    rows.append(["機械翻訳した発話（行）", translation])
    rows += [[f"　うち {language_label(source)}→{language_label(target)}", n]
             for (source, target), n in sorted(report.translation_uses.items())]
    talks: list[list[object]] = [["来庁者の言語", "記録（端末別）", "字幕（行）", "入力（行）",
                                  "定型文（行）", "機械翻訳（行）"]]
    for code, figures in sorted(report.conversations.items()):
        talks.append([language_label(code), figures.records, figures.captions, figures.typed, figures.phrases,
                      figures.translated])
    note = ("字幕の時間は職員の端末で音声認識の字幕を動かしていた時間、機械翻訳は各端末の翻訳"
            "モデルが訳した行数です（定型文は人が訳した文のため含みません）。各端末は自分が行った"
            "分だけを記録するため、重複して数えていません。「記録（端末別）」は会話を消去した"
            "ときの記録の数（端末ごとに1件）で、来庁者数ではありません。")
    return styles.section("6. 言語・字幕・翻訳", styles.table_or_none(languages),
                          Spacer(1, 3 * mm), styles.table(rows), Spacer(1, 3 * mm),
                          styles.table_or_none(talks), styles.text(note))


def _paper_and_cards(styles: _Styles, report: UsageReport) -> list[Flowable]:
    months = report.months
    pages = [sum(n for (_, m), n in report.pages.items() if m == month) for month in months]
    ok, failed = report.card_reads[True], report.card_reads[False]
    card: list[list[object]] = [["項目", "値"], ["カード読取 成功", ok], ["カード読取 失敗", failed],
            ["成功率", _pct(ok, ok + failed)], ["印刷の失敗", report.print_failures]]
    reasons: dict[str, int] = {}
    for code, n in report.card_failures.items():
        reasons[reason_label(code)] = reasons.get(reason_label(code), 0) + n
    card += [[f"失敗理由：{label}", n] for label, n in sorted(reasons.items())]
    with_card = sum(n for (_, has), n in report.certificates.items() if has)
    total = sum(report.certificates.values())
    store: list[list[object]] = [["項目", "値"], ["窓口で申請された証明書", total],
             ["うちカード所持者（コンビニ交付が可能だったもの）", with_card],
             ["割合", _pct(with_card, total)],
             ["計画目標（令和10年度末）", f"コンビニ交付 {CONVENIENCE_TARGET_PCT:.0f} %"]]
    paper: list[Flowable] = [Paragraph(NO_DATA, styles.body)]
    if months:
        paper = [_bar_chart(styles.font, _month_labels(months), [pages], ["印刷枚数"]),
                 Paragraph(f"期間計 {sum(pages):,} 枚", styles.body),
                 Paragraph("電子申請（署名付きPDF）で印刷しなかった枚数 "
                           f"{sum(report.pages_not_printed.values()):,} 枚", styles.body)]
    return [*styles.section("7. 印刷枚数（目標：用紙購入量を半減）", *paper),
            *styles.section("8. マイナンバーカードの読取", styles.table(card)),
            *styles.section("9. コンビニ交付へ移行できる証明書", styles.table(store))]


def _seals(styles: _Styles, report: UsageReport) -> list[Flowable]:
    rows: list[list[object]] = [["端末", "最後の封印の日時", "エポック", "ファイル：行", "封印（先頭16桁）"]]
    rows += [[device, ts[:19].replace("T", " "), epoch, f"{name}：{line}", mac[:16]]
             for device, (ts, epoch, name, line, mac) in sorted(report.last_seals.items())]
    note = ("各端末の利用記録は一定時間ごとに封印され、封印の鍵はその都度更新されて古い鍵は消去"
            "されます。監査担当者は、設置時に受け取った検証鍵で kiosk audit verify --key を実行"
            "し、ここに示す最後の封印が記録とデータベースに残っていることを確かめてください。")
    return styles.section("10. 利用記録の封印（改ざんの検知）", styles.table_or_none(rows),
                          styles.text(note))


def _handed_on(styles: _Styles, report: UsageReport) -> list[Flowable]:
    systems: dict[str, tuple[int, int]] = {}
    for (system, _form), n in report.handed_on.items():
        count, fields = systems.get(system, (0, 0))
        systems[system] = (count + n, fields + report.handed_on_fields[(system, _form)])
    names = {code: report.system_titles.get(code, code) for code in systems}
    rows: list[list[object]] = [["基幹システム", "引き渡した申請（件）", "再入力しなかった欄"]]
    rows += [[names[code], count, f"{fields:,}"]
             for code, (count, fields) in sorted(systems.items())]
    if systems:
        rows.append(["計", sum(c for c, _ in systems.values()), f"{report.fields_handed_on:,}"])
    detail: list[list[object]] = [["基幹システム", "手続", "件数", "欄"]]
    detail += [[names[system], report.titles.get(form, form), n,
                report.handed_on_fields[(system, form)]]
               for (system, form), n in sorted(report.handed_on.items())]
    chart: list[Flowable] = []
    if systems:
        codes = sorted(systems)
        chart = [_bar_chart(styles.font, [names[c][:8] for c in codes],
                            [[systems[c][1] for c in codes]], ["再入力しなかった欄"])]
    note = ("承認した申請を、各基幹システム（住民記録、国保、介護など）が取り込むデータ（JSON・CSV）"
            "として引き渡した件数と、その中の値の入った欄の数です。これらの欄は職員が紙から基幹"
            "システムへ入力し直す必要がありません。1件の申請は1つの基幹システムに1回だけ数えます。")
    return styles.section("12. 基幹システムへのデータ引き渡し（再入力の削減）", *chart,
                          styles.table_or_none(rows), Spacer(1, 3 * mm),
                          styles.table_or_none(detail), styles.text(note))


def _reservations(styles: _Styles, report: UsageReport) -> list[Flowable]:
    # Only for a city that takes reservations: the other reports keep their ten sections.
    if not report.reservations:
        return []
    rows: list[list[object]] = [["業務", "予約中", "取消し", "受付済み", "無断不来庁", "うち対応済み"]]
    rows += reservation_rows(report)
    note = ("ウェブで予約された件数を、期間末の状態で数えています。「無断不来庁」は開始時刻から"
            "猶予時間までに受付されず枠を解放した予約、「うち対応済み」は受付済みのうち窓口で"
            "処理を終えた予約です。")
    return styles.section("13. 予約", styles.table(rows), styles.text(note))


def render_usage_report(report: UsageReport, out: Path) -> None:
    """Write ``report`` as an A4 PDF to ``out``."""
    chain = receipt_chain()
    styles = _Styles(chain.primary)
    title = "書かない・待たない窓口 効果検証報告"
    document = SimpleDocTemplate(str(out), pagesize=A4, title=title, leftMargin=20 * mm,
                                 rightMargin=20 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                                 initialFontName=chain.primary, initialFontSize=10)
    story: list[Flowable] = [
        Paragraph(title, styles.title),
        Paragraph(f"対象期間 {period_label(report.first, report.last)}", styles.heading),
        styles.text(f"端末 {len(report.devices)} 台、記録 {report.records:,} 件。個人情報は含みません"
                    "（件数と時間のみ）。"),
    ]
    for section in (_visits, _procedures, _times, _access, _paper_and_cards, _seals,
                    fees_section, _handed_on, _reservations):
        story.extend(section(styles, report))
    document.build(story)
