"""The clerk's review names the procedure with its department and its pictogram, for every form."""

from __future__ import annotations

import pytest

from kiosk.domain.application import Submission
from kiosk.i18n import staff_translator
from kiosk.procedures.kana import plain_text
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.ui.clerk.review_panel import ReviewPanel

pytestmark = pytest.mark.gui

JA = staff_translator("ja")


def _open(world, form_id: str):
    services = world.services
    form = services.forms.form(form_id)
    session = sample_session(form, today=services.clock.now().date())
    issued = services.queue.take_ticket("A")
    result = services.submissions.submit(Submission(form.id, form.version, "ja",
                                                    to_stored(session), issued.ticket.id))
    assert result.application_id is not None
    return services.review.open(result.application_id, services.storage.staff.list()[0])


@pytest.mark.parametrize("form_id", ["kaigo_nintei", "kouki_sousai", "juminhyo"])
def test_review_panel__procedure_opened__heading_names_department_and_shows_picture(
        qtbot, world, form_id):
    panel = ReviewPanel(JA, lambda text: text)
    qtbot.addWidget(panel)
    panel.show()
    review = _open(world, form_id)

    panel.show_application(review)

    department = plain_text(world.services.forms.form(form_id).department.get("ja"))
    assert department
    assert department in panel.title.text()
    assert review.title in panel.title.text()
    assert panel.picture.isVisible()
    assert not panel.picture.pixmap().isNull()

    panel.close_application()
    assert not panel.picture.isVisible()
    assert department not in panel.title.text()
