"""Who hears of a new state first: the called phone before the other open pages."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import date

from webhost import FEED_KEY, SITE, TOKEN_KEY

from kiosk.feed.envelope import Sequencer, seal_message
from kiosk.feed.snapshot import PublicCall, PublicService, PublicState, PublicTicket
from kiosk.feed.tokens import TicketLinks, token_hash
from kiosk.web.feed_state import BOARD, FeedState

TODAY = date.today()
LINKS = TicketLinks(TOKEN_KEY)
OTHERS = 600
HASHES = [token_hash(LINKS.token(number, TODAY)) for number in range(1, OTHERS + 3)]
FIRST, SECOND = HASHES[-2], HASHES[-1]        # their pages were opened last


def _state(called: tuple[str, ...] = ()) -> PublicState:
    """Every ticket waiting, but ``called``; each call moves the others one place ahead."""
    tickets = {}
    for place, key in enumerate(HASHES):
        tickets[key] = (PublicTicket(f"A-{place + 1:03d}", "A", "called", 0, 0, "3")
                        if key in called else
                        PublicTicket(f"A-{place + 1:03d}", "A", "waiting",
                                     max(0, place - len(called)), 60 * place))
    calls = tuple(PublicCall(tickets[key].label, "3", "A") for key in called)
    return PublicState(SITE, TODAY, (PublicService("A", "市民課", len(HASHES) - len(called), 600,
                                                   (0,) * 24),), calls, tickets)


class _Feed:
    def __init__(self) -> None:
        self.state = FeedState(FEED_KEY, SITE, 60.0)
        self._sequencer = Sequencer()

    def send(self, state: PublicState) -> None:
        data, signature = seal_message(FEED_KEY, SITE, self._sequencer.next(), "snapshot",
                                       state.to_json())
        assert self.state.receive(data, signature) == ""


async def _pages(feed: _Feed, order: list[str]) -> list[asyncio.Task[bool]]:
    """An open page per ticket and a board, each noting when it is woken."""
    async def page(watch: str) -> bool:
        woken = await feed.state.changed(5.0, watch)
        order.append(watch)
        return woken

    tasks = [asyncio.create_task(page(watch)) for watch in (BOARD, *HASHES)]
    while feed.state.streams < len(tasks):
        await asyncio.sleep(0)
    return tasks


def test_call__called_page_and_boards_woken_before_every_other_page():
    async def run() -> tuple[list[str], list[bool]]:
        feed, order = _Feed(), []
        feed.send(_state())
        tasks = await _pages(feed, order)
        feed.send(_state((SECOND,)))
        return order, list(await asyncio.gather(*tasks))

    order, woken = asyncio.run(run())

    assert set(order[:2]) == {SECOND, BOARD}
    assert sorted(order) == sorted((BOARD, *HASHES))     # every page, each once
    assert all(woken)


def test_call_during_the_fan_out__its_page_does_not_wait_for_the_previous_fan_out():
    async def run() -> list[str]:
        feed, order = _Feed(), []
        feed.send(_state())
        tasks = await _pages(feed, order)
        feed.send(_state((FIRST,)))
        await asyncio.sleep(0)                  # a turn of the loop: the fan-out has begun
        await asyncio.sleep(0)
        feed.send(_state((FIRST, SECOND)))
        await asyncio.gather(*tasks)
        return order

    order = asyncio.run(run())

    assert order.index(FIRST) < 2
    assert order.index(SECOND) < OTHERS // 2    # not behind the pages the first call moved
    assert len(order) == len(HASHES) + 1


def test_no_state__pages_time_out_and_keep_alive():
    async def run() -> bool:
        return await FeedState(FEED_KEY, SITE, 60.0).changed(0.05, HASHES[0])

    assert asyncio.run(run()) is False


def test_close__every_page_woken_to_end():
    async def run() -> list[bool]:
        feed, order = _Feed(), []
        feed.send(_state())
        tasks = await _pages(feed, order)
        feed.state.close()
        return list(await asyncio.gather(*tasks))

    woken = asyncio.run(run())

    assert len(woken) == len(HASHES) + 1
    assert all(woken)


def test_phones_leave__their_streams_stop_waiting(host):
    host.post_state(_state())
    phones = []
    for key_number in range(1, 21):
        phone = socket.create_connection(("127.0.0.1", host.server.port), timeout=5)
        token = LINKS.token(key_number, TODAY)
        phone.sendall(f"GET /t/{token}/events?lang=ja HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        phones.append(phone)
    for phone in phones:
        received = b""
        while b"data: " not in received:              # the first state
            received += phone.recv(65536)
    deadline = time.monotonic() + 5
    while host.state.streams < len(phones) and time.monotonic() < deadline:
        time.sleep(0.05)                              # each stream waits for the next
    held = host.state.streams
    for phone in phones:
        phone.close()
    deadline = time.monotonic() + 5
    while host.state.streams and time.monotonic() < deadline:
        time.sleep(0.05)

    assert held == 20
    assert host.state.streams == 0
