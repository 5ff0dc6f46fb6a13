"""Shared review during a remote call, through two desks on one PostgreSQL: the branch asks for
its called visitor, the specialist at the main office opens that visitor's application in the
review, corrects a field with a reason and approves; the branch desk shows what was changed
(field, old -> new, reason) and that it was approved."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from devices.remote.simulated import SimulatedRemoteCall
from kiosk.app import Services, build_services
from kiosk.config import load_config
from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.domain.staff import Role, StaffMember
from kiosk.i18n import staff_translator
from kiosk.ports import SystemClock
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.remote_counter import RemoteCounterDesk
from kiosk.services.remote_review import RemoteReview
from kiosk.services.staff import StaffService
from kiosk.storage.database import open_storage
from kiosk.storage.remote_store import RemoteTicketStore
from kiosk.storage.sealing import generate_key_text
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


@dataclass
class Desk:
    services: Services
    member: StaffMember
    remote: RemoteCounterDesk
    review: RemoteReview


def _desk(tmp_path, url: str, key: str, counter: str, login: str) -> Desk:
    config = load_config(None, environ={
        "KIOSK_DEVICE_DATA_DIR": str(tmp_path / login), "KIOSK_DATABASE_URL": url,
        "KIOSK_DATABASE_ANSWERS_KEY": key, "KIOSK_DEVICE_SERVICES": "A",
        "KIOSK_DEVICE_COUNTER": counter, "KIOSK_SPEECH_KIND": "file", "KIOSK_PRINTER_KIND": "file"})
    services = build_services(config)
    member = StaffService(services.storage.staff).add(login, "窓口", Role.CLERK, "counter-password-1")
    return Desk(services, member, RemoteCounterDesk(RemoteTicketStore(services.storage.engine,
                                                                      services.clock)),
                RemoteReview(services.review))


@pytest.fixture
def desks(tmp_path, postgres_url):
    open_storage(postgres_url, SystemClock(), auto_upgrade=True).close()
    key = generate_key_text()
    branch = _desk(tmp_path, postgres_url, key, "豊里総合支所", "branch1")
    office = _desk(tmp_path, postgres_url, key, "本庁3番窓口", "office1")
    yield branch, office
    branch.services.close()
    office.services.close()


def _visitor_with_application(branch: Desk) -> int:
    services = branch.services
    issued = services.queue.take_ticket("A")
    form = services.forms.form("juminhyo")
    session = sample_session(form, today=services.clock.now().date())
    result = services.submissions.submit(Submission(form.id, form.version, "vi",
                                                    to_stored(session), issued.ticket.id))
    assert result.application_id is not None
    return issued.ticket.id


def test_specialist_corrects_and_approves__the_branch_sees_what_changed(qtbot, desks):
    branch, office = desks
    visit = _visitor_with_application(branch)
    tr = staff_translator("ja")
    branch_panel = BranchRemotePanel(tr, branch.remote, lambda t: SimulatedRemoteCall(connect_s=0.0),
                                     [("A", "住民票")], "豊里総合支所", visit_ticket=lambda: visit,
                                     review=branch.review, staff=branch.member)
    office_panel = RemotePanel(tr, office.remote, lambda t: SimulatedRemoteCall(connect_s=0.0),
                               SystemClock(), staff_id=office.member.id, review=office.review,
                               staff=office.member, citizen_text=str)
    qtbot.addWidget(branch_panel)
    qtbot.addWidget(office_panel)

    qtbot.mouseClick(branch_panel.ask_button, Qt.MouseButton.LeftButton)
    office_panel.refresh()
    qtbot.mouseClick(office_panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch_panel.call is not None)
    assert branch_panel.changes.rowCount() == 0                 # nothing changed yet

    assert office_panel.review_button.isEnabled()
    qtbot.mouseClick(office_panel.review_button, Qt.MouseButton.LeftButton)
    review = office_panel.review
    session = review.review
    assert session is not None
    assert session.status is ApplicationStatus.IN_REVIEW
    row = next(i for i, f in enumerate(review.fields) if f.field_id == "address")
    field = review.fields[row]
    review.table.selectRow(row)
    review.new_value.setText(field.value + "1号")
    review.reason.setText("住民票の記載に合わせた")
    qtbot.mouseClick(review.buttons["edit"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(review.buttons["approve"], Qt.MouseButton.LeftButton)
    assert session.status is ApplicationStatus.APPROVED, review.message.text()

    corrected = next(f for f in session.fields() if f.field_id == field.field_id)
    qtbot.waitUntil(lambda: branch_panel.changes.rowCount() == 1, timeout=10_000)
    seen = [branch_panel.changes.item(0, c).text() for c in range(4)]
    assert seen == [corrected.label, field.value, corrected.value, "住民票の記載に合わせた"]
    assert "承認済み" in branch_panel.review_status.text()

    qtbot.mouseClick(office_panel.end_button, Qt.MouseButton.LeftButton)
    assert office_panel.review.review is None                     # the review closes with the call
    branch_panel.end_call()
    assert branch_panel.changes.rowCount() == 1                   # kept for printing at the branch
    branch_panel.lock()
    assert branch_panel.changes.rowCount() == 0                   # gone when the desk locks
