"""Slip prints and the errors the tablet shows are in the usage log: once each, codes only."""

from __future__ import annotations

import pytest

from kiosk.app import build_services
from kiosk.audit import ErrorOccurred, ListUsage, PrintDone, TicketIssued, error_event
from kiosk.config import load_config
from kiosk.domain.identity import ReaderLostError
from kiosk.domain.ticket import TicketState
from kiosk.errors import DeviceError
from kiosk.services.queue import QueueService
from kiosk.services.visit import SOMETHING_WENT_WRONG, CardOutcome, Stage, Visit
from kiosk.storage.engine import DatabaseUnavailableError


class _Reader:
    """A card reader whose read fails with ``error`` (tries are asked without trouble)."""

    def __init__(self, error: Exception, tries: int = 3) -> None:
        self.error, self.tries = error, tries

    def tries_left(self) -> int:
        return self.tries

    def read_identity(self, pin: str, *, use_last_try: bool = False) -> object:
        raise self.error

    def status(self) -> object:
        raise NotImplementedError

    def probe(self) -> list[object]:
        return []


def _dead_printer(_ticket: object, _wait: int) -> None:
    raise DeviceError("The printer could not print: {reason}", reason="paper jam")


@pytest.fixture
def services(tmp_path):
    built = build_services(load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)}),
                           demo=True)
    yield built
    built.close()


def _visit(services, usage: ListUsage, reader=None) -> Visit:
    """A visit through the demo's real queue and submissions, all recording to ``usage``."""
    return Visit(services.events, "ja", forms=services.forms, clock=services.clock,
                 identity_reader=reader or services.identity_reader,
                 queue=QueueService(services.storage.queue, usage),
                 submissions=services.submissions, usage=usage)


def _at_identify(visit: Visit, *forms: str) -> Visit:
    visit.start()
    for form in forms or ("juminhyo",):
        visit.toggle(form)
    visit.confirm_procedures()
    return visit


def _with_card(visit: Visit, *forms: str) -> Visit:
    """Read the card: the forms are built (submit does not ask for the remaining answers)."""
    assert _at_identify(visit, *forms).card.read("1234").outcome is CardOutcome.READ
    return visit


def _errors(usage: ListUsage) -> list[ErrorOccurred]:
    return [event for event in usage.events if isinstance(event, ErrorOccurred)]


# ------------------------------------------------------------------ the slip
def test_take_ticket__slip_prints__records_one_page_then_the_ticket(services):
    usage = ListUsage()
    queue = QueueService(services.storage.queue, usage)

    queue.take_ticket("A", print_slip=lambda _ticket, _wait: None)

    assert [type(event) for event in usage.events] == [PrintDone, TicketIssued]
    assert usage.events[0] == PrintDone(kind="slip", ok=True, pages=1)


def test_take_ticket__printer_dead__records_failed_print_and_no_ticket(services):
    usage = ListUsage()
    queue = QueueService(services.storage.queue, usage)

    with pytest.raises(DeviceError):
        queue.take_ticket("A", print_slip=_dead_printer)

    assert usage.events == [PrintDone(kind="slip", ok=False, pages=0, reason="device_error")]
    assert services.storage.queue.tickets(["A"], [TicketState.ISSUED]) == []


def test_take_ticket__no_slip__records_no_print(services):
    usage = ListUsage()

    QueueService(services.storage.queue, usage).take_ticket("A")

    assert usage.of(PrintDone) == []


# ------------------------------------------------------------------ the card
def test_read_card__card_pulled_during_read__records_one_error_and_ends(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage))
    visit.card.tries_left()
    services.identity_reader.slot.remove()

    result = visit.card.read("1234")

    assert result.outcome is CardOutcome.REMOVED
    assert visit.stage is Stage.WELCOME
    errors = _errors(usage)
    assert len(errors) == 1
    assert errors[0].where == "card.read"
    assert errors[0].error in ("CardRemovedError", "NoCardError")


def test_read_card__reader_fails__records_one_error_with_the_class_name(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage, _Reader(ReaderLostError())))

    result = visit.card.read("1234")

    assert result.outcome is CardOutcome.FAILED
    assert _errors(usage) == [ErrorOccurred(where="card.read", error="ReaderLostError")]


def test_read_card__unexpected_exception__something_went_wrong_recorded_once(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage, _Reader(RuntimeError("boom: 試験 花子"))))

    result = visit.card.read("1234")

    assert (result.outcome, result.message_id) == (CardOutcome.FAILED, SOMETHING_WENT_WRONG)
    assert _errors(usage) == [ErrorOccurred(where="card.read", error="RuntimeError")]
    assert "花子" not in repr(usage.events)


def test_read_card__wrong_pin__is_no_error(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage))

    assert visit.card.read("9999").outcome is CardOutcome.WRONG_PIN

    assert _errors(usage) == []


def test_card_tries_left__locked_card__records_one_error(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage, _Reader(RuntimeError(), tries=0)))

    assert visit.card.tries_left() == 0

    assert _errors(usage) == [ErrorOccurred(where="card.read", error="PinLockedError")]


def test_card_tries_left__no_card__records_one_error_and_raises(services):
    usage = ListUsage()
    visit = _at_identify(_visit(services, usage))
    services.identity_reader.slot.remove()

    with pytest.raises(DeviceError):
        visit.card.tries_left()

    assert len(_errors(usage)) == 1
    assert _errors(usage)[0].where == "card.read"


# ------------------------------------------------------------------ submitting
def test_submit__printer_dead__one_failed_print_and_one_error(services):
    usage = ListUsage()
    visit = _with_card(_visit(services, usage))

    with pytest.raises(DeviceError):
        visit.submit(_dead_printer)

    assert usage.of(PrintDone) == [PrintDone("slip", ok=False, pages=0, reason="device_error")]
    assert _errors(usage) == [ErrorOccurred(where="print.slip", error="DeviceError")]
    assert usage.of(TicketIssued) == []


def test_submit__slip_prints__one_page_and_no_error(services):
    usage = ListUsage()
    visit = _with_card(_visit(services, usage))

    visit.submit(lambda _ticket, _wait: None)

    assert usage.of(PrintDone) == [PrintDone("slip", ok=True, pages=1)]
    assert _errors(usage) == []


def test_submit__queue_database_down__records_one_submit_error(services, monkeypatch):
    usage = ListUsage()
    visit = _with_card(_visit(services, usage))

    def down(*_args, **_kwargs):
        raise DatabaseUnavailableError("The database cannot be reached.")

    # Every way the tablet numbers a ticket (it reserves one, stores the forms, then issues).
    for write in ("issue_with_estimate", "reserve"):
        monkeypatch.setattr(services.storage.queue, write, down)

    with pytest.raises(DatabaseUnavailableError):
        visit.submit(None)

    assert _errors(usage) == [ErrorOccurred(where="submit", error="DatabaseUnavailableError")]


def test_submit__application_left_in_outbox__records_one_submit_error(services, monkeypatch):
    usage = ListUsage()
    # Two procedures, two applications left waiting: one message, so one error.
    visit = _with_card(_visit(services, usage), "juminhyo", "inkan_shomei")

    def down(*_args, **_kwargs):
        raise DatabaseUnavailableError("The database cannot be reached.")

    monkeypatch.setattr(services.storage.applications, "insert", down)

    ticket = visit.submit(None)

    assert ticket.message_id
    assert len(ticket.application_ids) == 2
    assert _errors(usage) == [ErrorOccurred(where="submit", error="DatabaseUnavailableError")]


# ------------------------------------------------------------------ the event
def test_error_event__odd_class_name__becomes_a_code():
    odd = type("Fehlerß" + "X" * 80, (Exception,), {})

    event = error_event("print.slip", odd())

    assert event.error == "Fehler" + "X" * 58
    assert error_event("submit", DeviceError).error == "DeviceError"
