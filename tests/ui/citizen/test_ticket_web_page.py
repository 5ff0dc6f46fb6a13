"""From the tablet's ticket to the visitor's phone: the QR's URL in a real headless chromium.

The tablet issues the ticket on the simulated card and a real SQLite; the inner side's
publisher feeds a real uvicorn web host; chromium (at phone size) opens the URL the ticket's
QR code holds, and follows the clerk's call, the congestion and the board live.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from webhost import FEED_KEY, TOKEN_KEY, key_text, personal_strings, start_host

from kiosk.app import build_feed_publisher
from kiosk.config import WebConfig
from kiosk.i18n import N_, translator
from kiosk.services.visit import Stage
from kiosk.ui.citizen.ticket_screen import qr_pixmap

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SHOTS = Path(os.environ.get("KIOSK_WEB_SCREENSHOTS", "")) if os.environ.get(
    "KIOSK_WEB_SCREENSHOTS") else None


@pytest.fixture
def web(make_kiosk, chromium, tmp_path):
    host = start_host()
    kiosk = make_kiosk(web=WebConfig(public_url=host.url, feed_url=host.url,
                                     feed_key=key_text(FEED_KEY), token_key=key_text(TOKEN_KEY),
                                     publish_interval_s=0.25))
    publisher = build_feed_publisher(kiosk.services)
    assert publisher is not None
    publisher.start()
    yield kiosk, host, chromium
    publisher.stop()
    host.server.stop()


def _issue_on_tablet(kiosk) -> None:
    kiosk.to_review_with_card()
    assert "試験　花子" in kiosk.pilot.text("review-applicant_name")   # personal data on the tablet
    kiosk.pilot.tap("submit-noslip")
    kiosk.wait_for(Stage.TICKET)


def _until(driver, check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check(driver)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def _text(driver, css: str) -> str:
    # One read in the page: the live fragment may be swapped between a find and a .text.
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css)


def _shot(driver, name: str, tmp_path: Path) -> None:
    driver.save_screenshot(str(tmp_path / f"{name}.png"))
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_ticket_page__clerk_calls__phone_shows_called_within_2_s(web, tmp_path):
    kiosk, host, driver = web
    _issue_on_tablet(kiosk)
    ticket = kiosk.tablet.visit.ticket
    url = ticket.qr_payload
    shown = kiosk.tablet.findChild(QLabel, "ticket-qr").pixmap().toImage()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        kiosk.tablet.grab().save(str(SHOTS / "tablet-ticket.png"))
    ja = translator("ja")

    driver.get(url)
    _until(driver, lambda d: _text(d, "#number") == ticket.label, 5, "the ticket's number")
    _until(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-js"), 5,
           "live.js running")
    waiting_page = driver.page_source
    _shot(driver, "ticket-waiting", tmp_path)
    kiosk.services.queue.call_next(["A"], counter="3")
    called_at = time.monotonic()
    headline = _until(driver, lambda d: _text(d, "#headline"), 2.0, "called on the phone")
    seconds = time.monotonic() - called_at
    _shot(driver, "ticket-called", tmp_path)

    assert url.startswith(f"{host.url}/t/")
    assert url.endswith("?lang=ja")
    assert shown == qr_pixmap(url).toImage()          # the QR on the screen holds this URL
    assert ja(N_("Your number")) in waiting_page
    assert headline == ja(N_("Number {ticket}, please come to counter {counter}."),
                          ticket=ticket.label, counter="3")
    assert driver.current_url == url                  # live update, not a reload
    print(f"called -> shown on the phone: {seconds:.2f} s")
    for text in personal_strings():
        assert text not in waiting_page
        assert text not in driver.page_source


def test_congestion_and_board__queue_changes__pages_follow_live(web, tmp_path):
    kiosk, host, driver = web
    queue = kiosk.services.queue
    queue.take_ticket("A")
    driver.get(f"{host.url}/congestion?lang=en")
    _until(driver, lambda d: "1 waiting" in _text(d, "[data-service=A] .waiting"), 5,
           "one waiting")
    driver.execute_script("window.notReloaded = true;")

    queue.take_ticket("A")
    _until(driver, lambda d: "2 waiting" in _text(d, "[data-service=A] .waiting"), 3,
           "two waiting, live")
    still_same_page = driver.execute_script("return window.notReloaded === true;")
    _shot(driver, "congestion", tmp_path)
    congestion = driver.page_source
    driver.get(f"{host.url}/congestion/widget?lang=ja")
    _shot(driver, "widget", tmp_path)
    driver.set_window_size(1280, 720)
    driver.get(f"{host.url}/board?site=tome&lang=ja")
    called = queue.call_next(["A"], counter="2")
    number = _until(driver, lambda d: _text(d, "#board-number") == called.label
                    and _text(d, "#board-number"), 3, "the call on the board")
    _shot(driver, "board", tmp_path)
    board = driver.page_source
    feed = json.loads(host.get("/congestion.json").body)
    driver.set_window_size(390, 844)

    assert still_same_page
    assert number == called.label
    assert "→ 2" in board
    assert feed["services"][0]["code"] == "A"
    assert feed["services"][0]["waiting"] == 1
    for text in personal_strings():
        assert text not in congestion
        assert text not in board
        assert all(text not in answer.body for answer in host.seen)
