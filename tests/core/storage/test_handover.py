"""Handing approved applications on, on SQLite and PostgreSQL: on approval, per day, exactly
once across reruns and crashes, and nothing for an application not approved."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest

import devices.export.folder_spool as spool_module
from devices.export import FolderSpool, MemorySpool
from kiosk.audit import DataHandedOn, ErrorOccurred
from kiosk.audit.recorder import ListUsage
from kiosk.domain.application import ApplicationStatus
from kiosk.domain.staff import Role
from kiosk.events import EventBus
from kiosk.handover import load_mappings
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.applications import SubmissionService
from kiosk.services.handover import HandoverService
from kiosk.services.review import ReviewService
from kiosk.storage.export_store import ExportStore
from kiosk.storage.outbox import Outbox

CATALOG = load_catalog()
MAPPINGS = load_mappings()


@pytest.fixture
def submissions(storage, sealer, clock, tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    yield SubmissionService(storage.applications, outbox, sealer, clock)
    outbox.close()


@pytest.fixture
def usage():
    return ListUsage()


def _handover(storage, sealer, clock, usage, spool, systems=()):
    return HandoverService(ExportStore(storage.engine, clock), storage.applications, sealer,
                           CATALOG, MAPPINGS, spool, clock, usage, systems)


def _approved(storage, submissions, form_id="idou", status=ApplicationStatus.APPROVED):
    from kiosk.domain.application import Submission

    form = CATALOG.forms[form_id]
    app_id = submissions.submit(Submission(form_id, form.version, "ja",
                                           to_stored(sample_session(form)))).application_id
    for step in (ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED, ApplicationStatus.PRINTED):
        if status is ApplicationStatus.SUBMITTED:
            break
        storage.applications.set_status(app_id, step, None)
        if step is status:
            break
    return app_id


def test_approve__export_configured__handed_on_to_each_system_once(storage, submissions, sealer,
                                                                   clock, usage, tmp_path):
    handover = _handover(storage, sealer, clock, usage, FolderSpool(tmp_path / "spool"))
    review = ReviewService(storage.applications, sealer, CATALOG, None, None,  # type: ignore[arg-type]
                           EventBus(), usage)
    review.handover = handover.hand_on_quietly
    staff = storage.staff.add("clerk1", "窓口一郎", Role.CLERK, "scrypt$x")
    app_id = _approved(storage, submissions, status=ApplicationStatus.SUBMITTED)

    review.open(app_id, staff).approve()
    again = handover.hand_on(app_id)

    manifests = list((tmp_path / "spool" / "juki").glob("*.manifest.json"))
    assert len(manifests) == 1
    assert json.loads(manifests[0].read_text())["application"] == app_id
    assert (again.handed_on, again.already) == (0, 1)
    [event] = usage.of(DataHandedOn)
    assert (event.application, event.system, event.form) == (app_id, "juki", "idou")
    assert ExportStore(storage.engine, clock).systems_done([app_id]) == {app_id: {"juki"}}
    [row] = ExportStore(storage.engine, clock).handed_on(clock.now().date(), clock.now().date())
    assert (row.system, row.applications, row.fields) == ("juki", 1, event.fields)


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW])
def test_hand_on__not_approved__nothing_handed_on(storage, submissions, sealer, clock, usage,
                                                 status):
    spool = MemorySpool()
    app_id = _approved(storage, submissions, status=status)

    result = _handover(storage, sealer, clock, usage, spool).hand_on(app_id)

    assert (result.handed_on, spool.folders) == (0, {})


def test_hand_on_day__rerun__every_approved_application_once(storage, submissions, sealer, clock,
                                                            usage):
    spool = MemorySpool()
    ids = [_approved(storage, submissions, form) for form in ("idou", "kokuho", "juminhyo",
                                                              "kaigo_shikaku")]
    _approved(storage, submissions, "shotoku", status=ApplicationStatus.IN_REVIEW)
    handover = _handover(storage, sealer, clock, usage, spool)

    first = handover.hand_on_day(clock.now().date())
    second = handover.hand_on_day(clock.now().date())

    assert (first.applications, first.handed_on, first.failed) == (4, 4, [])
    assert (second.handed_on, second.already) == (0, 4)
    assert sorted(spool.folders) == ["juki", "kaigo", "kokuho"]
    assert {e.application for e in usage.of(DataHandedOn)} == set(ids)
    assert handover.hand_on_day(clock.now().date() + timedelta(days=1)).applications == 0


def test_hand_on_day__systems_limited__only_those(storage, submissions, sealer, clock, usage):
    spool = MemorySpool()
    _approved(storage, submissions, "idou")
    _approved(storage, submissions, "kokuho")

    result = _handover(storage, sealer, clock, usage, spool, ["kokuho"]).hand_on_day(
        clock.now().date())

    assert (result.handed_on, sorted(spool.folders)) == (1, ["kokuho"])


@pytest.mark.parametrize("fail_at", [1, 3, 4])
def test_hand_on__crash_mid_export__no_half_file_and_once_after_rerun(storage, submissions,
                                                                      sealer, clock, usage,
                                                                      tmp_path, monkeypatch,
                                                                      fail_at):
    folder = tmp_path / "spool"
    app_id = _approved(storage, submissions, "kokuho")
    calls = {"n": 0}
    real_replace = os.replace

    def crashing(source, target):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(spool_module.os, "replace", crashing)
    handover = _handover(storage, sealer, clock, usage, FolderSpool(folder, stale_after_s=0))
    handover.hand_on_quietly(app_id)
    assert list(folder.glob("kokuho/*.manifest.json")) == []     # the import sees nothing yet
    assert ExportStore(storage.engine, clock).systems_done([app_id])[app_id] == set()
    assert [e.where for e in usage.of(ErrorOccurred)] == ["review.handover"]
    monkeypatch.setattr(spool_module.os, "replace", real_replace)

    rerun = handover.hand_on_day(clock.now().date())
    third = handover.hand_on_day(clock.now().date())

    assert (rerun.handed_on, third.handed_on, third.already) == (1, 0, 1)
    assert len(list(folder.glob("kokuho/*.manifest.json"))) == 1
    assert len(list(folder.glob("kokuho/*"))) == 3
    assert len(usage.of(DataHandedOn)) == 1


def test_hand_on__delivered_but_not_recorded__recorded_without_writing_again(
        storage, submissions, sealer, clock, usage, tmp_path, monkeypatch):
    # A crash after the manifest's rename and before the store's row: the journal says
    # "committed", so the rerun records it and writes nothing, even if the core system has
    # already taken the files away.
    folder = tmp_path / "spool"
    app_id = _approved(storage, submissions, "juminhyo")
    handover = _handover(storage, sealer, clock, usage, FolderSpool(folder))
    real_record = handover.store.record_many

    def dies(*_args, **_kwargs):
        raise KeyboardInterrupt       # the process ends here

    monkeypatch.setattr(handover.store, "record_many", dies)
    with pytest.raises(KeyboardInterrupt):
        handover.hand_on(app_id)
    for path in folder.glob("juki/*"):
        path.unlink()                 # imported by the core system
    monkeypatch.setattr(handover.store, "record_many", real_record)

    result = handover.hand_on(app_id)

    assert (result.handed_on, list(folder.glob("juki/*"))) == (1, [])
    assert len(usage.of(DataHandedOn)) == 1
