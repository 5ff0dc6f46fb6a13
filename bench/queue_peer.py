"""Peer mode of bench_queue: the kiosk's ticket issuing side by side with MADO-queue (芽室町).

In one run, at 1, 8 and 32 client processes:
- each through its production path: the kiosk's ``QueueService.take_ticket`` (with the wait
  estimate), as the tablet calls it, against MADO-queue's ``POST /get_next_number`` over HTTP
  (its only interface), served as it ships it (waitress, default threads). Goals: the kiosk
  >= 2 x the peer at 1 and 8 clients, >= 1.5 x at 32;
- both behind the same thin HTTP layer: ``take_ticket`` in a minimal Flask app on the same
  waitress server settings, against the peer (printed, no goal).

MADO-queue is never copied into this project: it runs from the source folder given with
``--peer PATH``, on a fresh database made by its own ``init_db.py``. Its slip printer is
replaced by a no-op that reports success (the kiosk issues without a slip here, and the peer
would otherwise look for a USB printer on every ticket); nothing else of it is changed.
Without ``--peer`` the part says "peer absent" and measures nothing.

Both keep their own SQLite settings: the kiosk WAL with synchronous=NORMAL (no fsync at
commit), the peer its rollback journal with synchronous=FULL (fsyncs at every commit). On a
disk that difference dominates; ``--db-dir /dev/shm`` (tmpfs) shows the rest of the path.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench_queue import SERVICES, Verdicts, line, prepare

from kiosk.ports import SystemClock
from kiosk.services.queue import QueueService
from kiosk.storage.database import open_storage

CLIENTS_AND_GOALS = ((1, 2.0), (8, 2.0), (32, 1.5))
THREADS = 4            # waitress's default, as MADO-queue's entrypoint runs it
ISSUE_PATH = "/get_next_number"


# ---------------------------------------------------------------- servers
def _serve_peer(source: str, database: str, port: int) -> None:
    os.environ["DB_PATH"] = database
    os.chdir(source)
    sys.path.insert(0, source)
    import printer  # the peer's own module

    printer.print_ticket = lambda *_args, **_kwargs: True
    import waitress

    _quiet_queue_warnings()
    from app import app  # the peer's Flask app

    waitress.serve(app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)


def _serve_kiosk(url: str, port: int) -> None:
    import waitress
    from flask import Flask, jsonify, request

    _quiet_queue_warnings()
    storage = open_storage(url, SystemClock(), auto_upgrade=False, pool_size=THREADS)
    queue = QueueService(storage.queue)
    app = Flask("kiosk_thin_http")

    @app.post(ISSUE_PATH)
    def issue() -> Any:
        issued = queue.take_ticket(request.json["category"])   # type: ignore[index]
        return jsonify({"category": issued.ticket.service, "next_number": issued.ticket.number,
                        "ticket_id": issued.ticket.id,
                        "estimated_wait_seconds": issued.estimated_wait_seconds})

    waitress.serve(app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)


def _quiet_queue_warnings() -> None:
    # waitress warns on every request that waits for a thread; 32 clients on 4 threads do.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _started(target: Callable[..., None], *args: object) -> tuple[Any, int]:
    port = _free_port()
    process = multiprocessing.get_context("fork").Process(target=target, args=(*args, port))
    process.start()
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the HTTP server did not start")


# ---------------------------------------------------------------- clients
def _http_client(port: int, service: str, start_at: float, stop_at: float,
                 out: Connection) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"category": service, "buttonText": "bench", "staffCount": 1})
    headers = {"Content-Type": "application/json"}
    done = errors = 0
    _wait_until(start_at)
    while time.time() < stop_at:
        connection.request("POST", ISSUE_PATH, body, headers)
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            errors += 1
    connection.close()
    out.send((done, errors))


def _tablet_client(url: str, service: str, start_at: float, stop_at: float,
                   out: Connection) -> None:
    storage = open_storage(url, SystemClock(), auto_upgrade=False, pool_size=1)
    queue = QueueService(storage.queue)
    storage.queue.service(service)
    done = 0
    _wait_until(start_at)
    while time.time() < stop_at:
        queue.take_ticket(service)
        done += 1
    storage.close()
    out.send((done, 0))


def _wait_until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        time.sleep(delay)


def _rate(client: Callable[..., None], target: object, clients: int,
          seconds: float) -> tuple[float, int]:
    """Issues per second of ``clients`` processes for ``seconds``, and the failed requests."""
    context = multiprocessing.get_context("fork")
    start_at = time.time() + 1.0 + clients * 0.05
    pipes, processes = [], []
    for index in range(clients):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=client, args=(
            target, SERVICES[index % len(SERVICES)], start_at, start_at + seconds, send))
        process.start()
        pipes.append(receive)
        processes.append(process)
    results = [receive.recv() for receive in pipes]
    for process in processes:
        process.join()
    return sum(done for done, _ in results) / seconds, sum(errors for _, errors in results)


# ---------------------------------------------------------------- the part
def part_peer(args: argparse.Namespace, verdicts: Verdicts, tmp: Path) -> None:
    source = args.peer
    if source is None or not (Path(source) / "app.py").is_file():
        shown = "not given (--peer PATH)" if source is None else f"no app.py in {source}"
        print(f"Peer: MADO-queue absent: {shown}; peer mode not measured.\n")
        return
    peer_db = tmp / "peer-numbers.db"
    subprocess.run([sys.executable, "init_db.py"], cwd=source, check=True, capture_output=True,
                   env={**os.environ, "DB_PATH": str(peer_db)})
    kiosk_http_url = f"sqlite:///{tmp / 'kiosk-http.sqlite3'}"
    prepare(kiosk_http_url)
    peer, peer_port = _started(_serve_peer, str(Path(source).resolve()), str(peer_db))
    kiosk, kiosk_port = _started(_serve_kiosk, kiosk_http_url)
    print(f"Peer: MADO-queue from {source} (waitress, {THREADS} threads, printer stubbed); "
          "issues per second")
    try:
        for clients, goal in CLIENTS_AND_GOALS:
            _compare(args, verdicts, tmp, clients, goal, peer_port, kiosk_port)
    finally:
        for process in (peer, kiosk):
            process.terminate()
            process.join()
    print()


def _compare(args: argparse.Namespace, verdicts: Verdicts, tmp: Path, clients: int,
             goal: float, peer_port: int, kiosk_port: int) -> None:
    tablet_url = f"sqlite:///{tmp / f'kiosk-tablets-{clients}.sqlite3'}"
    prepare(tablet_url)
    peer_rate, peer_errors = _rate(_http_client, peer_port, clients, args.seconds)
    tablet_rate, _ = _rate(_tablet_client, tablet_url, clients, args.seconds)
    http_rate, http_errors = _rate(_http_client, kiosk_port, clients, args.seconds)
    line(f"  {clients:>2} clients: MADO-queue over HTTP",
         f"{peer_rate:,.0f} /s" + (f" ({peer_errors} errors)" if peer_errors else ""))
    line(f"  {clients:>2} clients: kiosk take_ticket, same HTTP layer",
         f"{http_rate:,.0f} /s" + (f" ({http_errors} errors)" if http_errors else ""),
         f"x {http_rate / peer_rate:.2f} the peer")
    verdicts.goal(f"  {clients:>2} clients: kiosk take_ticket (tablet path)",
                  f"{tablet_rate:,.0f} /s", f"x {tablet_rate / peer_rate:.2f}; goal >= x {goal:g}",
                  tablet_rate >= goal * peer_rate and peer_errors == 0)
