"""Every figure of the yearly report against the store, and the PDF as its reader sees it.

A smaller simulated day (sealed, with clerks who correct, approve, finish and return
applications, and a visitor who switches language twice) is reported by the CLI for fiscal
2026; the figures are compared with the database's own rows, and the PDF's text with them.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from devices.printer.report_render import NO_DATA, render_usage_report
from kiosk.audit import LanguageChosen, SessionEnded, SessionStarted, build_report, form_infos, iter_records
from kiosk.audit.report import WAIT_BUCKETS_MIN, Distribution
from kiosk.audit.sealing import KEY_FILE, SealingKey
from kiosk.cli import main
from kiosk.domain.staff import Role
from kiosk.services.staff import StaffService
from kiosk.storage.engine import transaction
from kiosk.storage.figures import figures
from kiosk.storage.schema import application_corrections, application_events, applications

from .conftest import DAY, JST, simulate_day

VISITS = 60
CORRECTED, RETURNED = 5, 2


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("reviewed-day")
    SealingKey.create(data_dir / "audit" / "tablet-01" / KEY_FILE, "tablet-01",
                      datetime(DAY.year, DAY.month, DAY.day, 8, 0, tzinfo=JST), 300)
    simulated = simulate_day(data_dir, visits=VISITS, seed=5)
    services = simulated.services
    staff = StaffService(services.storage.staff).add("clerk-a", "A", Role.CLERK, "pw-1234567890")
    with transaction(services.storage.engine) as connection:
        ids = [row.id for row in connection.execute(
            select(applications.c.id).where(applications.c.form_id == "juminhyo")
            .order_by(applications.c.id))]
    for application_id in ids[:CORRECTED]:
        review = services.review.open(application_id, staff)
        review.edit("copies", 3, reason="窓口で確認")
        review.approve()
    for application_id in ids[CORRECTED:CORRECTED + RETURNED]:
        services.review.open(application_id, staff).send_back("document_needed")
    usage = services.usage
    usage.record(SessionStarted("switcher0000000", "ja"))      # one visit, two switches
    usage.record(LanguageChosen("switcher0000000", "en"))
    usage.record(LanguageChosen("switcher0000000", "vi"))
    usage.record(SessionEnded("switcher0000000", "done", 30.0))
    usage.close()                                    # type: ignore[attr-defined]
    yield simulated
    services.close()


@pytest.fixture(scope="module")
def report(day):
    return build_report(iter_records(day.log_dir), day.day, day.day,
                        form_infos(day.services.forms))


@pytest.fixture(scope="module")
def pdf_text(day, tmp_path_factory):
    out = tmp_path_factory.mktemp("fy-report")
    assert main(["audit", "report", "--year", "2026", "--out", str(out),
                 "--dir", str(day.log_dir)]) == 0
    pdf = next(out.glob("*.pdf"))
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def store(day):
    return figures(day.services.storage.engine, day.day - timedelta(days=1),
                   day.day + timedelta(days=1))


def _line(text: str, label: str) -> str:
    found = [line for line in text.splitlines() if label in line]
    assert found, label
    return found[0]


def _numbers(line: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", line)


# ------------------------------------------------------------------ figures against the store
def test_report_figures__tickets_visits_applications_languages__equal_the_store(report, store):
    tickets = Counter[str]()
    for (service, _month), n in report.tickets.items():
        tickets[service] += n
    forms, languages = Counter[str](), Counter[str]()
    for (form, language, _status), n in store.applications.items():
        forms[form] += n
        languages[language] += n
    mine_forms = Counter[str]()
    for (form, _month), n in report.applications.items():
        mine_forms[form] += n

    assert dict(tickets) == store.tickets_issued
    assert sum(report.visits.values()) == sum(store.tickets_issued.values())
    assert mine_forms == forms
    assert report.submissions_by_language == languages
    for service, distribution in report.waits.items():
        assert distribution.mean == pytest.approx(store.mean_wait_seconds[service], abs=0.01)
    for service, distribution in report.service_times.items():
        assert distribution.mean == pytest.approx(store.mean_service_seconds[service], abs=0.01)


def test_report_figures__clerk_corrections_and_actions__equal_the_store(report, day):
    with transaction(day.services.storage.engine) as connection:
        corrected = connection.execute(select(func.count()).select_from(
            select(application_corrections.c.application_id, application_corrections.c.field_id)
            .distinct().subquery())).scalar_one()
        moves = Counter(row.to_status for row in connection.execute(
            select(application_events.c.to_status)))

    assert report.clerk_corrected_fields == corrected == CORRECTED
    assert report.clerk_actions["approved"] == moves["approved"] == CORRECTED
    assert report.clerk_actions["returned"] == moves["returned"] == RETURNED
    assert report.return_reasons == Counter({"document_needed": RETURNED})


def test_report_figures__sessions_by_language__one_per_visit_in_its_last_language(report, day):
    started = {r.data["session"] for r in iter_records(day.log_dir)
               if r.kind == "session.started"}

    assert sum(report.sessions_by_language.values()) == len(started) == VISITS + 1
    assert report.sessions_by_language["en"] == sum(  # the switcher counts for vi, not en
        1 for r in iter_records(day.log_dir) if r.kind == "session.language"
        and r.data["language"] == "en" and r.data["session"] != "switcher0000000")


# ------------------------------------------------------------------ the PDF shows them
def test_report_pdf__figures__printed_in_their_rows(report, store, pdf_text):
    total_visits = sum(store.tickets_issued.values())
    per_form = Counter[str]()
    for (form, _language, _status), n in store.applications.items():
        per_form[form] += n

    assert str(total_visits) in _numbers(_line(pdf_text, "計 "))
    for form, n in per_form.items():
        assert str(n) in _numbers(_line(pdf_text, report.titles[form])), form
    assert _numbers(_line(pdf_text, "職員が修正した欄"))[-1] == str(CORRECTED)
    assert _numbers(_line(pdf_text, "承認 "))[-1] == str(CORRECTED)
    assert _numbers(_line(pdf_text, "来庁者に差し戻し"))[-1] == str(RETURNED)
    assert _numbers(_line(pdf_text, "ベトナム語"))[0] == str(report.sessions_by_language["vi"])
    ok, failed = report.card_reads[True], report.card_reads[False]
    assert _numbers(_line(pdf_text, "カード読取 成功"))[-1] == str(ok)
    assert _numbers(_line(pdf_text, "カード読取 失敗"))[-1] == str(failed)


def test_report_pdf__fiscal_year__named_on_the_cover(pdf_text):
    cover = pdf_text.split("\f")[0]

    assert "2026年度（令和8年度）" in cover
    assert "2026年4月1日〜2027年3月31日" in cover


def test_report_pdf__last_seal_of_the_device__printed(report, pdf_text):
    _ts, epoch, _file, _line_no, mac = report.last_seals["tablet-01"]

    assert mac[:16] in _line(pdf_text, "tablet-01")
    assert str(epoch) in _numbers(_line(pdf_text, "tablet-01"))


def test_report_pdf__text__no_raw_codes_and_month_axis_in_japanese(pdf_text):
    assert re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", pdf_text) == []     # wrong_pin_error, zh_Hans
    assert "zh_Hans" not in pdf_text
    assert re.findall(r"(?<![\d-])\d\d-\d\d(?![\d-])", pdf_text) == []    # not "26-04"
    assert "2026年4月" in pdf_text


def test_report_pdf__paragraphs__japanese_line_breaking(day, tmp_path, report):
    pdf = tmp_path / "report.pdf"
    render_usage_report(report, pdf)
    plain = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    lines = [line.strip() for line in plain.splitlines() if line.strip()]

    assert [line for line in lines if line[0] in "。、）」"] == []
    assert [line for line in lines if line[-1] in "（「"] == []


def test_report_pdf__headings__never_last_on_a_page(pdf_text):
    for number, page in enumerate(pdf_text.split("\f")[:-1], 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert not re.match(r"\d+\. ", lines[-1]), (number, lines[-1])


def test_report_pdf__empty_period__says_no_data_instead_of_empty_tables(tmp_path, day):
    empty = build_report([], date(2025, 4, 1), date(2026, 3, 31), form_infos(day.services.forms))
    render_usage_report(empty, tmp_path / "empty.pdf")
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "empty.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout

    assert text.count(NO_DATA) >= 5
    assert "来庁者の言語" not in text         # the conversations table is not printed empty
    assert "2025年度（令和7年度）" in text


def test_report_pdf__card_failure_reasons__named_in_japanese(report, pdf_text):
    assert set(report.card_failures) == {"not_my_number_card_error", "pin_locked_error"}
    assert _numbers(_line(pdf_text, "マイナンバーカードではない"))[-1] == str(
        report.card_failures["not_my_number_card_error"])
    assert _numbers(_line(pdf_text, "暗証番号がロックされている"))[-1] == str(
        report.card_failures["pin_locked_error"])
    assert "失敗理由：その他" not in pdf_text


# ------------------------------------------------------------------ the report's fast path
def test_build_report__read_by_files__same_figures_as_record_by_record(report, day):
    # iter_records hands build_report whole files of dicts; any other iterable of LogRecord
    # goes record by record. Both ways must give every figure alike.
    records = list(iter_records(day.log_dir))
    one_by_one = build_report(iter(records), day.day, day.day, form_infos(day.services.forms))

    assert one_by_one == report
    assert report.records == len(records) > VISITS
    assert report.last_seals


def test_distribution__values_on_the_bucket_edges__counted_in_the_bucket_above():
    # A value whose minutes equal an edge belongs to the next bucket up (minutes < edge).
    values = [0.0, 299.9, 300.0, 300.1, 599.99, 600.0, 1800.0, 3599.0, 3600.0, 9000.0]

    distribution = Distribution.of(values)

    assert distribution.buckets == (2, 3, 1, 0, 2, 2)
    assert sum(distribution.buckets) == distribution.count == len(values)
    assert Distribution.of([]).buckets == (0,) * (len(WAIT_BUCKETS_MIN) + 1)
