"""Services with payments on a real database: a clerk, and fee-bearing applications to review."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.app import Services, build_services
from kiosk.audit import ListUsage
from kiosk.config import load_config
from kiosk.domain.application import Submission
from kiosk.domain.staff import Role, StaffMember
from kiosk.ports import SystemClock
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.review import ReviewSession
from kiosk.services.staff import StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.sealing import generate_key_text


@dataclass
class PayWorld:
    services: Services
    staff: StaffMember
    usage: ListUsage

    def application(self, form_id: str = "juminhyo", **answers: object) -> int:
        """Submit a sample application of ``form_id`` with ``answers`` changed."""
        form = self.services.forms.form(form_id)
        session = sample_session(form, today=self.services.clock.now().date())
        for field_id, value in answers.items():
            session.set(field_id, value)
        result = self.services.submissions.submit(
            Submission(form.id, form.version, "vi", to_stored(session)))
        assert result.application_id is not None
        return result.application_id

    def printed(self, application_id: int) -> ReviewSession:
        """The application opened, approved and printed: ready to be finished."""
        review = self.services.review.open(application_id, self.staff)
        review.approve()
        review.print_form()
        return review


def _world(tmp_path: Path, database_url: str, *, real_log: bool = False,
           **payment: str) -> PayWorld:
    environ = {"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data"),
               "KIOSK_DATABASE_URL": database_url,
               "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(),
               "KIOSK_SPEECH_KIND": "file", "KIOSK_PRINTER_KIND": "file"}
    environ.update({f"KIOSK_PAYMENT_{key.upper()}": value for key, value in payment.items()})
    open_storage(database_url, SystemClock(), auto_upgrade=True).close()
    services = build_services(load_config(None, environ=environ))
    StaffService(services.storage.staff).add("clerk1", "窓口一郎", Role.SUPERVISOR,
                                              "counter-password-1")
    usage = ListUsage()
    if not real_log:          # else the device's own usage log, for the yearly report
        services.review.usage = usage
        if services.payments is not None:
            services.payments.usage = usage
    return PayWorld(services, services.storage.staff.list()[0], usage)


@pytest.fixture
def make_pay_world(tmp_path: Path,
                   database_url: str) -> Iterator[Callable[..., PayWorld]]:
    """``make_pay_world(kind="simulated")`` etc.: services with ``[payment]`` set so."""
    built: list[PayWorld] = []

    def make(*, real_log: bool = False, **payment: str) -> PayWorld:
        world = _world(tmp_path / str(len(built)), database_url, real_log=real_log, **payment)
        built.append(world)
        return world

    yield make
    for world in built:
        world.services.close()
