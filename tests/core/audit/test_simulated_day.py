"""A full simulated day: the log verifies, the report matches the store, nothing personal leaks."""

from __future__ import annotations

import csv
import io
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.audit import build_report, export_csv, form_infos, iter_records, verify_directory
from kiosk.cli import main
from kiosk.storage.figures import figures

from .conftest import person_data


@pytest.fixture(scope="module")
def report(simulated_day):
    return build_report(iter_records(simulated_day.log_dir), simulated_day.day,
                        simulated_day.day, form_infos(simulated_day.services.forms))


@pytest.fixture(scope="module")
def report_dir(simulated_day, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    code = main(["audit", "report", "--from", "2026-04-01", "--to", "2026-04-30",
                 "--out", str(out), "--dir", str(simulated_day.log_dir)])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def store_figures(simulated_day):
    return figures(simulated_day.services.storage.engine, simulated_day.day, simulated_day.day)


def test_simulated_day__log__verifies_without_finding(simulated_day):
    result = verify_directory(simulated_day.log_dir)

    assert result.findings == []
    assert result.records > 1000


def test_simulated_day__cli_verify__exits_zero(simulated_day, capsys):
    assert main(["audit", "verify", str(simulated_day.log_dir)]) == 0
    assert "OK" in capsys.readouterr().out


def test_report__tickets_per_service__match_store(report, store_figures):
    per_service = Counter[str]()
    for (service, _month), count in report.tickets.items():
        per_service[service] += count

    assert dict(per_service) == store_figures.tickets_issued


@pytest.mark.parametrize("measure", ["wait", "service"])
def test_report__mean_times_per_service__match_store(report, store_figures, measure):
    mine = report.waits if measure == "wait" else report.service_times
    theirs = (store_figures.mean_wait_seconds if measure == "wait"
              else store_figures.mean_service_seconds)

    assert set(mine) == set(theirs)
    for service, distribution in mine.items():
        assert distribution.mean == pytest.approx(theirs[service], abs=0.01), service


def test_report__applications_per_form__match_store_and_harness(report, simulated_day):
    # The store dates applications by their UTC submission time (the morning of a JST day
    # is the previous UTC day), so its range is widened by a day on each side.
    store_figures = figures(simulated_day.services.storage.engine,
                            simulated_day.day - timedelta(days=1),
                            simulated_day.day + timedelta(days=1))
    mine = Counter[str]()
    for (form, _month), count in report.applications.items():
        mine[form] += count
    theirs = Counter[str]()
    for (form, _language, _status), count in store_figures.applications.items():
        theirs[form] += count

    assert mine == theirs == simulated_day.tally.applications


def test_report__card_and_writing_free__match_harness(report, simulated_day):
    tally = simulated_day.tally

    assert (report.card_reads[True], report.card_reads[False]) == (tally.card_ok,
                                                                   tally.card_failed)
    assert sum(report.writing_free_card.values()) == len(tally.tickets_with_card)
    assert sum(report.writing_free_no_card.values()) == len(tally.tickets_without_card)
    assert sum(report.visits.values()) == sum(tally.tickets.values())


def test_report__paper_captions_translation__match_harness(report, simulated_day):
    tally = simulated_day.tally

    assert sum(report.pages.values()) == report.pages[("slip", "2026-04")] == tally.pages
    assert tally.print_failures > 0
    # The slips that jammed (the queue recorded them), and the one form print of the day.
    assert report.print_failures == tally.print_failures + 1
    assert tally.captioned_visits > 0
    assert report.captions_seconds == pytest.approx(tally.captions_seconds)
    assert report.translation_uses == tally.translations
    assert sum(report.translation_uses.values()) == tally.translation_utterances > 0


def test_report__machine_translated_lines__same_in_conversations_and_translation(report):
    per_language = sum(figures.translated for figures in report.conversations.values())

    assert per_language == sum(report.translation_uses.values())


def test_log__captions_and_translation__name_a_visit_of_the_day(simulated_day):
    records = list(iter_records(simulated_day.log_dir))
    visits = {r.data["session"] for r in records if r.kind == "session.started"}
    named = [r.data["session"] for r in records if r.kind in ("captions.used", "translation.used")]

    assert named
    assert set(named) <= visits


def test_report__certificates__count_card_holders_separately(report, simulated_day):
    certificate_forms = {f.id for f in simulated_day.services.forms.forms.values() if f.certificate}
    expected = sum(n for form, n in simulated_day.tally.applications.items()
                   if form in certificate_forms)

    assert sum(report.certificates.values()) == expected
    assert 0 < sum(n for (_f, card), n in report.certificates.items() if card) < expected


def test_report__fields__avoided_is_paper_minus_typed(report):
    total = report.total_fields

    assert total.avoided_fields == total.paper_fields - total.typed > 0
    assert total.card > 0


def test_report_cli__writes_pdf_and_csvs(report_dir):
    names = {path.name for path in report_dir.iterdir()}

    assert "opendata_monthly.csv" in names
    assert "waiting_and_service_times.csv" in names
    assert any(name.endswith(".pdf") for name in names)


def test_open_data__every_count_cell__describes_five_or_more(report_dir):
    with (report_dir / "opendata_monthly.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))

    assert rows
    for row in rows:
        for column in ("visits_or_applications", "writing_free_with_card",
                       "writing_free_without_card", "certificates_by_card_holders"):
            value = row[column]
            assert value in ("", "x") or int(value) == 0 or int(value) >= 5, (column, row)


@pytest.fixture(scope="module")
def all_texts(simulated_day, report_dir):
    return _texts(simulated_day, report_dir)


def _texts(simulated_day, report_dir: Path) -> list[tuple[str, str]]:
    texts = [(path.name, path.read_text(encoding="utf-8"))
             for path in sorted(simulated_day.log_dir.rglob("*")) if path.is_file()]
    texts += [(path.name, path.read_text(encoding="utf-8-sig"))
              for path in sorted(report_dir.glob("*.csv"))]
    buffer = io.StringIO()
    export_csv(simulated_day.log_dir, None, None, buffer)
    texts.append(("export.csv", buffer.getvalue()))
    for pdf in report_dir.glob("*.pdf"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "効果検証" in text      # the text layer is readable, so the scan means something
        texts.append((pdf.name, text))
    return texts


@pytest.mark.parametrize("datum", person_data())
def test_outputs__personal_datum__appears_nowhere(all_texts, datum):
    leaks = [name for name, text in all_texts if datum in text]

    assert leaks == []
