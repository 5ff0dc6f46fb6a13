""""Your turn is near": a real SMTP server (aiosmtpd) and a local stub of LINE's push API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
import time
from dataclasses import replace
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller
from webhost import FEED_KEY, TOKEN_KEY, key_text, start_host

from devices.notify.line_notifier import LineNotifier
from devices.notify.smtp_notifier import SmtpNotifier
from kiosk.app import build_feed_publisher, build_services
from kiosk.config import load_config
from kiosk.doctor import Status
from kiosk.feed.snapshot import PublicTicket
from kiosk.probes import notifier_checks
from kiosk.services.turn_alerts import OptIn, TurnAlerts

ADDRESS = "hanako.test@example.jp"
LINE_USER = "U" + "0123456789abcdef" * 2
TOKEN = "channel-token-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    mailbox = _Mailbox()
    with socket.socket() as probe:            # aiosmtpd needs a real port number
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, mailbox
    controller.stop()


class _LineStub(BaseHTTPRequestHandler):
    """The documented contract: POST /v2/bot/message/push, Bearer token, {"to", "messages"}."""

    received: ClassVar[list] = []
    status = 200
    gate: threading.Event | None = None

    def do_POST(self):
        if self.gate is not None:
            self.gate.wait(10)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ok = (self.path == "/v2/bot/message/push"
              and self.headers["Authorization"] == f"Bearer {TOKEN}"
              and set(body) == {"to", "messages"} and body["messages"][0]["type"] == "text")
        type(self).received.append(body)
        status = self.status if ok else 400
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}" if status == 200 else b'{"message":"error"}')

    def do_GET(self):
        # GET /v2/bot/info (doctor's probe): 200 with the right token, else 401.
        ok = (self.path == "/v2/bot/info"
              and self.headers["Authorization"] == f"Bearer {TOKEN}")
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"userId":"Ubot","basicId":"@tome"}' if ok else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def line():
    handler = type("Stub", (_LineStub,), {"received": [], "status": 200, "gate": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    if handler.gate is not None:
        handler.gate.set()
    server.shutdown()
    server.server_close()


def _wait(condition, what):
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def _ticket(phase, ahead=0, counter=""):
    return PublicTicket("A-012", "A", phase, ahead, 60 * ahead, counter)


def test_alerts__near_then_called__one_mail_each_in_the_visitors_language(smtp):
    controller, mailbox = smtp
    alerts = TurnAlerts({"email": SmtpNotifier("127.0.0.1", controller.port, "kiosk@city.test")},
                        near_at=3, retry_s=0.01)
    alerts.start()
    assert alerts.opt_in(7, OptIn("email", ADDRESS, "en"))

    alerts.observe([(7, _ticket("waiting", ahead=5))])
    time.sleep(0.2)
    far = len(mailbox.messages)
    alerts.observe([(7, _ticket("waiting", ahead=3))])
    alerts.observe([(7, _ticket("waiting", ahead=2))])
    alerts.observe([(7, _ticket("called", counter="3"))])
    _wait(lambda: len(mailbox.messages) == 2, "two mails")
    alerts.observe([(7, _ticket("finished"))])
    alerts.observe([(7, _ticket("called", counter="3"))])
    alerts.stop()

    assert far == 0
    (to_near, near), (_to_called, called) = mailbox.messages
    assert to_near == [ADDRESS]
    assert "A-012 will be called soon" in near.get_content()
    assert "please come to counter 3" in called.get_content()
    assert len(mailbox.messages) == 2            # the address was forgotten when finished


def test_alerts__line_push__follows_the_api_contract(line):
    handler, endpoint = line
    alerts = TurnAlerts({"line": LineNotifier(TOKEN, endpoint)}, retry_s=0.01)
    alerts.start()
    alerts.opt_in(8, OptIn("line", LINE_USER, "ja"))

    alerts.observe([(8, _ticket("called", counter="2"))])
    _wait(lambda: alerts.delivered == 1, "pushed")
    alerts.stop()

    assert handler.received[0]["to"] == LINE_USER
    assert "A-012番の方、2番窓口へお越しください。" in handler.received[0]["messages"][0]["text"]


def test_alerts__line_refuses__retried_then_given_up_without_the_address_in_the_log(line, caplog):
    handler, endpoint = line
    handler.status = 500
    caplog.set_level(logging.WARNING)
    alerts = TurnAlerts({"line": LineNotifier(TOKEN, endpoint)}, tries=3, retry_s=0.01)
    alerts.start()
    alerts.opt_in(9, OptIn("line", LINE_USER))

    alerts.observe([(9, _ticket("called", counter="1"))])
    _wait(lambda: alerts.given_up == 1, "given up")
    alerts.stop()

    assert len(handler.received) == 3
    assert "given up after 3 tries" in caplog.text
    assert LINE_USER not in caplog.text
    assert TOKEN not in caplog.text


def test_alerts__slow_api__observe_never_waits_for_it(line):
    handler, endpoint = line
    handler.gate = threading.Event()              # the API hangs until released
    alerts = TurnAlerts({"line": LineNotifier(TOKEN, endpoint)}, retry_s=0.01)
    alerts.start()
    for ticket_id in range(1, 6):
        alerts.opt_in(ticket_id, OptIn("line", LINE_USER))

    alerts.observe([(n, _ticket("called", counter="1")) for n in range(1, 6)])
    queued_while_hanging = alerts.delivered
    handler.gate.set()
    _wait(lambda: alerts.delivered == 5, "all five after the API answered")
    alerts.stop()

    assert queued_while_hanging == 0


@pytest.mark.parametrize(("channel", "address"), [
    ("email", "not-an-address"), ("email", "a@b"), ("line", "hanako"), ("sms", "0901234567"),
])
def test_alerts__bad_opt_in__refused(smtp, channel, address):
    controller, _mailbox = smtp
    alerts = TurnAlerts({"email": SmtpNotifier("127.0.0.1", controller.port, "k@city.test")})

    assert not alerts.opt_in(1, OptIn(channel, address))


def _inner(host, tmp_path, **web):
    """The inner side feeding ``host``, alerts running; a ticket with one behind it."""
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    config = replace(config, web=replace(
        config.web, public_url="http://phone.example", feed_url=host.url,
        feed_key=key_text(FEED_KEY), token_key=key_text(TOKEN_KEY), notify_at=0, **web))
    services = build_services(config, demo=True)
    services.turn_alerts.start()
    publisher = build_feed_publisher(services)
    ticket = services.queue.take_ticket("A").ticket
    services.queue.take_ticket("A")
    publisher.tick()
    return services, publisher, ticket, services.queue.links.token(ticket.id, ticket.day)


def _pull_then_call(services, publisher, host, arrived):
    """The inner side pulls the opt-in, the clerk calls, the message arrives; what was left
    on the web host after the pull."""
    publisher.tick()
    left_on_web = host.inbox.after(10**6)
    services.queue.call_next(["A"], counter="4")
    publisher.tick()                                      # the call: the message is due
    _wait(arrived, "the message")
    return left_on_web


def test_alerts__opt_in_on_the_ticket_page__mail_arrives_when_called(smtp, tmp_path):
    controller, mailbox = smtp
    host = start_host(offer_alerts=True)
    services, publisher, ticket, token = _inner(
        host, tmp_path, smtp_host="127.0.0.1", smtp_port=controller.port,
        smtp_from="kiosk@city.test")
    try:
        page = host.get(f"/t/{token}?lang=vi").body
        answer = host.get(f"/t/{token}/notify?lang=vi", method="POST", data=(
            "address=" + ADDRESS.replace("@", "%40")).encode(), headers=FORM)
        left_on_web = _pull_then_call(services, publisher, host, lambda: mailbox.messages)
    finally:
        services.close()
        host.server.stop()

    assert 'name="address"' in page
    assert "Chúng tôi sẽ gửi email" in answer.body         # redirected to the page, in Vietnamese
    assert left_on_web == []                             # the address left the web host
    (to, mail), = mailbox.messages
    assert to == [ADDRESS]
    assert ticket.label in mail.get_content()
    assert all(ADDRESS not in seen.body for seen in host.seen)


def _line_event(secret: bytes, text: str, user: str = LINE_USER) -> tuple[bytes, dict]:
    body = json.dumps({"destination": "Ubot", "events": [
        {"type": "message", "message": {"type": "text", "id": "1", "text": text},
         "source": {"type": "user", "userId": user}, "replyToken": "r", "mode": "active"}]})
    signature = base64.b64encode(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return body.encode(), {"Content-Type": "application/json",
                           "X-Line-Signature": signature.decode()}


def test_alerts__line_code_sent_to_the_account__push_when_called(line, tmp_path):
    stub, endpoint = line
    secret = b"line-channel-secret"
    host = start_host(line_secret=secret)
    services, publisher, ticket, token = _inner(host, tmp_path, line_token=TOKEN,
                                                line_endpoint=endpoint)
    try:
        page = host.get(f"/t/{token}?lang=en").body
        code = re.search(r'id="line-code">([A-Z0-9-]+)<', page).group(1)
        forged = host.get("/line/webhook", method="POST", data=_line_event(b"wrong", code)[0],
                          headers=_line_event(b"wrong", code)[1])
        body, headers = _line_event(secret, code.lower())       # as typed on a phone
        signed = host.get("/line/webhook", method="POST", data=body, headers=headers)
        left_on_web = _pull_then_call(services, publisher, host, lambda: stub.received)
    finally:
        services.close()
        host.server.stop()

    assert "https://line.me/R/ti/p/@tome" in page
    assert forged.status == 403
    assert signed.status == 200
    assert left_on_web == []                             # the user id left the web host
    (push,) = stub.received
    assert push["to"] == LINE_USER
    assert ticket.label in push["messages"][0]["text"]
    assert all(LINE_USER not in seen.body for seen in host.seen)


def test_opt_in__repr__hides_the_address():
    assert ADDRESS not in repr(OptIn("email", ADDRESS))


def test_doctor__notifiers_reachable_or_not__ok_or_fail_named(smtp, line):
    controller, mailbox = smtp
    _, endpoint = line
    config = load_config(None, environ={
        "KIOSK_WEB_SMTP_HOST": "127.0.0.1", "KIOSK_WEB_SMTP_PORT": str(controller.port),
        "KIOSK_WEB_LINE_TOKEN": TOKEN, "KIOSK_WEB_LINE_ENDPOINT": endpoint})
    wrong = replace(config, web=replace(config.web, line_token="not-the-token", smtp_port=1))

    good = {check.name: check.status for check in notifier_checks(config)}
    bad = {check.name: check.status for check in notifier_checks(wrong)}

    assert good == {"web.notify.email": Status.OK, "web.notify.line": Status.OK}
    assert bad == {"web.notify.email": Status.FAIL, "web.notify.line": Status.FAIL}
    assert mailbox.messages == []                        # a probe sends nothing
