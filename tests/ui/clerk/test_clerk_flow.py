"""The clerk desktop driven like a clerk: login, call, review, correct, print, finish, move tickets."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.application import ApplicationStatus
from kiosk.domain.ticket import TicketState
from kiosk.errors import DeviceError
from kiosk.procedures.session import Provenance
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


class _BrokenPrinter:
    def print_pdf(self, pdf, *, title, copies=1):
        raise DeviceError("The printer could not print the job: {reason}", reason="paper jam")

    def probe(self):
        return []


@pytest.fixture
def clerk(qtbot, world):
    window = ClerkWindow(world.services, idle_lock_s=600)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close_bridge()


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _login(qtbot, clerk, password=PASSWORD):
    clerk.login.login.setText("clerk1")
    clerk.login.password.setText(password)
    _click(qtbot, clerk.login.submit)


def _status(world):
    return world.services.storage.applications.get(
        world.application_id, world.services.review._opener).status


def test_login__wrong_password__stays_on_login_with_message(qtbot, clerk):
    _login(qtbot, clerk, "wrong-password")

    assert clerk.currentWidget() is clerk.login
    assert clerk.login.message.text() == "職員IDまたはパスワードが正しくありません。"


def test_login__right_password__desk_with_waiting_ticket_and_figures(qtbot, clerk):
    _login(qtbot, clerk)

    assert clerk.currentWidget() is clerk.desk_page
    assert clerk.queue.table.rowCount() == 1
    assert clerk.queue.table.item(0, 0).text() == "A-001"
    assert clerk.queue.table.item(0, 3).text() == "英語"     # in the clerk's words, not "en"
    assert clerk.supervisor is not None


def test_idle_lock__locked__application_values_leave_the_screen(qtbot, clerk):
    _login(qtbot, clerk)
    _click(qtbot, clerk.queue.buttons["next"])
    assert clerk.review.table.rowCount() > 0

    clerk.lock()

    assert clerk.currentWidget() is clerk.login
    assert clerk.review.table.rowCount() == 0


def test_lock__after_a_sign_in__login_form_empty_and_the_name_field_focused(qtbot, clerk):
    _login(qtbot, clerk)
    assert clerk.currentWidget() is clerk.desk_page
    clerk.activateWindow()
    qtbot.waitUntil(clerk.isActiveWindow)

    clerk.lock()

    # The next person signs in as themselves: nothing of the last sign-in is left to edit.
    assert clerk.currentWidget() is clerk.login
    assert (clerk.login.login.text(), clerk.login.password.text()) == ("", "")
    qtbot.waitUntil(clerk.login.login.hasFocus)


def test_review__call_edit_approve_print_finish__application_done(qtbot, clerk, world):
    _login(qtbot, clerk)
    _click(qtbot, clerk.queue.buttons["next"])
    review = clerk.review
    assert review.review is not None
    assert review.review.status is ApplicationStatus.IN_REVIEW
    row = next(i for i, f in enumerate(review.fields) if f.field_id == "phone" or
               (f.provenance is Provenance.CITIZEN and f.field_id != "purpose"))
    field_id = review.fields[row].field_id
    review.table.selectRow(row)
    review.new_value.setText(review.fields[row].value)

    _click(qtbot, review.buttons["edit"])          # no reason: refused
    assert review.message.text() == "訂正の理由を入力してください。"

    review.reason.setText("本人の申し出")
    _click(qtbot, review.buttons["edit"])
    edited = next(f for f in review.fields if f.field_id == field_id)
    assert edited.provenance is Provenance.CLERK
    assert edited.reason == "本人の申し出"

    _click(qtbot, review.buttons["approve"])
    assert review.review.status is ApplicationStatus.APPROVED, review.message.text()
    _click(qtbot, review.buttons["print"])
    assert review.review.status is ApplicationStatus.PRINTED
    assert list(world.services.config.print_dir.glob("*.pdf"))
    assert review.buttons["print"].text() == "再印刷"
    _click(qtbot, review.buttons["finish"])

    assert _status(world) is ApplicationStatus.DONE
    assert review.review is None


def test_review__printer_fails__japanese_shown_reason_logged_not_printed(qtbot, clerk, world,
                                                                        caplog):
    world.services.review.printer = _BrokenPrinter()
    _login(qtbot, clerk)
    _click(qtbot, clerk.queue.buttons["next"])
    _click(qtbot, clerk.review.buttons["approve"])

    with caplog.at_level(logging.WARNING):
        _click(qtbot, clerk.review.buttons["print"])

    # What to do, in Japanese; the printer's own words for IT in the device log.
    assert clerk.review.message.text().startswith("印刷できませんでした。")
    assert "paper jam" not in clerk.review.message.text()
    assert "paper jam" in caplog.text
    assert _status(world) is ApplicationStatus.APPROVED
    assert clerk.review.buttons["print"].isEnabled()


def test_review__return_with_reason__returned_and_closed(qtbot, clerk, world):
    _login(qtbot, clerk)
    _click(qtbot, clerk.queue.buttons["next"])

    reason = str(clerk.review.return_reason.currentData())
    _click(qtbot, clerk.review.buttons["return"])

    assert _status(world) is ApplicationStatus.RETURNED
    assert clerk.review.review is None
    # The application was made in English: the clerk reads the reason the citizen is given in
    # Japanese (the citizen's tablet shows it in English).
    from kiosk.i18n import translator
    from kiosk.services.review import RETURN_REASONS

    assert translator("ja")(RETURN_REASONS[reason]) in clerk.review.message.text()
    assert RETURN_REASONS[reason] not in clerk.review.message.text()


@pytest.mark.parametrize(("button", "state", "service"), [
    ("no_show", TicketState.NO_SHOW, "A"),
    ("hold", TicketState.HELD, "A"),
    ("transfer", TicketState.ISSUED, "B"),
])
def test_queue__called_ticket_action__ticket_moves(qtbot, clerk, world, button, state, service):
    _login(qtbot, clerk)
    _click(qtbot, clerk.queue.buttons["next"])
    clerk.queue.transfer_to.setCurrentIndex(clerk.queue.transfer_to.findData("B"))

    _click(qtbot, clerk.queue.buttons[button])

    ticket = world.services.storage.queue.get(world.ticket_id)
    assert (ticket.state, ticket.service) == (state, service)
    assert clerk.queue.desk.current is None
