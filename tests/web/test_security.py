"""Headers, cookies, rate limits and the pages' own markup: strict for every response."""

from __future__ import annotations

import re
from datetime import date

import pytest
from webhost import SITE, TOKEN_KEY, start_host

from kiosk.feed.snapshot import (
    PublicCall,
    PublicReservation,
    PublicService,
    PublicSlot,
    PublicState,
    PublicTicket,
)
from kiosk.feed.tokens import TicketLinks, token_hash

TOKEN = TicketLinks(TOKEN_KEY).token(1, date.today())
BOOKED = "R" * 27                      # a reservation link's token
SLOT = f"{date.today().isoformat()}T23:30"
STATE = PublicState(SITE, date.today(), (PublicService("A", "市民課", 1, 300, (1,) * 24),),
                    (PublicCall("A-001", "3", "A"),),
                    {token_hash(TOKEN): PublicTicket("A-002", "A", "waiting", 1, 300)},
                    (PublicSlot("A", SLOT, 2),),
                    {token_hash(BOOKED): PublicReservation("A", SLOT, "booked")})
PAGES = [f"/t/{TOKEN}", f"/t/{TOKEN}/status.json", "/congestion", "/congestion/widget",
         "/congestion/status.json", "/congestion.json", "/board?site=tome", "/board/status.json",
         "/healthz", "/static/live.js", "/static/style.css", "/t/unknown", "/reserve",
         f"/r/{BOOKED}", f"/r/{BOOKED}/status.json", f"/r/{BOOKED}/qr.svg", "/r/unknown"]


@pytest.mark.parametrize("path", PAGES)
def test_headers__every_response__strict_csp_no_cookie_no_referrer(host, path):
    host.post_state(STATE)

    answer = host.get(path)
    csp = answer.headers["content-security-policy"]

    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "default-src 'none'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in answer.headers
    assert "strict-transport-security" not in answer.headers   # plain HTTP here
    assert "server" not in answer.headers


@pytest.mark.parametrize(("path", "frames"), [("/t/" + TOKEN, "'none'"), ("/congestion", "'none'"),
                                              ("/congestion/widget", "*")])
def test_headers__framing__only_the_widget_is_embeddable(host, path, frames):
    answer = host.get(path)

    assert f"frame-ancestors {frames}" in answer.headers["content-security-policy"]
    assert ("x-frame-options" in answer.headers) == (frames == "'none'")


def test_headers__behind_tls__hsts_sent():
    tls = start_host(behind_tls=True)
    try:
        answer = tls.get("/congestion")
    finally:
        tls.server.stop()

    assert answer.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("path", [f"/t/{TOKEN}?lang=en", "/congestion?lang=vi",
                                  "/congestion/widget", "/board?site=tome", "/reserve?lang=ne",
                                  f"/r/{BOOKED}?lang=zh_Hans"])
def test_pages__markup__no_inline_script_style_or_handler(host, path):
    host.post_state(STATE)

    html = host.get(path).body

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []
    assert re.findall(r"\sstyle\s*=", html) == []
    assert "<noscript><meta http-equiv=\"refresh\"" in html


def test_rate_limit__too_many_requests_from_one_address__429():
    limited = start_host(rate_per_minute=5)
    try:
        statuses = [limited.get("/congestion").status for _ in range(7)]
    finally:
        limited.server.stop()

    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]


def test_away__unknown_or_finished_ticket__nothing_queued(host):
    finished = TicketLinks(TOKEN_KEY).token(9, date.today())
    state = PublicState(SITE, date.today(), STATE.services, STATE.calls,
                        {**STATE.tickets,
                         token_hash(finished): PublicTicket("A-001", "A", "finished")})
    host.post_state(state)

    for token in (TicketLinks(TOKEN_KEY).token(2, date.today()), finished):
        answer = host.get(f"/t/{token}/away", data=b"away=1", method="POST",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status == 200        # redirected back to the page
    bad_value = host.get(f"/t/{TOKEN}/away", data=b"away=yes", method="POST",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert bad_value.status == 200
    assert host.inbox.after(0) == []
