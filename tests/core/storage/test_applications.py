"""Applications: sealed at rest, stored once per key, reviewed, purged keeping the figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from kiosk.domain.application import ApplicationStatus, Provenance, StoredAnswer, Submission
from kiosk.errors import StorageError
from kiosk.services.applications import SubmissionService
from kiosk.services.retention import purge_finished
from kiosk.storage.application_store import StatusError
from kiosk.storage.figures import figures
from kiosk.storage.outbox import Outbox
from kiosk.storage.sealing import AnswerSealer

NAME = "登米　花子"
ADDRESS = "宮城県登米市迫町佐沼字中江二丁目6番地1"


def _submission(ticket_id: int | None = None, key: str | None = None) -> Submission:
    answers = {"name": StoredAnswer(NAME, Provenance.CARD), "address": StoredAnswer(ADDRESS, Provenance.CARD),
               "copies": StoredAnswer("2", Provenance.CITIZEN)}
    extra = {"idempotency_key": key} if key else {}
    return Submission("juminhyo", "2026.1", "vi", answers, ticket_id, **extra)


@pytest.fixture
def submissions(storage, sealer, clock, tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    yield SubmissionService(storage.applications, outbox, sealer, clock)
    outbox.close()


def test_submit__online__stored_with_answers_sealed_at_rest(storage, submissions, sealer):
    ticket = storage.queue.issue("A")

    result = submissions.submit(_submission(ticket.id))

    assert result.delivered
    stored = storage.applications.get(result.application_id, sealer)
    assert stored.answers["name"] == StoredAnswer(NAME, Provenance.CARD)
    assert stored.ticket_id == ticket.id
    assert stored.status is ApplicationStatus.SUBMITTED
    with storage.engine.connect() as connection:
        raw = connection.execute(text("SELECT answers_sealed FROM applications")).scalar()
    assert NAME.encode() not in bytes(raw)
    assert "花子".encode() not in bytes(raw)
    assert submissions.pending() == 0


def test_submit__same_key_twice__stored_once(storage, submissions):
    first = submissions.submit(_submission(key="k" * 32))
    second = submissions.submit(_submission(key="k" * 32))

    assert first.application_id == second.application_id
    with storage.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM applications")).scalar() == 1


def test_get__other_key__refused(storage, submissions):
    result = submissions.submit(_submission())

    with pytest.raises(StorageError):
        storage.applications.get(result.application_id, AnswerSealer(b"\x01" * 32))


def test_sealed_answers__moved_to_another_row__do_not_open(sealer):
    sealed = sealer.seal({"name": StoredAnswer(NAME, Provenance.CARD)}, "key-1")

    assert sealer.open(sealed, "key-1")["name"].value == NAME
    with pytest.raises(StorageError):
        sealer.open(sealed, "key-2")


def test_reprs__answers__never_show_personal_data(storage, submissions, sealer):
    submission = _submission()
    stored = storage.applications.get(submissions.submit(submission).application_id, sealer)

    for text_ in (repr(submission), repr(stored), repr(stored.answers["name"]),
                  repr(submissions.seal(submission))):
        assert NAME not in text_
        assert ADDRESS not in text_


@pytest.mark.parametrize(("path", "allowed"), [
    (["in_review", "approved", "printed", "done"], True),
    (["in_review", "returned", "in_review", "approved"], True),
    (["approved"], False),
    (["in_review", "done"], False),
])
def test_set_status__review_flow__allowed_moves_only(storage, submissions, path, allowed):
    app_id = submissions.submit(_submission()).application_id

    def walk() -> None:
        for status in path:
            storage.applications.set_status(app_id, ApplicationStatus(status), staff_id=None)

    if allowed:
        walk()
    else:
        with pytest.raises(StatusError):
            walk()


def test_purge__finished_past_retention__answers_gone_figures_kept(storage, submissions, sealer,
                                                                 clock):
    first_day = clock.now().date()
    finished, recent, open_ = (submissions.submit(_submission()).application_id for _ in range(3))
    for app_id in (finished, recent):
        for status in ("in_review", "approved", "printed"):
            storage.applications.set_status(app_id, ApplicationStatus(status), None)
    storage.applications.set_status(finished, ApplicationStatus.DONE, None)
    clock.advance(hours=71)
    storage.applications.set_status(recent, ApplicationStatus.DONE, None)
    ticket = storage.queue.issue("A")
    storage.queue.call_next(["A"], counter="1")
    day = clock.now().date()
    before = figures(storage.engine, first_day, day)
    clock.advance(hours=2)

    purged = purge_finished(storage.applications, clock, hours=72)

    assert purged == 1
    assert storage.applications.get(finished, sealer).answers == {}
    assert storage.applications.get(finished, sealer).purged
    assert storage.applications.get(recent, sealer).answers["name"].value == NAME
    assert storage.applications.get(open_, sealer).answers["name"].value == NAME
    assert figures(storage.engine, first_day, day) == before
    assert before.applications == {("juminhyo", "vi", "done"): 2,
                                   ("juminhyo", "vi", "submitted"): 1}
    assert before.tickets_issued == {"A": 1}
    assert storage.queue.get(ticket.id).state.value == "called"
    assert purge_finished(storage.applications, clock, hours=72) == 0


@pytest.fixture
def tokyo_time():
    """The machine's local time zone set to JST, as at the city hall."""
    import os
    import time as time_module

    previous = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time_module.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = previous
    time_module.tzset()


def test_figures__morning_submission_in_jst__counts_on_its_local_day(storage, submissions, clock,
                                                                     tokyo_time):
    # The fake clock starts at 2026-04-01 00:30 UTC = 09:30 JST on April 1st.
    clock.advance(hours=-1)                   # 23:30 UTC on March 31st = 08:30 JST April 1st
    submissions.submit(_submission())
    april_first = clock.now().astimezone().date()

    on_the_day = figures(storage.engine, april_first, april_first)
    day_before = figures(storage.engine, april_first - timedelta(days=1),
                         april_first - timedelta(days=1))

    assert sum(on_the_day.applications.values()) == 1
    assert sum(day_before.applications.values()) == 0
