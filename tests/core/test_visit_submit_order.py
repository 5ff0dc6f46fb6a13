"""A ticket enters the line only once its applications are stored: a clerk who calls it the
moment it appears finds them (the pilot day's third counter called one too early, finished
it with no application, and the application stayed ``submitted`` for ever)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.ticket import TicketState
from kiosk.procedures.model import FieldType
from kiosk.services.visit import Visit


class _Watching:
    """The submission service, noting the state of the ticket each form is stored under."""

    def __init__(self, inner: Any, store: Any) -> None:
        self._inner = inner
        self._store = store
        self.states: list[TicketState] = []

    def submit(self, submission: Any) -> Any:
        self.states.append(self._store.get(submission.ticket_id).state)
        return self._inner.submit(submission)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
def services(tmp_path: Path):
    services = build_services(load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)}),
                              demo=True)
    yield services
    services.close()


@pytest.mark.parametrize("slip", [False, True], ids=["no-slip", "slip"])
def test_visit_submit__forms_stored__before_the_ticket_can_be_called(services, slip):
    watching = _Watching(services.submissions, services.storage.queue)
    visit = Visit(services.events, "ja", forms=services.forms, clock=services.clock,
                  identity_reader=services.identity_reader, queue=services.queue,
                  submissions=watching)
    visit.start()
    visit.toggle("juminhyo")
    visit.confirm_procedures()
    visit.card.read("1234")
    while visit.flow.current() is not None:
        question = visit.flow.current()
        session = visit.flow.session_of(question)
        options = session.options(question.field.id)
        if session.value(question.field.id) in (None, "", []):
            if question.field.type is FieldType.READING:
                visit.flow.answer(visit.flow.proposed_reading(question) or "シケン\u3000ハナコ")
            elif question.field.type in (FieldType.YES_NO, FieldType.CONSENT):
                visit.flow.answer(True)
            elif question.field.type is FieldType.SELECT and options:
                visit.flow.answer(options[0].value)
        if session.value(question.field.id) in (None, "", []) and visit.flow.is_optional(question):
            visit.flow.skip()
        else:
            visit.flow.next()
    printed: list[str] = []

    ticket = visit.submit(print_slip=(lambda reserved, _wait: printed.append(reserved.label))
                          if slip else None)

    assert watching.states == [TicketState.PENDING]
    stored = services.storage.queue.tickets(["A"], [TicketState.ISSUED])
    assert [t.label for t in stored] == [ticket.label]
    assert printed == ([ticket.label] if slip else [])
    assert len(ticket.application_ids) == 1
