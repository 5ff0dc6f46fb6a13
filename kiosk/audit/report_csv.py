"""The report's CSV files, and the open-data file that never describes fewer than 5 visits.

Open data (オープンデータ): one row per month and procedure plus a row for all procedures.
Any count from 1 to 4, and any figure computed over fewer than 5 visits or tickets, is
replaced by ``x`` (the suppression mark of Japanese official statistics), so no cell can point
at one or two citizens. Secondary suppression (recovering a cell from totals) is not applied:
rows of a month do not add up to the total row because procedures overlap within a visit.

``captions_minutes`` is the time live captions ran at the clerks' desks (in all and by the
visitor's language); ``translation_utterances`` the lines machine-translated (by language pair
``source>target``), phrasebook answers not included; see :mod:`kiosk.audit.report`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.audit.report import WAIT_BUCKETS_MIN, Distribution, UsageReport

__all__ = ["MIN_CELL", "OPEN_DATA_FILE", "RESERVATION_OUTCOMES", "reservation_rows",
           "write_report_csvs"]

MIN_CELL = 5
OPEN_DATA_FILE = "opendata_monthly.csv"
_WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    # UTF-8 with BOM: the spreadsheet the city's staff open it with then reads Japanese right.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else ""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def _distribution_rows(kind: str, figures: dict[str, Distribution]) -> list[list[object]]:
    return [[kind, code, d.count, _minutes(d.mean), _minutes(d.p10), _minutes(d.p50),
             _minutes(d.p90), _minutes(d.maximum), *d.buckets] for code, d in figures.items()]


def write_report_csvs(report: UsageReport, out: Path) -> list[Path]:
    """Write every CSV of the report into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    months = report.months
    files = [
        _write(out / "visits_by_month.csv",
               ["month", "visits", "writing_free_with_card", "writing_free_without_card",
                "writing_free_share_pct"],
               [[m, report.visits[m], report.writing_free_card[m], report.writing_free_no_card[m],
                 _share(report.writing_free_card[m] + report.writing_free_no_card[m],
                        report.visits[m])] for m in months]),
        _write(out / "applications_by_procedure.csv", ["month", "form", "title", "applications"],
               [[m, form, report.titles.get(form, ""), n]
                for (form, m), n in sorted(report.applications.items(), key=lambda i: i[0][::-1])]),
        _write(out / "tickets_by_service.csv", ["month", "service", "tickets"],
               [[m, s, n] for (s, m), n in sorted(report.tickets.items(), key=lambda i: i[0][::-1])]),
        _write(out / "handwriting_avoided.csv",
               ["form", "title", "submissions", "paper_fields", "typed_fields", "card_fields",
                "corrected_fields", "default_fields", "fields_not_handwritten",
                "characters_not_handwritten_estimate"],
               [[form, report.titles.get(form, ""), f.submissions, f.paper_fields, f.typed, f.card,
                 f.corrected, f.default, f.avoided_fields, round(f.avoided_chars)]
                for form, f in sorted(report.fields.items())]),
        _write(out / "waiting_and_service_times.csv",
               ["measure", "service", "tickets", "mean_min", "p10_min", "median_min", "p90_min",
                "max_min", *[f"under_{edge}_min" for edge in WAIT_BUCKETS_MIN],
                f"over_{WAIT_BUCKETS_MIN[-1]}_min"],
               _distribution_rows("wait", report.waits)
               + _distribution_rows("service", report.service_times)),
        _write(out / "tickets_by_hour.csv", ["weekday", "hour", "tickets"],
               [[_WEEKDAYS[w], h, n] for (w, h), n in sorted(report.by_hour.items())]),
        _write(out / "languages_and_accessibility.csv", ["measure", "key", "value"],
               [["sessions_by_language", k, n] for k, n in sorted(report.sessions_by_language.items())]
               + [["applications_by_language", k, n]
                  for k, n in sorted(report.submissions_by_language.items())]
               + [["captions_minutes", "all", _minutes(report.captions_seconds)]]
               + [["captions_minutes", k, _minutes(v)]
                  for k, v in sorted(report.captions_by_language.items())]
               + [["translation_utterances", f"{s}>{t}", n]
                  for (s, t), n in sorted(report.translation_uses.items())]),
        _write(out / "conversations_by_language.csv",
               ["language", "caption_lines", "typed_lines", "phrase_lines", "translated_lines"],
               [[code, c.captions, c.typed, c.phrases, c.translated]
                for code, c in sorted(report.conversations.items())]),
        _write(out / "printing_and_cards.csv", ["measure", "key", "value"],
               [["pages_printed", f"{m} {kind}", n] for (kind, m), n in sorted(report.pages.items())]
               + [["pages_not_printed", f"{m} {form}", n]
                  for (form, m), n in sorted(report.pages_not_printed.items())]
               + [["print_failures", "all", report.print_failures],
                  ["card_reads_ok", "all", report.card_reads[True]],
                  ["card_reads_failed", "all", report.card_reads[False]]]
               + [["card_failure_reason", k, n] for k, n in sorted(report.card_failures.items())]
               + [["pin_outcome", k, n] for k, n in sorted(report.pin_outcomes.items())]),
        _write(out / "certificates.csv",
               ["form", "title", "applications", "by_card_holders_convenience_store_possible",
                "share_pct"],
               [[form, report.titles.get(form, ""), report.certificates[(form, True)]
                 + report.certificates[(form, False)], report.certificates[(form, True)],
                 _share(report.certificates[(form, True)], report.certificates[(form, True)]
                        + report.certificates[(form, False)])]
                for form in sorted({f for f, _ in report.certificates})]),
        _write(out / "clerk_review.csv", ["measure", "key", "value"],
               [["applications_opened", "all", report.clerk_views],
                ["fields_corrected_by_clerks", "all", report.clerk_corrected_fields]]
               + [["action", k, n] for k, n in sorted(report.clerk_actions.items())]
               + [["return_reason", k, n] for k, n in sorted(report.return_reasons.items())]),
        _write(out / "handed_on_to_core_systems.csv",
               ["system", "form", "title", "applications", "fields_not_rekeyed"],
               [[system, form, report.titles.get(form, ""), n,
                 report.handed_on_fields[(system, form)]]
                for (system, form), n in sorted(report.handed_on.items())]),
        _write(out / "log_seals.csv", ["device", "sealed_at", "epoch", "file", "line", "mac"],
               [[device, *seal] for device, seal in sorted(report.last_seals.items())]),
        _write(out / "fees_by_method.csv", ["month", "method", "yen", "share_pct"],
               _fee_rows(report)),
    ]
    files.append(write_open_data(report, out / OPEN_DATA_FILE))
    if report.reservations:
        files.append(_write(out / "reservations.csv", ["service", *RESERVATION_OUTCOMES],
                            reservation_rows(report)))
    return files


def _fee_rows(report: UsageReport) -> list[list[object]]:
    """Fees taken per month and method, the period's totals, refunds, the cashless share."""
    rows: list[list[object]] = []
    for month in sorted({m for _, m in report.takings}):
        whole = sum(n for (_, m), n in report.takings.items() if m == month)
        rows += [[month, method, report.takings[(method, month)],
                  _share(report.takings[(method, month)], whole)]
                 for method in ("cash", "cashless")]
    totals = report.takings_by_method()
    whole = sum(totals.values())
    rows += [["all", method, totals.get(method, 0), _share(totals.get(method, 0), whole)]
             for method in ("cash", "cashless")]
    rows += [["all", f"refunds_{method}", report.refunds.get(method, 0), ""]
             for method in ("cash", "cashless")]
    return rows


RESERVATION_OUTCOMES = ("booked", "cancelled", "checked_in", "no_show", "served")


def reservation_rows(report: UsageReport) -> list[list[object]]:
    """One row per service: reservations still booked, cancelled, checked in (of which
    served), released as no-shows."""
    codes = sorted({code for code, _ in report.reservations})
    return [[code, *(report.reservations[(code, outcome)] for outcome in RESERVATION_OUTCOMES)]
            for code in codes]


def _safe(value: int) -> object:
    return "x" if 0 < value < MIN_CELL else value


def _safe_mean(distribution: Distribution | None) -> object:
    if distribution is None or distribution.count == 0:
        return ""
    return "x" if distribution.count < MIN_CELL else _minutes(distribution.mean)


OPEN_DATA_HEADER = ("month", "procedure", "visits_or_applications", "writing_free_with_card",
                    "writing_free_without_card", "mean_wait_min", "pages_printed",
                    "certificates_by_card_holders", "captions_minutes", "translation_utterances")


def write_open_data(report: UsageReport, path: Path) -> Path:
    """The monthly open-data CSV (see the module docstring for the suppression rule)."""
    rows: list[list[object]] = []
    for month in report.months:
        visits = report.visits[month]
        enough = visits >= MIN_CELL
        rows.append([
            month, "all", _safe(visits),
            _safe(report.writing_free_card[month]) if enough else "x",
            _safe(report.writing_free_no_card[month]) if enough else "x",
            _safe_mean(report.monthly_waits.get(month)) if enough else "x",
            sum(n for (_, m), n in report.pages.items() if m == month) if enough else "x",
            _safe(report.certificates_by_month[(month, True)]) if enough else "x",
            _minutes(report.captions_by_month[month]) if enough else "x",
            report.translation_by_month[month] if enough else "x",
        ])
        for (form, m), n in sorted(report.applications.items()):
            if m == month:
                rows.append([month, form, _safe(n), "", "", "", "", "", "", ""])
    return _write(path, OPEN_DATA_HEADER, rows)
