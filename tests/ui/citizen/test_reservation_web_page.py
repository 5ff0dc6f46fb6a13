"""A reservation (予約) from the phone to the counter, in a real headless chromium.

The phone books a slot on the web host's page; the inner side's publisher pulls the booking,
checks it and publishes it back; the tablet checks the visitor in when the reader types the
reservation's QR code; the ticket goes ahead of a walk-in, the clerk calls and serves it, and
the reservation's page follows live. Cancelling by the link frees the place.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit
from selenium.webdriver.support.ui import Select
from webhost import FEED_KEY, TOKEN_KEY, key_text, personal_strings, start_host

from kiosk.app import build_feed_publisher
from kiosk.config import WebConfig
from kiosk.domain.ticket import TicketAction
from kiosk.i18n import N_, translator
from kiosk.services.visit import Stage

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SHOTS = Path(os.environ["KIOSK_WEB_SCREENSHOTS"]) if os.environ.get(
    "KIOSK_WEB_SCREENSHOTS") else None
JA = translator("ja")


@pytest.fixture
def web(make_kiosk, chromium):
    host = start_host()
    # Slots all day, every day, 5 minutes long: the next one is always open to check in.
    kiosk = make_kiosk(web=WebConfig(public_url=host.url, feed_url=host.url,
                                     feed_key=key_text(FEED_KEY), token_key=key_text(TOKEN_KEY),
                                     publish_interval_s=0.25, reserve_hours="00:00-24:00",
                                     reserve_days="1234567", reserve_slot_minutes=5))
    assert kiosk.services.reservations is not None
    kiosk.services.reservations.set_capacity("A", 1)
    publisher = build_feed_publisher(kiosk.services)
    assert publisher is not None
    publisher.start()
    yield kiosk, host, chromium
    publisher.stop()
    host.server.stop()


def _until(driver, check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check(driver)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def _text(driver, css: str) -> str:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css)


def _shot(driver, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / f"{name}.png"))


def _scan(kiosk, text: str) -> None:
    """The QR reader (a keyboard to the tablet) types what the code holds, then Enter."""
    field = kiosk.tablet.findChild(QLineEdit, "check-in-code")
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)


def _book(driver, host) -> str:
    """Book the first open slot of service A on the page; the reservation's URL."""
    _until(driver, lambda _: getattr(host.state.current(), "slots", ()), 5,
           "the slots published")
    driver.get(f"{host.url}/reserve?lang=ja")
    _until(driver, lambda d: d.find_elements("css selector", "#slot-A option"), 5,
           "slots of service A")
    _shot(driver, "reserve")
    Select(driver.find_element("id", "slot-A")).select_by_index(0)
    driver.find_element("css selector", "[data-service=A] button").click()
    _until(driver, lambda d: _text(d, "#headline") == JA(N_("Your reservation is confirmed.")),
           5, "the booking confirmed by the inner side")
    return driver.current_url.split("?")[0]


def test_reservation__booked_checked_in_called_served__page_follows(web):
    kiosk, host, driver = web
    queue = kiosk.services.queue
    url = _book(driver, host)
    booked_page = driver.page_source
    qr_drawn = _until(driver, lambda d: d.execute_script(
        "var i = document.getElementById('reservation-qr'); return i && i.complete "
        "&& i.naturalWidth;"), 5, "the QR code drawn")
    _shot(driver, "reservation-booked")
    qr = host.get(url.removeprefix(host.url) + "/qr.svg")
    walk_in = queue.take_ticket("A").ticket          # came earlier, without a reservation

    _scan(kiosk, url)
    kiosk.wait_for(Stage.TICKET)
    number = kiosk.tablet.findChild(QLabel, "ticket-number").text()
    if SHOTS is not None:
        kiosk.tablet.grab().save(str(SHOTS / "tablet-check-in.png"))
    _until(driver, lambda d: _text(d, "#number") == number, 5, "the ticket on the page")
    called = queue.call_next(["A"], counter="3")
    headline = _until(driver, lambda d: _text(d, "#ticket-headline"), 2.0, "called")
    _shot(driver, "reservation-called")
    queue.act(called.id, TicketAction.SERVE)
    queue.act(called.id, TicketAction.FINISH)
    _until(driver, lambda d: _text(d, "#ticket-headline")
           == JA(N_("This ticket is finished. Thank you.")), 3, "served")

    assert qr.status == 200
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr_drawn > 100
    assert called.label == number                      # ahead of the walk-in
    assert called.id != walk_in.id
    assert headline == JA(N_("Number {ticket}, please come to counter {counter}."),
                          ticket=number, counter="3")
    assert driver.current_url.split("?")[0] == url     # live, not reloaded
    for text in personal_strings():
        assert text not in booked_page
        assert text not in driver.page_source


def test_reservation__cancelled_by_link__place_freed_and_code_refused(web):
    kiosk, host, driver = web
    url = _book(driver, host)

    driver.find_element("id", "cancel").click()
    _until(driver, lambda d: _text(d, "#headline") == JA(N_("This reservation is cancelled.")),
           5, "cancelled by the inner side")
    _shot(driver, "reservation-cancelled")
    _scan(kiosk, url)
    kiosk.pilot.wait_until(lambda: kiosk.pilot.exists("check-in-error"), "the check-in error")
    error = kiosk.pilot.text("check-in-error")
    again = _book(driver, host)                        # the only place is free again

    assert kiosk.stage is Stage.WELCOME
    assert error == "⚠ " + JA(N_("This reservation cannot be used (cancelled, used or "
                                 "expired). Please take a ticket."))
    assert again != url
