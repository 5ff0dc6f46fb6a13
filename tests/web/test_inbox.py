"""Phones' messages wait on the web host; the inner side pulls them with the key, checks again."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from webhost import FEED_KEY, TOKEN_KEY, fetch, key_text

from kiosk.app import build_feed_publisher, build_services
from kiosk.config import load_config
from kiosk.feed.http_transport import HttpFeedTransport
from kiosk.feed.tokens import token_hash
from kiosk.services.feed_publisher import build_public_state, inbox_request_headers

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def inner(host, tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    config = replace(config, web=replace(config.web, public_url="http://phone.example",
                                         feed_url=host.url, feed_key=key_text(FEED_KEY),
                                         token_key=key_text(TOKEN_KEY)))
    services = build_services(config, demo=True)
    publisher = build_feed_publisher(services)
    assert publisher is not None
    yield services, publisher
    services.close()


def _token(services, ticket):
    return services.queue.links.token(ticket.id, ticket.day)


def test_away__phone_says_stepped_out__inner_side_applies_and_page_shows_it(host, inner):
    services, publisher = inner
    ticket = services.queue.take_ticket("A").ticket
    services.queue.take_ticket("A")
    publisher.tick()
    token = _token(services, ticket)

    host.get(f"/t/{token}/away?lang=en", data=b"away=1", method="POST", headers=FORM)
    publisher.tick()          # pulls and applies
    publisher.tick()          # publishes the new state
    page = host.get(f"/t/{token}?lang=en").body
    host.get(f"/t/{token}/away", data=b"away=0", method="POST", headers=FORM)
    publisher.tick()

    assert "The counter knows that you have stepped out." in page
    assert "I am back" in page
    assert not services.stepped_out.is_away(ticket.id)


def test_away__message_for_a_ticket_the_inner_side_does_not_know__refused(host, inner, caplog):
    services, publisher = inner
    ticket = services.queue.take_ticket("A").ticket
    publisher.tick()
    caplog.set_level(logging.WARNING, logger="kiosk.services.feed_publisher")
    host.inbox.put_away(token_hash("not-a-ticket-of-today-0000"), True)   # a web host gone bad

    publisher.tick()

    assert not services.stepped_out.is_away(ticket.id)
    assert "a phone's message was refused on the inner side" in caplog.text


@pytest.mark.parametrize(("headers", "after"), [
    ({}, "0"),
    (inbox_request_headers(b"x" * 32, 0), "0"),
    (inbox_request_headers(FEED_KEY, 0, now=1_000_000.0), "0"),   # an old, captured request
    (inbox_request_headers(FEED_KEY, 0), "5"),                     # signed for another query
], ids=["unsigned", "wrong-key", "old", "other-query"])
def test_inbox_pull__without_a_fresh_signature_for_the_query__refused(host, headers, after):
    host.inbox.put_away("a" * 64, True)

    answer = fetch(f"{host.url}/feed/inbox?after={after}", headers=headers)

    assert answer.status == 403
    assert "a" * 64 not in answer.body


def test_inbox_answer__tampered_on_the_way__inner_side_refuses(host, inner):
    services, publisher = inner
    ticket = services.queue.take_ticket("A").ticket
    publisher.tick()
    host.get(f"/t/{_token(services, ticket)}/away", data=b"away=1", method="POST", headers=FORM)

    class Tampering(HttpFeedTransport):
        def get(self, path, headers):
            data, signature = super().get(path, headers)
            return data.replace(b'"away":true', b'"away":false'), signature

    publisher._transport = Tampering(host.url)
    applied = publisher.pull(publisher._build())

    assert applied == 0
    assert not services.stepped_out.is_away(ticket.id)


def test_feed__web_host_unreachable__queue_goes_on(inner, caplog):
    services, publisher = inner
    publisher._transport = HttpFeedTransport("http://127.0.0.1:9")     # nothing listens
    caplog.set_level(logging.WARNING)

    publisher.tick()
    issued = services.queue.take_ticket("A")

    assert issued.ticket.label.startswith("A-")
    assert "feed: TransportError" in caplog.text


def test_feed__published_state__knows_tickets_by_token_hash_only(host, inner):
    services, publisher = inner
    ticket = services.queue.take_ticket("A").ticket

    publisher.tick()
    state = host.state.current()

    assert state is not None
    assert list(state.tickets) == [token_hash(_token(services, ticket))]


class _JapanClock:
    """10:30 in Tome (JST), whatever the test machine's zone."""

    def now(self):
        from datetime import datetime, timedelta, timezone

        return datetime(2026, 12, 7, 10, 30, tzinfo=timezone(timedelta(hours=9)))


def test_public_state__tickets_by_hour__in_the_citys_local_hours(tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    config = replace(config, web=replace(config.web, public_url="http://phone.example",
                                         token_key=key_text(TOKEN_KEY)))
    services = build_services(config, demo=True, clock=_JapanClock())
    try:
        services.queue.take_ticket("A")
        view = build_public_state(services.queue, services.queue.links, "tome", services.clock)
    finally:
        services.close()

    hourly = view.state.service("A").hourly
    assert hourly[10] == 1                     # 10:30 JST, stored as 01:30 UTC
    assert sum(hourly) == 1


def test_publisher__token_hashes_kept_between_rounds__same_state_as_worked_out_afresh(inner):
    services, _publisher = inner
    first = services.queue.take_ticket("A").ticket
    links, clock = services.queue.links, services.clock
    kept: dict = {}
    before = build_public_state(services.queue, links, "tome", clock, hashes=kept)
    services.queue.take_ticket("A")
    services.queue.call_next(["A"], counter="3")
    again = build_public_state(services.queue, links, "tome", clock, hashes=kept)
    afresh = build_public_state(services.queue, links, "tome", clock)

    assert kept[first.id, first.day] == token_hash(_token(services, first))
    assert len(kept) == 2
    assert again.state == afresh.state
    assert again.state != before.state
    assert again.state.tickets[token_hash(_token(services, first))].phase == "called"
