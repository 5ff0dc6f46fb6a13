"""Reservations through the feed: the web host only queues, the inner side checks again.

A booking the page did not offer, a forged inbox message (as if the web host were taken
over), a full slot and a phone booking too often are all refused; the refusal comes back on
the feed so the link's page says so. No response carries anything personal.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from webhost import FEED_KEY, SITE, TOKEN_KEY, key_text, personal_strings

from kiosk.app import build_feed_publisher, build_services
from kiosk.config import load_config
from kiosk.feed.envelope import seal_message
from kiosk.feed.tokens import token_hash
from kiosk.web.reservation_pages import BOOKINGS_PER_ADDRESS

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def inner(host, tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    config = replace(config, web=replace(
        config.web, public_url="http://phone.example", feed_url=host.url,
        feed_key=key_text(FEED_KEY), token_key=key_text(TOKEN_KEY),
        reserve_days="1234567", reserve_hours="00:00-24:00", reserve_slot_minutes=5))
    services = build_services(config, demo=True)
    assert services.reservations is not None
    services.reservations.set_capacity("A", 1)
    publisher = build_feed_publisher(services)
    assert publisher is not None
    publisher.tick()
    yield services, publisher
    services.close()


def _round(publisher) -> None:
    publisher.tick()          # pulls and applies
    publisher.tick()          # publishes the outcome


def _book(host, slot, service="A"):
    answer = host.get("/reserve?lang=en", data=f"service={service}&slot={slot}".encode(),
                      method="POST", headers=FORM)
    found = re.search(r"/r/([A-Za-z0-9_-]{27})", answer.body + json.dumps(answer.headers))
    return answer, found.group(1) if found else None


def _first_slot(host) -> str:
    return re.findall(r'<option value="([0-9T:-]+)"', host.get("/reserve").body)[0]


def test_book__offered_slot__confirmed_by_the_inner_side_then_cancelled(host, inner):
    services, publisher = inner
    slot = _first_slot(host)

    answer, token = _book(host, slot)
    waiting = host.get(f"/r/{token}?lang=en").body
    _round(publisher)
    booked = host.get(f"/r/{token}?lang=en").body
    full = host.get("/reserve?lang=en").body
    host.get(f"/r/{token}/cancel?lang=en", data=b"", method="POST", headers=FORM)
    _round(publisher)
    cancelled = host.get(f"/r/{token}?lang=en").body

    assert answer.status == 200                      # followed the 303 to the link's page
    assert "being confirmed" in waiting
    assert "Your reservation is confirmed." in booked
    assert f"{slot[11:]} (full)" in full
    assert "This reservation is cancelled." in cancelled
    assert services.reservations.public_states()[token_hash(token)][2] == "cancelled"
    for text in personal_strings():
        assert all(text not in seen.body for seen in host.seen)


@pytest.mark.usefixtures("inner")
def test_book__slot_not_offered__refused_on_the_web_host(host):
    answer, token = _book(host, "2020-01-06T09:00")

    assert token is None
    assert "could not be booked" in answer.body
    assert host.inbox.after(0) == []


@pytest.mark.parametrize(("service", "slot"), [("A", "2020-01-06T09:00"),   # past
                                              ("B", None),                  # takes none
                                              ("A", "2026-13-01T09:00")])   # not a date
def test_forged_inbox_message__inner_side_refuses_and_page_says_so(host, inner, service, slot):
    services, publisher = inner
    token = "F" * 27
    # As if the web host were taken over: a booking it never offered.
    host.inbox.put_reservation(token_hash(token), service, slot or _first_slot(host))

    _round(publisher)
    page = host.get(f"/r/{token}?lang=en")

    assert services.reservations.public_states() == {}
    assert "could not be booked" in page.body


def test_book__slot_taken_meanwhile__second_refused_by_the_inner_side(host, inner):
    services, publisher = inner
    slot = _first_slot(host)
    _, first = _book(host, slot)
    _, second = _book(host, slot)                    # the page still showed 1 place

    _round(publisher)

    assert "Your reservation is confirmed." in host.get(f"/r/{first}?lang=en").body
    assert "could not be booked" in host.get(f"/r/{second}?lang=en").body
    assert len(services.reservations.public_states()) == 1


def test_book__too_many_from_one_address__refused(host, inner):
    services, _ = inner
    services.reservations.set_capacity("A", 100)
    _round(inner[1])
    slot = _first_slot(host)
    answers = [_book(host, slot)[0] for _ in range(BOOKINGS_PER_ADDRESS + 1)]

    assert "Too many reservations" in answers[-1].body
    assert all("Too many" not in answer.body for answer in answers[:-1])


def test_feed__reservation_with_an_unknown_field__whole_message_refused(host, inner):
    _, publisher = inner
    state = json.loads(json.dumps(publisher._build().state.to_json()))
    state["reservations"] = {"a" * 64: {"service": "A", "slot": "2026-12-07T09:30",
                                        "state": "booked", "ticket": "", "name": "試験"}}
    data, signature = seal_message(FEED_KEY, SITE, 2 ** 60, "snapshot", state)

    answer = host.get("/feed", data=data, method="POST",
                      headers={"X-Kiosk-Feed-Signature": signature})

    assert answer.status == 403
