"""Usage events hold codes and numbers only; the services emit them where things happen."""

from __future__ import annotations

import csv
import io
import typing
from datetime import datetime

import pytest

from kiosk.audit import (
    CardRead,
    FormSubmitted,
    ListUsage,
    PrintDone,
    SessionStarted,
    TicketCalled,
    TicketIssued,
    UsageLog,
    export_csv,
)
from kiosk.audit.events import EVENT_TYPES, counter_label, event_fields, event_from_data
from kiosk.domain.application import Provenance, StoredAnswer, Submission
from kiosk.services.applications import submitted_event

from .conftest import JST, JapanClock


@pytest.mark.parametrize("text", [
    "試験\u3000花子",                                # a name with the ideographic space
    "東京都千代田区霞が関９丁目９番９号",               # an address
    "hello world",                                   # conversation text
    "x" * 65,                                        # too long for a code
])
def test_event__free_text_in_code_field__refused(text):
    with pytest.raises(ValueError, match="not a code"):
        SessionStarted(session=text, language="ja")


def test_event__refusal_message__does_not_repeat_the_value():
    with pytest.raises(ValueError, match="not a code") as caught:
        CardRead(session="s1", ok=False, reason="試験花子")

    assert "試験" not in str(caught.value)


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
def test_event_types__every_field__is_a_number_flag_or_code(kind):
    allowed = {int, float, bool, str, type(None), tuple[str, ...]}
    hints = typing.get_type_hints(EVENT_TYPES[kind])
    for name in event_fields(EVENT_TYPES[kind]):
        parts = typing.get_args(hints[name]) if typing.get_origin(hints[name]) in (
            typing.Union, __import__("types").UnionType) else (hints[name],)
        assert set(parts) <= allowed, (kind, name)


@pytest.mark.parametrize(("name", "expected"), [
    ("1番窓口", "1番窓口"), ("窓口 2", "窓口_2"), ("x" * 40, "x" * 24)])
def test_counter_label__configured_name__fits_the_field(name, expected):
    assert counter_label(name) == expected
    TicketCalled(1, "A", counter_label(name), None, 1.0)


def test_event_from_data__round_trip__same_event():
    event = TicketCalled(7, "A", "1番窓口", 3, 125.5, recall=True)

    assert event_from_data(event.KIND, event.data()) == event


@pytest.mark.parametrize(("provenances", "expected"), [
    ((Provenance.CARD, Provenance.CARD, Provenance.CITIZEN), (2, 1, 0, 0)),
    ((Provenance.CITIZEN, Provenance.CLERK, Provenance.DEFAULT), (0, 1, 1, 1)),
    ((), (0, 0, 0, 0)),
])
def test_submitted_event__answers__counted_by_provenance(provenances, expected):
    answers = {f"f{i}": StoredAnswer("試験\u3000花子", kind) for i, kind in enumerate(provenances)}
    event = submitted_event(Submission("juminhyo", "1.0.0", "vi", answers, ticket_id=4), 12)

    assert (event.card_fields, event.typed_fields, event.corrected_fields,
            event.default_fields) == expected
    assert "花子" not in repr(event.data())


def test_queue_service__ticket_taken_and_called__events_with_wait(tmp_path):
    from kiosk.services.queue import QueueService
    from kiosk.storage.database import open_storage

    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    storage = open_storage(f"sqlite:///{tmp_path / 'q.sqlite3'}", clock)
    try:
        storage.queue.add_service("A", "A", "証明")
        usage = ListUsage()
        queue = QueueService(storage.queue, usage)
        issued = queue.take_ticket("A")
        clock.advance(300)
        queue.call_next(["A"], counter="1番窓口")
    finally:
        storage.close()

    issued_events = usage.of(TicketIssued)
    called = usage.of(TicketCalled)
    assert [e.ticket for e in issued_events] == [issued.ticket.id]     # type: ignore[attr-defined]
    assert called[0].wait_s == pytest.approx(300, abs=1)               # type: ignore[attr-defined]


def test_export_csv__records__one_row_each_with_data_columns(tmp_path):
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, "tablet-01", clock, fsync=False)
    log.record(FormSubmitted("juminhyo", "1.0.0", "vi", 3, 9, 4, 6, 0, 2, True))
    log.close()
    out = io.StringIO()

    rows = export_csv(tmp_path, None, None, out)

    lines = out.getvalue().splitlines()
    assert rows == 2           # the day's anchor and the submission
    assert lines[0].startswith("device,file,line,ts,kind,")
    assert ",form.submitted," in lines[2]


def test_export_csv__print_record__every_column_name_once_and_print_kind_kept(tmp_path):
    clock = JapanClock(datetime(2026, 4, 6, 9, 0, tzinfo=JST))
    log = UsageLog(tmp_path, "clerk-01", clock, fsync=False)
    log.record(PrintDone(kind="form", ok=True, pages=1))
    log.close()
    out = io.StringIO()

    export_csv(tmp_path, None, None, out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    header = out.getvalue().splitlines()[0].split(",")
    assert len(header) == len(set(header))
    assert (rows[-1]["kind"], rows[-1]["data_kind"]) == ("print.done", "form")
