"""The yearly report's "fields handed on as data instead of re-keyed" against the store.

A simulated day's applications are approved at the clerk's desk with ``[export]`` on (the
production path: ReviewService.approve -> HandoverService -> folder spool); the report built
from the usage logs must count exactly what the store recorded, and the PDF must show it.
"""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from sqlalchemy import select

from devices.export import FolderSpool
from kiosk.audit import build_report, form_infos, iter_records
from kiosk.audit.sealing import KEY_FILE, SealingKey
from kiosk.cli import main
from kiosk.domain.staff import Role
from kiosk.handover import load_mappings
from kiosk.services.handover import HandoverService
from kiosk.services.staff import StaffService
from kiosk.storage.engine import transaction
from kiosk.storage.export_store import ExportStore
from kiosk.storage.figures import figures
from kiosk.storage.schema import applications

from .conftest import DAY, JST, simulate_day

APPROVED = 12


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("handed-on-day")
    SealingKey.create(data_dir / "audit" / "tablet-01" / KEY_FILE, "tablet-01",
                      datetime(DAY.year, DAY.month, DAY.day, 8, 0, tzinfo=JST), 300)
    simulated = simulate_day(data_dir, visits=25, seed=11)
    services = simulated.services
    store = ExportStore(services.storage.engine, services.clock)
    handover = HandoverService(store, services.storage.applications, services.review.sealer,
                               services.forms, load_mappings(),
                               FolderSpool(data_dir / "export"), services.clock, services.usage)
    services.review.handover = handover.hand_on_quietly
    staff = StaffService(services.storage.staff).add("clerk-h", "H", Role.CLERK, "pw-1234567890")
    with transaction(services.storage.engine) as connection:
        ids = [row.id for row in connection.execute(
            select(applications.c.id).order_by(applications.c.id))]
    approved = 0
    try:
        for application_id in ids:
            review = services.review.open(application_id, staff)
            if not review.session.validate():     # the simulated citizen left nothing out
                review.approve()
                approved += 1
            if approved == APPROVED:
                break
        services.usage.close()                                  # type: ignore[attr-defined]
        yield simulated, store, data_dir / "export"
    finally:
        services.close()


def test_report__fields_handed_on__equal_the_store(day):
    simulated, store, _folder = day
    report = build_report(iter_records(simulated.log_dir), simulated.day, simulated.day,
                          form_infos(simulated.services.forms))

    rows = store.handed_on(simulated.day, simulated.day)

    assert rows, "the simulated day handed nothing on"
    assert report.fields_handed_on == sum(row.fields for row in rows) > 0
    assert dict(report.handed_on) == {(r.system, r.form_id): r.applications for r in rows}
    assert dict(report.handed_on_fields) == {(r.system, r.form_id): r.fields for r in rows}


def test_report__handed_on__equal_the_store_figures(day):
    simulated, _store, _folder = day
    report = build_report(iter_records(simulated.log_dir), simulated.day, simulated.day,
                          form_infos(simulated.services.forms))

    store = figures(simulated.services.storage.engine, simulated.day, simulated.day)

    assert {key: (report.handed_on[key], report.handed_on_fields[key])
            for key in report.handed_on} == store.handed_on


def test_report__handed_on__one_manifest_per_store_row(day):
    simulated, store, folder = day

    rows = store.handed_on(simulated.day, simulated.day)

    assert len(list(folder.glob("*/*.manifest.json"))) == sum(r.applications for r in rows)


def test_report_pdf__handed_on_section__shows_the_total(day, tmp_path):
    simulated, store, _folder = day
    total = sum(row.fields for row in store.handed_on(simulated.day, simulated.day))

    assert main(["audit", "report", "--year", "2026", "--out", str(tmp_path),
                 "--dir", str(simulated.log_dir)]) == 0

    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "12. 基幹システムへのデータ引き渡し" in text
    section = text[text.index("12. 基幹システムへのデータ引き渡し"):]
    [line] = [line for line in section.splitlines() if line.split()[:1] == ["計"]]
    assert line.split()[-1] == f"{total:,}"
    assert "システム" in section.splitlines()[1] or "システム" in section
    assert (tmp_path / "handed_on_to_core_systems.csv").read_text(encoding="utf-8").count("\n") \
        == 1 + len(store.handed_on(simulated.day, simulated.day))
