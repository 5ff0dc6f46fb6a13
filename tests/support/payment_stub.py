"""A local stub of the payment terminal's HTTP/JSON interface (docs/payment-terminal-http.md).

It keeps the contract a real terminal must keep: one reference is charged once, a repeat
POST answers the same charge, unknown references are 404. Knobs make it misbehave the way
terminals do: ``post_delay_s`` answers the charge late (after charging: the kiosk's
time-out hits mid-payment), ``pending_polls`` keeps the visitor "still paying" for that
many status questions, ``decline`` refuses, ``drop_posts`` loses that many charges before
they arrive, ``silent`` leaves every later question unanswered (the LAN went down).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class StubState:
    """What the stub terminal did and how it behaves."""

    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    charged: int = 0              # real charges made (a repeat must not add one)
    requests: list[tuple[str, str, str]] = field(default_factory=list)   # method, path, key
    bodies: list[dict[str, Any]] = field(default_factory=list)
    post_delay_s: float = 0.0
    pending_polls: int = 0
    decline: bool = False
    drop_posts: int = 0
    ready: bool = True
    silent: bool = False          # status and cancel questions get no answer (LAN lost)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}") if length else {}

    def do_GET(self) -> None:
        state = self.server.state
        state.requests.append(("GET", self.path, ""))
        if state.silent:
            time.sleep(self.server.timeout_s)
            return
        if self.path == "/v1/health":
            self._send(200, {"ready": state.ready, "model": "stub-terminal", "protocol": 1})
            return
        reference = self.path.removeprefix("/v1/charges/")
        with state.lock:
            charge = state.charges.get(reference)
            if charge is None:
                self._send(404, {"error": "unknown reference"})
                return
            if charge["status"] == "pending" and state.pending_polls <= 0:
                self._finish(charge)
            state.pending_polls -= 1
            self._send(200, dict(charge))

    def _finish(self, charge: dict[str, Any]) -> None:
        if self.server.state.decline:
            charge.update(status="failed", reason="declined")
        else:
            self.server.state.charged += 1
            charge.update(status="paid", slip=f"STUB{self.server.state.charged:05d}",
                          brand="visa")

    def do_POST(self) -> None:
        state = self.server.state
        state.requests.append(("POST", self.path, self.headers.get("Idempotency-Key", "")))
        body = self._body()
        if self.path == "/v1/charges":
            self._charge(body)
            return
        if state.silent:
            time.sleep(self.server.timeout_s)
            return
        reference, _, action = self.path.removeprefix("/v1/charges/").partition("/")
        with state.lock:
            charge = state.charges.get(reference)
            if charge is None:
                self._send(404, {"error": "unknown reference"})
                return
            if action == "cancel" and charge["status"] == "pending":
                charge["status"] = "cancelled"
            elif action == "refund" and charge["status"] == "paid" and \
                    body.get("amount") == charge["amount"]:
                charge["status"] = "refunded"
            elif action == "refund" and charge["status"] != "refunded":
                self._send(409, {"error": "not refundable"})
                return
            self._send(200, dict(charge))

    def _charge(self, body: dict[str, Any]) -> None:
        state = self.server.state
        state.bodies.append(body)
        if state.drop_posts > 0:
            state.drop_posts -= 1
            time.sleep(self.server.timeout_s)     # lost before it reached the terminal
            return
        reference = body["reference"]
        with state.lock:
            charge = state.charges.get(reference)
            if charge is None:
                charge = {"reference": reference, "amount": body["amount"], "status": "pending"}
                state.charges[reference] = charge
                if state.pending_polls <= 0:
                    self._finish(charge)
            elif charge["amount"] != body["amount"]:
                self._send(409, {"error": "reference reused with another amount"})
                return
            answer = dict(charge)
        if state.post_delay_s:
            time.sleep(state.post_delay_s)   # charged, but the answer comes too late
        self._send(200 if answer["status"] != "pending" else 202, answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: StubState, timeout_s: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.timeout_s = timeout_s


class StubTerminal:
    """The stub on a free local port; ``url`` for the adapter, ``state`` to steer and read."""

    def __init__(self, *, timeout_s: float = 0.5) -> None:
        self.state = StubState()
        self._server = _Server(self.state, timeout_s)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> StubTerminal:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
