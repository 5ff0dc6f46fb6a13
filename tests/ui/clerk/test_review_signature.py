"""The clerk sees the tablet signature, and files a signed application instead of printing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.app import build_filing
from kiosk.domain.application import ApplicationStatus, Provenance, StoredAnswer, Submission
from kiosk.domain.signature import SIGNATURE_KEY, record_to_text
from kiosk.domain.signature_image import record_of
from kiosk.i18n import staff_translator
from kiosk.procedures.sample import sample_session, sample_signature
from kiosk.procedures.stored import to_stored
from kiosk.services.review import RETURN_REASONS
from kiosk.ui.clerk.review_panel import ReviewPanel

pytestmark = pytest.mark.gui


def _signed_application(services) -> int:
    form = services.forms.form("juminhyo")
    answers = to_stored(sample_session(form, today=services.clock.now().date()))
    answers[SIGNATURE_KEY] = StoredAnswer(record_to_text(record_of(sample_signature())),
                                    Provenance.CITIZEN)
    issued = services.queue.take_ticket("A")
    result = services.submissions.submit(Submission(form.id, form.version, "vi", answers,
                                                    issued.ticket.id))
    assert result.application_id is not None
    return result.application_id


@pytest.fixture
def panel(qtbot, world):
    world.services.review.filing = build_filing(world.services.config, world.services.clock,
                                                world.services.usage, demo=True)
    widget = ReviewPanel(staff_translator("ja"), lambda text: RETURN_REASONS.get(text, text))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _open(world, panel, application_id):
    staff = world.services.storage.staff.list()[0]
    panel.show_application(world.services.review.open(application_id, staff))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review_signature__signed_on_tablet__image_shown_then_filed_not_printed(
        qtbot, world, panel):
    _open(world, panel, _signed_application(world.services))
    assert panel.signature.signed
    assert panel.signature.pixmap().height() > 0
    assert not panel.buttons["file"].isEnabled()       # not approved yet

    qtbot.mouseClick(panel.buttons["approve"], Qt.MouseButton.LeftButton)
    assert panel.buttons["file"].isEnabled()
    qtbot.mouseClick(panel.buttons["file"], Qt.MouseButton.LeftButton)

    assert panel.review.status is ApplicationStatus.FILED, panel.message.text()
    assert "署名付きPDF" in panel.message.text()
    assert panel.buttons["finish"].isEnabled()
    assert not list(world.services.config.print_dir.glob("*.pdf"))      # nothing printed
    assert sum(world.services.review.filing.documents.counts().values()) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_review_signature__not_signed__note_and_no_filing(qtbot, world, panel):
    _open(world, panel, world.application_id)
    qtbot.mouseClick(panel.buttons["approve"], Qt.MouseButton.LeftButton)

    assert not panel.signature.signed
    assert "印刷した申請書" in panel.signature.text()
    assert not panel.buttons["file"].isEnabled()
    assert panel.buttons["print"].isEnabled()
