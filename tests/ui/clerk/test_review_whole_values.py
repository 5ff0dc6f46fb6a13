"""The clerk reads every value whole and in Japanese, and each action runs once per intention.

The application here is the long-address test person of devices/smartcard/persons, read from
the card, on the clerk desktop at its real size (1200x800, the normal theme).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.domain.application import ApplicationStatus, Submission
from kiosk.domain.ticket import TicketAction, TicketState
from kiosk.i18n import staff_translator
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Answer, Provenance
from kiosk.procedures.stored import to_stored
from kiosk.services.counter_desk import CounterDesk, DeskBusyError
from kiosk.services.review import STATUS_NAMES, ReviewError
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.clerk.review_panel import staff_message
from kiosk.ui.common.theme import NORMAL

from ..clipping import clipped_texts
from .conftest import PASSWORD

pytestmark = pytest.mark.gui

LONG_ADDRESS = ("北海道札幌市中央区北一条西二丁目一番地　市民文化局地域振興部区政課住民情報担当係　"
                "特設窓口受付番号第１２３４５６７８９０号　グランドメゾン札幌中央タワー東棟　３３３号室")
NAME = "長住所\u3000太郎"
READING = "チョウジュウショ\u3000タロウ"
LONG_REASON = ("本人が窓口で申し出た現在の連絡先（携帯電話ではなく自宅の固定電話）に合わせて訂正した。"
               "申請書の控えにも同じ番号を記載済み。")
JA = staff_translator("ja")


def _submit_long_address(world) -> int:
    """A second ticket whose application carries the long address, read from the card."""
    issued = world.services.queue.take_ticket("A")
    form = world.services.forms.form("juminhyo")
    session = sample_session(form, today=world.services.clock.now().date())
    session.answers["applicant_name"] = Answer(NAME, Provenance.CARD, locked=True)
    session.answers["address"] = Answer(LONG_ADDRESS, Provenance.CARD, locked=True)
    session.answers["applicant_reading"] = Answer(READING, Provenance.CITIZEN)
    session.answers["phone"] = Answer("0220-22-2111", Provenance.CITIZEN)
    result = world.services.submissions.submit(Submission(
        form.id, form.version, "vi", to_stored(session), issued.ticket.id))
    assert result.application_id is not None
    return result.application_id


@pytest.fixture
def desk(qtbot, world):
    """The clerk desktop as ``kiosk clerk`` shows it, logged in, serving the long address."""
    # The world's first ticket leaves the line, so the long address is called next.
    world.services.queue.act(world.ticket_id, TicketAction.CANCEL, staff_id=None)
    application_id = _submit_long_address(world)
    clerk = _logged_in(qtbot, world)
    _click(qtbot, clerk.queue.buttons["next"])
    assert clerk.review.review is not None
    assert clerk.review.review.application.id == application_id
    yield clerk
    clerk.close_bridge()


def _logged_in(qtbot, world) -> ClerkWindow:
    """The desktop at the size and theme `kiosk clerk` gives it, after the clerk's login."""
    clerk = ClerkWindow(world.services, idle_lock_s=600)
    clerk.setStyleSheet(NORMAL.stylesheet())
    clerk.resize(1200, 800)
    qtbot.addWidget(clerk)
    clerk.show()
    clerk.login.login.setText("clerk1")
    clerk.login.password.setText(PASSWORD)
    _click(qtbot, clerk.login.submit)
    return clerk


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _double_click(qtbot, button):
    # Two clicks within the double-click interval, as a hurried clerk makes them.
    _click(qtbot, button)
    _click(qtbot, button)


def _settle(qtbot):
    qtbot.wait(QApplication.doubleClickInterval() + 50)


def _row(review, field_id):
    return next(i for i, f in enumerate(review.fields) if f.field_id == field_id)


def _screenshot(widget, name):
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _correct_phone(qtbot, review, value="0220-22-1111", reason=LONG_REASON):
    review.table.selectRow(_row(review, "phone"))
    review.new_value.setText(value)
    review.reason.setText(reason)
    _click(qtbot, review.buttons["edit"])
    assert review.message.text() == ""


def test_review__long_card_address_and_long_reason__every_text_shown_whole(qtbot, desk):
    review = desk.review
    _correct_phone(qtbot, review)
    qtbot.wait(50)
    _screenshot(desk, "clerk-review-long-address")

    assert clipped_texts(review) == []
    address = review.table.item(_row(review, "address"), 1).text()
    assert address.startswith(LONG_ADDRESS)
    assert "カード" in review.table.item(_row(review, "address"), 0).text()
    phone = review.table.item(_row(review, "phone"), 1)
    assert LONG_REASON in phone.text()
    assert phone.toolTip() == phone.text()
    assert review.table.horizontalHeader().sectionResizeMode(0).name == "Interactive"


def test_review__citizens_phone_corrected__grouping_kept_and_citizen_named_as_source(qtbot,
                                                                                     desk):
    review = desk.review
    _correct_phone(qtbot, review)

    field = review.fields[_row(review, "phone")]
    assert (field.value, field.original) == ("0220-22-1111", "0220-22-2111")
    assert field.original_provenance is Provenance.CITIZEN
    shown = review.table.item(_row(review, "phone"), 1).text()
    assert "訂正前（市民の入力）: 0220-22-2111" in shown
    assert "カード" not in shown
    # Reopened from the store: the same, the source kept with the sealed answers.
    reopened = desk._services.review.open(review.review.application.id, desk.member)
    again = next(f for f in reopened.fields() if f.field_id == "phone")
    assert (again.value, again.original_provenance) == ("0220-22-1111", Provenance.CITIZEN)


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_status_names__every_status__translated_for_the_clerk(status):
    english = STATUS_NAMES[status]

    japanese = JA(english)

    assert japanese != english
    assert not any("a" <= ch.lower() <= "z" for ch in japanese)


def test_review__through_the_flow__status_line_in_japanese(qtbot, desk):
    review = desk.review
    seen = [review.status.text()]
    for key in ("approve", "print"):
        _click(qtbot, review.buttons[key])
        _settle(qtbot)
        seen.append(review.status.text())
    _screenshot(desk, "clerk-review-printed")

    assert clipped_texts(review) == []
    assert seen == ["状態: 審査中", "状態: 承認済み", "状態: 印刷済み"]


def test_review__print_double_clicked__one_print_job(qtbot, desk, world):
    review = desk.review
    _click(qtbot, review.buttons["approve"])

    _double_click(qtbot, review.buttons["print"])

    assert len(list(world.services.config.print_dir.glob("*.pdf"))) == 1
    assert review.review.status is ApplicationStatus.PRINTED
    _settle(qtbot)       # a click after the double-click time is a new intention: a reprint
    _click(qtbot, review.buttons["print"])
    assert len(list(world.services.config.print_dir.glob("*.pdf"))) == 2


def test_queue__call_next_double_clicked__one_ticket_called(qtbot, world):
    world.services.queue.take_ticket("A")
    clerk = _logged_in(qtbot, world)

    _double_click(qtbot, clerk.queue.buttons["next"])

    states = [t.state for t in world.services.storage.queue.tickets(["A"])]
    clerk.close_bridge()
    assert sorted(s.value for s in states) == sorted(
        [TicketState.CALLED.value, TicketState.ISSUED.value])


def test_conversation__vietnamese_visitor_called__tab_follows_their_language(desk, world):
    # The long-address application was made in Vietnamese.
    assert desk.conversation is not None
    assert desk.conversation.visitor_language.currentData() == "vi"
    assert world.services.conversation.visitor_language == "vi"


def test_finish_buttons__ticket_and_application__say_what_they_finish(desk):
    ticket, application = desk.queue.buttons["finish"].text(), desk.review.buttons["finish"].text()

    assert ticket != application
    assert "番号札" in ticket
    assert "申請" in application


def test_review_service__second_approve_print_finish__no_second_change(world):
    staff = world.services.storage.staff.list()[0]
    review = world.services.review.open(world.application_id, staff)
    review.approve()
    review.approve()                      # the same intention again: nothing happens
    review.print_form()

    with pytest.raises(ReviewError) as refused:
        review.print_form()               # a stale "Print": no second job
    review.finish()
    review.finish()

    assert JA(refused.value.message_id) != refused.value.message_id
    assert len(list(world.services.config.print_dir.glob("*.pdf"))) == 1
    assert review.status is ApplicationStatus.DONE


def test_counter_desk__call_while_serving__refused_and_the_next_still_waits(world):
    second = world.services.queue.take_ticket("A").ticket
    staff = world.services.storage.staff.list()[0]
    desk = CounterDesk(world.services.queue, world.services.storage.queue, staff, "1番窓口",
                       ["A"])
    first = desk.call_next()

    with pytest.raises(DeskBusyError):
        desk.call_next()
    again = desk.call(first.id)            # calling the served ticket again changes nothing

    assert again.id == first.id
    assert world.services.storage.queue.get(second.id).state is TicketState.ISSUED


def test_staff_message__refused_for_its_status__status_named_in_japanese(world):
    staff = world.services.storage.staff.list()[0]
    review = world.services.review.open(world.application_id, staff)
    review.send_back("document_needed")

    with pytest.raises(ReviewError) as refused:
        review.approve()

    shown = staff_message(JA, refused.value)
    assert "市民に差し戻し" in shown
    assert "returned" not in shown
