"""The composition root: Services built from a demo config, background threads started and stopped."""

from __future__ import annotations

import threading

import pytest

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.ticket import QueueChanged


@pytest.fixture
def services(tmp_path):
    built = build_services(load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path)}),
                           demo=True)
    yield built
    built.close()


def test_build_services__demo__opens_embedded_database_in_data_dir(services, tmp_path):
    assert (tmp_path / "kiosk.sqlite3").exists()
    assert services.identity_reader is not None
    assert services.submissions.pending() == 0


def test_build_services__forms__create_their_services_and_counters(services):
    codes = {service.code for service in services.storage.queue.services()}

    assert codes == {form.service for form in services.forms.forms.values()}
    assert services.storage.queue.counters()["1番窓口"] == ("A", "C", "G")   # G: My Number card


def test_start_background__ticket_taken__queue_changed_event_arrives(services):
    arrived = threading.Event()
    services.events.subscribe(QueueChanged, lambda _event: arrived.set())
    services.start_background()

    issued = services.queue.take_ticket("A")

    assert issued.ticket.label == "A-001"
    assert arrived.wait(5), "no QueueChanged within 5 s"


def test_close__after_start_background__stops_every_thread(services):
    before = {t.name for t in threading.enumerate()}
    services.start_background()
    services.close()

    after = {t.name for t in threading.enumerate()}
    assert {"queue-listener", "outbox-courier", "retention"} & after - before == set()


def test_start_background__demo_adapters__their_optional_capabilities_get_jobs(services):
    # The demo's folder printer purges (ports.Purgeable), its usage log purges and seals.
    before = {t.name for t in threading.enumerate()}
    services.start_background()

    started = {t.name for t in threading.enumerate()} - before
    assert {"printed-retention", "usage-retention", "usage-seal"} <= started


def test_close__demo_printer__printed_files_go_with_it(services, tmp_path):
    printed = tmp_path / "form.pdf"
    printed.write_bytes(b"%PDF-1.4\n%%EOF\n")
    services.printer.print_pdf(printed, title="test")
    kept = list(services.config.print_dir.glob("*.pdf"))

    services.close()

    assert kept != []
    assert list(services.config.print_dir.glob("*.pdf")) == []
