"""The shared database away when a citizen sends: a plain message in their language, no URL,
the answers kept, and sending again works once it is back."""

from __future__ import annotations

import pytest

from kiosk.i18n import N_, translator
from kiosk.services.visit import Stage
from kiosk.storage.engine import DatabaseUnavailableError

pytestmark = pytest.mark.gui

_URL = "postgresql+psycopg://kiosk@kiosk-db.city.local/kiosk"


@pytest.mark.parametrize("language", ["vi", "ja"])
def test_tablet__database_away_on_send__plain_message_in_citizen_language_then_sends(
        make_kiosk, monkeypatch, language):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language(language)
    kiosk.to_review_with_card()
    queue = kiosk.services.queue
    take_ticket = queue.take_ticket

    def away(*_args, **_kwargs):
        raise DatabaseUnavailableError(
            "The database at {url} is not reachable ({reason}). Check that the server is "
            "running, that this device reaches it (LAN, firewall, host and port), and the "
            "user and password in [database] url.", url=_URL, reason="Connection refused")

    monkeypatch.setattr(queue, "take_ticket", away)
    kiosk.pilot.tap("submit-noslip")
    shown = kiosk.pilot.text("error")
    texts = " ".join(kiosk.pilot.texts())
    monkeypatch.setattr(queue, "take_ticket", take_ticket)
    kiosk.pilot.tap("submit-noslip")

    assert shown == "⚠ " + translator(language)(N_(
        "A ticket cannot be issued just now. Please wait a moment and send again; if it "
        "goes on, please call a staff member."))
    assert "kiosk-db" not in texts
    assert "database" not in texts
    kiosk.wait_for(Stage.TICKET)


def test_tablet__database_away_on_send__message_scrolled_into_view(make_kiosk, monkeypatch):
    # On the 1920 × 1080 pilot tablet the review is longer than the screen: the message was
    # added under the answers, out of view, and Send seemed to do nothing.
    kiosk = make_kiosk(size=(1920, 1080))
    kiosk.tablet.visit.set_language("vi")
    kiosk.to_review_with_card()

    def away(*_args, **_kwargs):
        raise DatabaseUnavailableError("The database at {url} is not reachable ({reason}).",
                                       url=_URL, reason="Connection refused")

    monkeypatch.setattr(kiosk.services.queue, "take_ticket", away)
    kiosk.pilot.tap("submit-print")
    kiosk.pilot.settle()

    error = kiosk.pilot.find("error")
    assert error.isVisible()
    assert error.visibleRegion().boundingRect().height() == error.height()
