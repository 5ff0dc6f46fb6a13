"""Benchmark of the web host: phones holding the ticket page open, page loads, call latency.

The web host runs as its own process (``kiosk web``, as on the internet-segment host). The
inner side is the real one, embedded: a queue on SQLite (as the demo and a small town run it),
its listener and the feed publisher POSTing signed states to the web host. The phones, in a
third process (they are not the inner host's work), are server-sent event streams on raw
sockets, one per ticket of the day; then page loads.

Goals (issue 24), printed next to the figures, never asserted:
- 2,000 phones holding the ticket page open (SSE);
- 200 page loads per second;
- p95 "the clerk calls -> the called phone's stream shows it" under 1 s, through the feed
  (printed with its two hops: call -> state accepted by the web host -> phone);
- memory of the web process under 300 MB;
- the queue not slowed: tickets taken and called per second on the tablet's own path, without
  and with the publisher feeding the web host (side by side).

The machine's load average is printed with the figures: on a shared machine they vary with it.

Run: .venv/bin/python bench/bench_web.py [--phones 2000] [--loads 200] [--seconds 10]
     [--calls 20] [--rounds 300]       (quicker: --calls 10 --seconds 3 --rounds 100)
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import multiprocessing
import os
import queue
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.domain.ticket import QueueChanged
from kiosk.feed.http_transport import HttpFeedTransport
from kiosk.services.feed_publisher import FeedPublisher
from kiosk.storage.listener import QueueListener

KEY = os.urandom(32)
SITE = "tome"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _TimedTransport:
    """The publisher's HTTP transport, noting when the web host accepted each state."""

    def __init__(self, inner: HttpFeedTransport) -> None:
        self._inner = inner
        self.accepted: list[float] = []

    def post(self, path: str, data: bytes, headers: Mapping[str, str]) -> int:
        status = self._inner.post(path, data, headers)
        if status == 204:
            self.accepted.append(time.monotonic())
        return status

    def get(self, path: str, headers: Mapping[str, str]) -> tuple[bytes, str]:
        return self._inner.get(path, headers)


async def _phone(port: int, token: str, ticket_id: int, out: Any, opened: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /t/{token}/events?lang=ja HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    opened.append(ticket_id)
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if b'"phase": "called"' in line:
                out.put((ticket_id, time.monotonic()))   # one clock for all processes
                return
    finally:
        writer.close()


def _phones(port: int, tokens: dict[int, str], out: Any, stop: Any) -> None:
    """The phones' own process (as phones are not the inner host): a stream per ticket;
    reports ``("open", n)`` once all are open, then ``(ticket id, when)`` for each call."""
    async def hold() -> None:
        opened: list[int] = []
        tasks = [asyncio.create_task(_phone(port, token, ticket_id, out, opened))
                 for ticket_id, token in tokens.items()]
        while len(opened) < len(tasks):
            await asyncio.sleep(0.1)
        out.put(("open", len(opened)))
        while not stop.is_set():
            await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
    asyncio.run(hold())


async def _loads(port: int, token: str, rate: int, seconds: float) -> list[float]:
    times: list[float] = []

    async def one() -> None:
        start = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /t/{token}?lang=ja HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     .encode())
        await writer.drain()
        await reader.read()
        writer.close()
        times.append(time.perf_counter() - start)

    tasks = []
    for _ in range(int(rate * seconds)):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks, return_exceptions=True)
    return times


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _load() -> str:
    return "load average " + " ".join(f"{figure:.1f}" for figure in os.getloadavg())


def _inner_side(folder: str, url: str, phones: int) -> tuple[Any, FeedPublisher, QueueListener,
                                                              _TimedTransport, list[Any]]:
    """The queue with ``phones`` tickets, its listener and a publisher feeding ``url``."""
    from kiosk.app import build_services
    from kiosk.config import load_config

    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": folder})
    config = replace(config, web=replace(
        config.web, site=SITE, public_url="http://phone.example", feed_url=url,
        feed_key="base64:" + base64.b64encode(KEY).decode(),
        token_key="base64:" + base64.b64encode(os.urandom(32)).decode()))
    services = build_services(config, demo=True)
    tickets = [services.queue.take_ticket("A").ticket for _ in range(phones)]
    links = services.queue.links
    assert links is not None
    transport = _TimedTransport(HttpFeedTransport(url))
    publisher = FeedPublisher(services.queue, links, KEY, SITE, transport, services.clock,
                              services.stepped_out, config.web.publish_interval_s)
    listener = QueueListener(services.storage.engine, services.events)
    services.events.subscribe(QueueChanged, publisher.wake)    # as kiosk.app wires it
    return services, publisher, listener, transport, tickets


def _run(args: argparse.Namespace, url: str, port: int, pid: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        services, publisher, listener, transport, tickets = _inner_side(folder, url,
                                                                         args.phones)
        listener.start()
        publisher.start()
        context = multiprocessing.get_context("spawn")
        out, stop = context.Queue(), context.Event()
        tokens = {ticket.id: services.queue.links.token(ticket.id, ticket.day)
                  for ticket in tickets}
        phones = context.Process(target=_phones, args=(port, tokens, out, stop))
        phones.start()
        try:
            _calls(args, pid, services, transport, out)
            times = asyncio.run(_loads(port, next(iter(tokens.values())), args.loads,
                                       args.seconds))
            rate = len(times) / args.seconds
            print(f"page loads: {rate:.0f}/s asked {args.loads}/s, p95 "
                  f"{_p95(times) * 1000:.0f} ms (goal 200/s) {_met(rate >= 200)}; memory "
                  f"{_rss_mb(pid):.0f} MB")
        finally:
            stop.set()
            phones.join(timeout=30)
            publisher.stop()
            listener.stop()
            services.close()


def _calls(args: argparse.Namespace, pid: int, services: Any, transport: _TimedTransport,
           out: Any) -> None:
    _, opened = out.get(timeout=600)
    time.sleep(2.0)            # the first states reach every stream
    memory = _rss_mb(pid)
    print(f"phones holding the page open: {opened} (goal 2,000) {_met(opened >= 2000)}; "
          f"web process memory {memory:.0f} MB (goal < 300 MB) {_met(memory < 300)}")
    print(f"calls start at {_load()}")
    latencies, to_host, to_phone = [], [], []
    seen: dict[int, float] = {}
    for _ in range(args.calls):
        posts = len(transport.accepted)
        clicked = time.monotonic()
        called = services.queue.call_next(["A"], counter="3")
        while called.id not in seen and time.monotonic() < clicked + 10:
            with contextlib.suppress(queue.Empty):
                ticket_id, when = out.get(timeout=0.5)
                seen[ticket_id] = when
        shown = seen.get(called.id, float("inf"))
        latencies.append(shown - clicked)
        accepted = [t for t in transport.accepted[posts:] if t <= shown]
        if accepted:
            to_host.append(accepted[-1] - clicked)
            to_phone.append(shown - accepted[-1])
        time.sleep(0.5)
    print(f"clerk calls -> phone shows called: p50 {_p50(latencies) * 1000:.0f} ms, p95 "
          f"{_p95(latencies) * 1000:.0f} ms over {len(latencies)} calls with {opened} "
          f"streams open (goal p95 < 1000 ms) {_met(_p95(latencies) < 1)}; hops p50: "
          f"call -> web host accepted the state "
          f"{_p50(to_host) * 1000:.0f} ms, -> phone {_p50(to_phone) * 1000:.0f} ms; {_load()}")


def _queue_rounds(rounds: int, url: str | None) -> float:
    """Tickets taken and called per second on an embedded queue; with ``url``, while the
    publisher feeds that web host (woken on every change, as by the queue's events)."""
    from kiosk.app import build_feed_publisher, build_services
    from kiosk.config import load_config

    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": folder})
        if url is not None:
            config = replace(config, web=replace(
                config.web, site=SITE, public_url="http://phone.example", feed_url=url,
                feed_key="base64:" + base64.b64encode(KEY).decode(),
                token_key="base64:" + base64.b64encode(os.urandom(32)).decode()))
        services = build_services(config, demo=True)
        publisher = build_feed_publisher(services) if url is not None else None
        if publisher is not None:
            publisher.start()
        try:
            start = time.perf_counter()
            for _ in range(rounds):
                services.queue.take_ticket("A")
                if publisher is not None:
                    publisher.wake()
                services.queue.call_next(["A"], counter="1")
                if publisher is not None:
                    publisher.wake()
            return rounds / (time.perf_counter() - start)
        finally:
            if publisher is not None:
                publisher.stop()
            services.close()


def main() -> None:
    """Start ``kiosk web``, hold the phones open, call, load pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--loads", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    print(f"bench_web: {os.cpu_count()} CPUs, load average at start "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    port = _free_port()
    env = {**os.environ, "KIOSK_WEB_PORT": str(port), "KIOSK_WEB_SITE": SITE,
           "KIOSK_WEB_RATE_PER_MINUTE": "1000000", "KIOSK_WEB_STALE_AFTER_S": "600",
           "KIOSK_WEB_FEED_KEY": "base64:" + base64.b64encode(KEY).decode()}
    server = subprocess.Popen([sys.executable, "-m", "kiosk", "web"], env=env,
                              stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/congestion", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        _run(args, url, port, server.pid)
        alone = _queue_rounds(args.rounds, None)
        fed = _queue_rounds(args.rounds, url)
        print(f"queue, take + call per second: {alone:.0f} without the feed, {fed:.0f} with the "
              f"publisher feeding the web host (goal: not slowed)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
