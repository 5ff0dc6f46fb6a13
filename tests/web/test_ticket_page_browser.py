"""The ticket page in a real headless chromium: the call arrives without a reload.

The page listens to its server-sent event stream while other phones hold theirs open; with
no EventSource (an old browser, a proxy that buffers streams) it falls back to polling.
"""

from __future__ import annotations

import socket
import time
from datetime import date

import pytest
from webhost import SITE, TOKEN_KEY, personal_strings

from kiosk.feed.snapshot import PublicCall, PublicService, PublicState, PublicTicket
from kiosk.feed.tokens import TicketLinks, token_hash

TODAY = date.today()
LINKS = TicketLinks(TOKEN_KEY)
TOKENS = [LINKS.token(number, TODAY) for number in range(1, 41)]
MINE = TOKENS[6]
CALLED_EN = "Number A-007, please come to counter 3."


def _state(called: bool) -> PublicState:
    tickets = {}
    for place, token in enumerate(TOKENS):
        label = f"A-{place + 1:03d}"
        if token == MINE and called:
            tickets[token_hash(token)] = PublicTicket(label, "A", "called", 0, 0, "3")
        else:
            tickets[token_hash(token)] = PublicTicket(label, "A", "waiting", place, 60 * place)
    calls = (PublicCall("A-007", "3", "A"),) if called else ()
    return PublicState(SITE, TODAY, (PublicService("A", "市民課", 40, 2400, (0,) * 24),), calls,
                       tickets)


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


def _other_phones(port: int) -> list[socket.socket]:
    """The other tickets' pages, holding their streams open."""
    streams = []
    for token in TOKENS:
        if token != MINE:
            stream = socket.create_connection(("127.0.0.1", port), timeout=5)
            stream.sendall(f"GET /t/{token}/events?lang=ja HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            streams.append(stream)
    return streams


def _open_waiting(driver, host) -> None:
    driver.get(f"{host.url}/t/{MINE}?lang=en")
    _until(driver, lambda d: _text(d, "#number") == "A-007", 5, "the ticket's number")
    _until(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-js"), 5,
           "live.js running")
    driver.execute_script("window.notReloaded = true;")


def test_ticket_page__clerk_calls__page_shows_called_without_reload(host, chromium):
    driver = chromium
    host.post_state(_state(called=False))
    others = _other_phones(host.server.port)
    try:
        _open_waiting(driver, host)
        waiting = _text(driver, "#ahead")
        host.post_state(_state(called=True))
        headline = _until(driver, lambda d: _text(d, "#headline"), 2.0, "called on the page")
        phase = driver.execute_script(
            "return document.querySelector('[data-phase]').getAttribute('data-phase');")
        not_reloaded = driver.execute_script("return window.notReloaded === true;")
        page = driver.page_source
    finally:
        for stream in others:
            stream.close()

    assert waiting == "6 people are ahead of you."
    assert headline == CALLED_EN
    assert phase == "called"
    assert not_reloaded                          # the live part was swapped, not the page
    assert driver.current_url == f"{host.url}/t/{MINE}?lang=en"
    for text in personal_strings():
        assert text not in page


@pytest.mark.slow
def test_ticket_page__no_event_source__polls_and_shows_called(host, chromium):
    driver = chromium
    # Before any of the page's scripts: a browser without EventSource.
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": "window.EventSource = undefined;"})
    host.post_state(_state(called=False))
    try:
        _open_waiting(driver, host)
        host.post_state(_state(called=True))
        headline = _until(driver, lambda d: _text(d, "#headline"), 8.0,
                          "called on the polling page")
        not_reloaded = driver.execute_script("return window.notReloaded === true;")
        had_no_stream = driver.execute_script("return window.EventSource === undefined;")
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                               {"identifier": script["identifier"]})

    assert had_no_stream
    assert headline == CALLED_EN
    assert not_reloaded
