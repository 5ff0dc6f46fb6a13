"""A clerk's world: services on a real database, one clerk account, a ticket with an application."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kiosk.app import Services, build_services
from kiosk.config import load_config
from kiosk.domain.application import Submission
from kiosk.domain.staff import Role
from kiosk.ports import SystemClock
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.staff import StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.sealing import generate_key_text
from kiosk.ui.clerk.clerk_window import ClerkWindow

PASSWORD = "counter-password-1"


@dataclass
class World:
    services: Services
    ticket_id: int
    application_id: int


def make_world(tmp_path, database_url) -> World:
    config = load_config(None, environ={
        "KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"), "KIOSK_DATABASE_URL": database_url,
        "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(), "KIOSK_DEVICE_SERVICES": "A",
        "KIOSK_DEVICE_COUNTER": "1番窓口", "KIOSK_SPEECH_KIND": "file",
        "KIOSK_PRINTER_KIND": "file"})
    open_storage(database_url, SystemClock(), auto_upgrade=True).close()  # `kiosk db upgrade`
    services = build_services(config)
    StaffService(services.storage.staff).add("clerk1", "窓口一郎", Role.SUPERVISOR, PASSWORD)
    issued = services.queue.take_ticket("A")
    form = services.forms.form("juminhyo")
    session = sample_session(form, today=services.clock.now().date())
    result = services.submissions.submit(Submission(form.id, form.version, "en",
                                                    to_stored(session), issued.ticket.id))
    assert result.application_id is not None
    return World(services, issued.ticket.id, result.application_id)


@pytest.fixture
def world(tmp_path, database_url):
    built = make_world(tmp_path, database_url)
    yield built
    built.services.close()


@pytest.fixture
def outage_world(tmp_path, postgres_server):
    """A world on the session's own PostgreSQL cluster, which the test may stop and start."""
    if not postgres_server.owned:
        pytest.skip("the outage is made by stopping the test's own PostgreSQL cluster")
    world = make_world(tmp_path, postgres_server.url(postgres_server.create_database()))
    yield world, postgres_server
    world.services.close()


@pytest.fixture
def live_world(world):
    """The world with live queue updates (LISTEN/NOTIFY on PostgreSQL, polling on SQLite)."""
    world.services.start_background()
    return world


@pytest.fixture
def window(qtbot, world):
    """The clerk desktop on ``world``, shown."""
    clerk = ClerkWindow(world.services, idle_lock_s=600)
    qtbot.addWidget(clerk)
    clerk.show()
    yield clerk
    clerk.close_bridge()


def log_in_and_call_next(qtbot, window: ClerkWindow) -> None:
    """Sign in as ``clerk1`` and call the next ticket, with real clicks."""
    from PySide6.QtCore import Qt

    window.login.login.setText("clerk1")
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.queue.buttons["next"], Qt.MouseButton.LeftButton)
