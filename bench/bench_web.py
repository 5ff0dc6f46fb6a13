"""Benchmark of the web host: phones holding the ticket page open, page loads, call latency.

The web host runs as its own process (``kiosk web``, as on the internet-segment host); this
script plays the inner side (signed feed messages over HTTP) and the phones (server-sent event
streams on raw sockets, and page loads).

Goals (issue 24), printed next to the figures, never asserted:
- 2,000 phones holding the ticket page open (SSE);
- 200 page loads per second;
- p95 "state with the call posted -> the phone's stream has it" under 1 s;
- memory of the web process under 300 MB;
- the queue not slowed: tickets taken and called per second on the tablet's own path, without
  and with the publisher feeding the web host (side by side).

Run: .venv/bin/python bench/bench_web.py [--phones 2000] [--loads 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

from kiosk.feed.envelope import SIGNATURE_HEADER, Sequencer, seal_message
from kiosk.feed.snapshot import PublicService, PublicState, PublicTicket
from kiosk.feed.tokens import TicketLinks, token_hash

KEY = os.urandom(32)
LINKS = TicketLinks(os.urandom(32))
SITE = "tome"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _state(phones: int, called: int) -> PublicState:
    tickets = {}
    for number in range(1, phones + 1):
        phase = "called" if number <= called else "waiting"
        tickets[token_hash(LINKS.token(number, date.today()))] = PublicTicket(
            f"A-{number:04d}", "A", phase, max(0, number - called - 1), 60 * number,
            "3" if phase == "called" else "")
    return PublicState(SITE, date.today(), (PublicService("A", "市民課", phones - called, 600,
                                                          (0,) * 24),), (), tickets)


def _post(url: str, state: PublicState, sequencer: Sequencer) -> None:
    data, signature = seal_message(KEY, SITE, sequencer.next(), "snapshot", state.to_json())
    request = urllib.request.Request(url + "/feed", data=data,
                                     headers={SIGNATURE_HEADER: signature}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204


async def _phone(port: int, number: int, seen: dict[int, float], ready: asyncio.Event,
                 opened: list[int]) -> None:
    token = LINKS.token(number, date.today())
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /t/{token}/events?lang=ja HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    opened.append(number)
    await ready.wait()
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if b'"phase": "called"' in line and number not in seen:
                seen[number] = time.perf_counter()
                return
    finally:
        writer.close()


async def _loads(port: int, rate: int, seconds: float) -> list[float]:
    token = LINKS.token(1, date.today())
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


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


async def _run(args: argparse.Namespace, url: str, port: int, pid: int) -> None:
    sequencer = Sequencer()
    await asyncio.to_thread(_post, url, _state(args.phones, 0), sequencer)
    seen: dict[int, float] = {}
    ready, opened = asyncio.Event(), []
    phones = [asyncio.create_task(_phone(port, n, seen, ready, opened))
              for n in range(1, args.phones + 1)]
    while len(opened) < args.phones:
        await asyncio.sleep(0.1)
    ready.set()
    await asyncio.sleep(1.0)
    print(f"phones holding the page open: {len(opened)} (goal 2,000); "
          f"web process memory {_rss_mb(pid):.0f} MB (goal < 300 MB)")
    latencies = []
    for called in range(1, args.calls + 1):
        posted = time.perf_counter()
        await asyncio.to_thread(_post, url, _state(args.phones, called), sequencer)
        deadline = time.perf_counter() + 10
        while called not in seen and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        latencies.append(seen.get(called, float("inf")) - posted)
        await asyncio.sleep(0.5)
    print(f"call -> phone shows it: p95 {_p95(latencies) * 1000:.0f} ms over {len(latencies)} "
          f"calls, with {args.phones} streams open (goal < 1000 ms)")
    times = await _loads(port, args.loads, args.seconds)
    print(f"page loads: {len(times) / args.seconds:.0f}/s asked {args.loads}/s, p95 "
          f"{_p95(times) * 1000:.0f} ms (goal 200/s); memory {_rss_mb(pid):.0f} MB")
    for task in phones:
        task.cancel()


def _queue_rounds(rounds: int, url: str | None) -> float:
    """Tickets taken and called per second on an embedded queue; with ``url``, while the
    publisher feeds that web host (woken on every change, as by the queue's events)."""
    import tempfile
    from dataclasses import replace

    from kiosk.app import build_feed_publisher, build_services
    from kiosk.config import load_config

    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": folder})
        if url is not None:
            config = replace(config, web=replace(
                config.web, public_url="http://phone.example", feed_url=url,
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
        asyncio.run(_run(args, url, port, server.pid))
        alone = _queue_rounds(args.rounds, None)
        fed = _queue_rounds(args.rounds, url)
        print(f"queue, take + call per second: {alone:.0f} without the feed, {fed:.0f} with the "
              f"publisher feeding the web host (goal: not slowed)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
