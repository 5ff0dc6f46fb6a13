"""The one-way feed on a real server: only signed, fresh, in-order states are taken."""

from __future__ import annotations

import base64
import itertools
import json
import logging
import socket
import time
from datetime import date

import pytest
from webhost import FEED_KEY, SITE, TOKEN_KEY, fetch, start_host

from kiosk.feed.envelope import SIGNATURE_HEADER, seal_message
from kiosk.feed.snapshot import PublicService, PublicState, PublicTicket
from kiosk.feed.tokens import TicketLinks, token_hash

TODAY = date.today()
LINKS = TicketLinks(TOKEN_KEY, "http://phone.example")
TOKEN = LINKS.token(1, TODAY)


def _state(label: str = "A-007", waiting: int = 3) -> PublicState:
    return PublicState(SITE, TODAY, (PublicService("A", "市民課", waiting, 900, (0,) * 24),),
                       (), {token_hash(TOKEN): PublicTicket(label, "A", "waiting", 2, 600)})


def test_feed__signed_state__accepted_and_served(host):
    answer = host.post_state(_state())

    page = host.get(f"/t/{TOKEN}?lang=en")

    assert answer.status == 204
    assert "A-007" in page.body
    assert "2 people are ahead of you." in page.body
    assert "about 10 minutes" in page.body


def _forged(host, data, signature):
    return seal_message(b"x" * 32, SITE, host.sequencer.next(), "snapshot", _state().to_json())


def _tampered(host, data, signature):
    return data.replace(b"A-008", b"A-009"), signature


def _replayed(host, data, signature):
    return data, signature          # the same message a second time


def _out_of_order(host, data, signature):
    return seal_message(FEED_KEY, SITE, 5, "snapshot", _state("A-009").to_json())


def _stale(host, data, signature):
    return seal_message(FEED_KEY, SITE, host.sequencer.next() + 10, "snapshot",
                        _state("A-009").to_json(), time.time() - 600)


def _wrong_site(host, data, signature):
    return seal_message(FEED_KEY, "other", host.sequencer.next() + 10, "snapshot",
                        _state("A-009").to_json())


def _personal_field(host, data, signature):
    body = _state("A-009").to_json()
    body["tickets"][token_hash(TOKEN)]["name"] = "試験　花子"
    return seal_message(FEED_KEY, SITE, host.sequencer.next() + 10, "snapshot", body)


@pytest.mark.parametrize(("make", "reason"), [
    (_forged, "bad_signature"),
    (_tampered, "bad_signature"),
    (_replayed, "replayed_or_out_of_order"),
    (_out_of_order, "replayed_or_out_of_order"),
    (_stale, "stale_or_from_the_future"),
    (_wrong_site, "wrong_site"),
    (_personal_field, "malformed_state"),
], ids=lambda value: getattr(value, "__name__", value))
def test_feed__bad_message__refused_logged_and_state_kept(host, caplog, make, reason):
    data, signature = seal_message(FEED_KEY, SITE, host.sequencer.next(), "snapshot",
                                   _state("A-008").to_json())
    first = host.post_state(_state("A-008"), seq=json.loads(data)["seq"] - 1)
    caplog.set_level(logging.WARNING, logger="kiosk.web.feed_state")

    bad_data, bad_signature = make(host, data, signature)
    if make is _replayed:   # the original goes through first, then the same bytes again
        assert fetch(host.url + "/feed", data=data,
                     headers={SIGNATURE_HEADER: signature}).status == 204
    answer = fetch(host.url + "/feed", data=bad_data, headers={SIGNATURE_HEADER: bad_signature})

    assert first.status == 204
    assert answer.status == 403
    assert f"feed message refused: {reason}" in caplog.text
    assert "試験" not in caplog.text
    assert "A-009" not in host.get(f"/t/{TOKEN}?lang=en").body


def test_feed__outage__pages_say_not_available_instead_of_stale_figures():
    host = start_host(stale_after_s=0.5)
    try:
        host.post_state(_state())
        assert "A-007" in host.get(f"/t/{TOKEN}?lang=en").body
        time.sleep(1.0)

        pages = [host.get(path) for path in (f"/t/{TOKEN}?lang=en", "/congestion?lang=en",
                                              "/board?site=tome&lang=en")]
        health = host.get("/healthz")
        feed = json.loads(host.get("/congestion.json").body)
    finally:
        host.server.stop()

    for page in pages:
        assert "Status not available" in page.body
        assert "A-007" not in page.body
        assert "3 waiting" not in page.body
    assert health.status == 503
    assert feed == {"available": False, "services": []}


def test_ticket_page__token_unknown_today__says_not_valid(host):
    host.post_state(_state())

    page = host.get(f"/t/{LINKS.token(2, TODAY)}?lang=en")

    assert "This ticket is not valid today" in page.body
    assert "A-007" not in page.body


@pytest.mark.parametrize("token", ["A-007", "1", TOKEN + "x", TOKEN[:-1] + "!"])
def test_ticket_page__malformed_token__not_found(host, token):
    assert host.get(f"/t/{token}").status == 404


def test_token__derivation__160_bits_per_day_per_key_and_not_from_the_number():
    tokens = {LINKS.token(ticket_id, TODAY) for ticket_id in range(1, 200)}

    assert len(tokens) == 199
    assert all(len(t) == 27 for t in tokens)           # 27 base64url characters = 160 bits
    assert LINKS.token(1, TODAY) != LINKS.token(1, date(2020, 1, 1))
    assert TicketLinks(b"k" * 32).token(1, TODAY) != TOKEN
    # Not from the number: neighbouring ids give unrelated tokens (about half the bits
    # differ; a random 160-bit pair falls under 40 with a chance of about 1e-10).
    # (Checking that no token contains "A-" or "007" failed by chance on some days: 199
    # random 27-character tokens hold "A-" about once.)
    bits = [int.from_bytes(base64.urlsafe_b64decode(LINKS.token(n, TODAY) + "="), "big")
            for n in range(1, 200)]
    assert min(bin(a ^ b).count("1") for a, b in itertools.pairwise(bits)) > 40


def test_feed__carries_token_hashes__never_the_tokens(host):
    body = json.dumps(_state().to_json())

    assert TOKEN not in body
    assert token_hash(TOKEN) in body


def test_ticket_poll_and_stream__called__both_say_called(host):
    host.post_state(_state())
    port = host.server.port
    stream = socket.create_connection(("127.0.0.1", port), timeout=5)
    stream.sendall(f"GET /t/{TOKEN}/events?lang=en HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    called = PublicState(SITE, TODAY, _state().services, (),
                         {token_hash(TOKEN): PublicTicket("A-007", "A", "called", 0, 0, "3")})
    received = b""
    try:
        while b'"phase": "waiting"' not in received:
            received += stream.recv(65536)
        host.post_state(called)
        while b'"phase": "called"' not in received:
            received += stream.recv(65536)
    finally:
        stream.close()
    polled = json.loads(host.get(f"/t/{TOKEN}/status.json?lang=en").body)

    assert b"text/event-stream" in received
    assert polled["phase"] == "called"
    assert "Number A-007, please come to counter 3." in polled["html"]
