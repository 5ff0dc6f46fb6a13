"""Issue 18: the year's report read by worker processes, each a run of consecutive day files,
equals the report read in one process, figure for figure and CSV byte for byte, also where
one file's records depend on another's (reservations checked in one day and served the next,
on another device; ticket numbers used again; a visit's language changed later; fractions of
seconds and characters, whose sums depend on their order; seals; a torn line)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.audit import (
    CaptionsUsed,
    FormSubmitted,
    LanguageChosen,
    PrintDone,
    SessionStarted,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    UsageLog,
    build_report,
    iter_records,
    report,
    write_report_csvs,
)
from kiosk.audit.events import ReservationChanged
from kiosk.audit.forms_info import FormInfo
from kiosk.audit.sealing import KEY_FILE, SealingKey

from .conftest import JST, JapanClock

FIRST = date(2026, 4, 6)
DAYS = 5
FORMS = {
    # Characters per field that are fractions (30 / 7): their sum depends on its order.
    "juminhyo": FormInfo("juminhyo", "住民票の写し", "A", 7, 30, certificate=True),
    "idou": FormInfo("idou", "異動届", "B", 13, 61, certificate=False),
}


def _write_logs(directory: Path) -> None:
    rng = random.Random(18)
    clock = JapanClock(datetime(FIRST.year, FIRST.month, FIRST.day, 8, 30, tzinfo=JST))
    SealingKey.create(directory / "tablet-01" / KEY_FILE, "tablet-01", clock.now(), 600)
    logs = {device: UsageLog(directory, device, clock, fsync=False)
            for device in ("reception", "tablet-01", "tablet-02")}
    for day in range(DAYS):
        date_ = FIRST + timedelta(days=day)
        clock._now = datetime(date_.year, date_.month, date_.day, 8, 30, tzinfo=JST)
        # Reservations: checked in at reception today, served at a tablet tomorrow (another
        # device, another file); one checked in again before it is finished; one no-show.
        reception = logs["reception"]
        reception.record(ReservationChanged(100 + day, "A", "booked"))
        reception.record(ReservationChanged(100 + day, "A", "checked_in", ticket=900 + day))
        reception.record(ReservationChanged(200 + day, "B", "checked_in", ticket=950))
        if day % 2:
            reception.record(ReservationChanged(300 + day, "B", "checked_in", ticket=920 + day))
        for visit in range(40):
            tablet = logs["tablet-01" if visit % 2 else "tablet-02"]
            clock.advance(rng.uniform(20, 200))
            # Ticket numbers start again every day: the later day's figures replace them.
            number = visit + 1
            session = f"s{day}-{visit}"
            form = rng.choice(list(FORMS))
            tablet.record(SessionStarted(session, "ja"))
            tablet.record(FormSubmitted(form, "1.0.0", "ja", number, number,
                                        rng.choice((0, 5)), rng.randint(0, 20), 0, 1, True))
            tablet.record(TicketIssued(number, "A", 0, slip=True))
            tablet.record(PrintDone("slip", True, 1))
            tablet.record(TicketCalled(number, "A", "1番窓口", 1, rng.uniform(1, 3000) / 7))
            if visit % 9 == 0:
                tablet.record(TicketCalled(number, "A", "2番窓口", 1, 1.0, recall=True))
            tablet.record(TicketFinished(number, "A", rng.choice(("done", "done", "no_show")),
                                         1, rng.uniform(60, 900) / 3))
            if visit % 7 == 3:
                # The language chosen later, in another device's file.
                logs["tablet-02"].record(LanguageChosen(session, rng.choice(("vi", "en"))))
                logs["reception"].record(CaptionsUsed(session, "vi", rng.uniform(1, 99) / 10))
        # Yesterday's reserved tickets, finished today on a tablet (one of them twice).
        tablet = logs["tablet-02"]
        tablet.record(TicketFinished(900 + day - 1, "A", "done", 1, 120.0))
        tablet.record(TicketFinished(900 + day - 1, "A", "done", 1, 130.0))
        tablet.record(TicketFinished(920 + day - 1, "B", "no_show", 1, None))
        if day % 2 == 0:
            tablet.record(TicketFinished(950, "B", "done", 1, 33.3))
    for log in logs.values():
        log.close()
    torn = sorted((directory / "tablet-02").glob("*.jsonl"))[2]
    with torn.open("ab") as handle:
        handle.write(b'{"prev":"torn')


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("parallel") / "audit"
    _write_logs(directory)
    return directory


def _report(directory: Path, workers: int) -> report.UsageReport:
    return build_report(iter_records(directory, FIRST, FIRST + timedelta(days=DAYS)),
                        FIRST, FIRST + timedelta(days=DAYS), FORMS, workers=workers)


@pytest.mark.parametrize("runs_per_worker", [1, 3, 100])
def test_report__read_by_two_worker_processes__equals_one_process(
        logs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        runs_per_worker: int) -> None:
    serial = _report(logs, 1)
    monkeypatch.setattr(report, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(report, "RUNS_PER_WORKER", runs_per_worker)
    parallel = _report(logs, 2)

    assert parallel == serial
    write_report_csvs(serial, tmp_path / "serial")
    write_report_csvs(parallel, tmp_path / "parallel")
    names = sorted(path.name for path in (tmp_path / "serial").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "parallel").iterdir())
    for name in names:
        assert (tmp_path / "parallel" / name).read_bytes() == \
            (tmp_path / "serial" / name).read_bytes(), name


def test_report__the_cases_the_merge_must_get_right__are_in_the_log(logs: Path) -> None:
    # Without these the test above would prove little.
    figures = _report(logs, 1)
    assert figures.reservations[("A", "served")] == DAYS - 1       # served the next day
    assert figures.reservations[("B", "served")] >= 1              # 950, checked in again
    assert figures.last_seals.keys() == {"tablet-01"}
    assert figures.captions_seconds % 1 != 0
    assert figures.fields["juminhyo"].avoided_chars > 0
    assert figures.sessions_by_language["vi"] + figures.sessions_by_language["en"] > 0


def test_report__small_logs__read_in_this_process(logs: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("a worker started for a small log")

    monkeypatch.setattr(report, "_mapped", refuse)
    assert _report(logs, 2) == _report(logs, 1)
