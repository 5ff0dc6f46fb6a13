"""The web host on a real uvicorn server, its feed keys, and helpers to read its answers
(shared by tests/web and the tablet-to-phone browser test)."""

from __future__ import annotations

import base64
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.feed.envelope import SIGNATURE_HEADER, Sequencer, seal_message
from kiosk.feed.snapshot import PublicState
from kiosk.web.app import WebSettings, create_app
from kiosk.web.feed_state import FeedState
from kiosk.web.inbox import Inbox
from kiosk.web.server import WebServer

FEED_KEY = b"f" * 32
TOKEN_KEY = b"t" * 32
SITE = "tome"
PERSONS = Path(__file__).parents[2] / "devices" / "smartcard" / "persons"


def key_text(key: bytes) -> str:
    return "base64:" + base64.b64encode(key).decode()


def personal_strings() -> list[str]:
    """Every test person's name, its parts, address, birth date, PIN and My Number."""
    found: list[str] = []
    for path in PERSONS.glob("*.toml"):
        person = tomllib.loads(path.read_text(encoding="utf-8"))
        name = person.get("name", "")
        found += [name, *name.replace("　", " ").split(), person.get("address", ""),
                  person.get("birth_date", ""), person.get("my_number", "")]
    return sorted({item for item in found if len(item) >= 2})


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
          method: str | None = None) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()},
                          response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, {k.lower(): v for k, v in exc.headers.items()},
                      exc.read().decode("utf-8", "replace"))


@dataclass
class Host:
    """A running web host and what the tests need to talk to it like the inner side."""

    server: WebServer
    state: FeedState
    inbox: Inbox
    sequencer: Sequencer = field(default_factory=Sequencer)
    seen: list[Answer] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, path: str, **kwargs: object) -> Answer:
        answer = fetch(self.url + path, **kwargs)  # type: ignore[arg-type]
        self.seen.append(answer)
        return answer

    def post_state(self, state: PublicState, *, seq: int | None = None,
                   key: bytes = FEED_KEY, sent_at: float | None = None) -> Answer:
        data, signature = seal_message(key, SITE, seq or self.sequencer.next(), "snapshot",
                                       state.to_json(), sent_at)
        return fetch(self.url + "/feed", data=data, headers={SIGNATURE_HEADER: signature})


def start_host(*, stale_after_s: float = 20.0, behind_tls: bool = False,
               rate_per_minute: int = 10_000, offer_alerts: bool = False,
               line_secret: bytes = b"") -> Host:
    settings = WebSettings(site=SITE, languages=("ja", "ja@easy", "en", "vi", "zh_Hans", "ne",
                                                 "id", "tl"),
                           stale_after_s=stale_after_s, behind_tls=behind_tls,
                           rate_per_minute=rate_per_minute, offer_alerts=offer_alerts,
                           line_secret=line_secret,
                           line_add_url="https://line.me/R/ti/p/@tome" if line_secret else "")
    state, inbox = FeedState(FEED_KEY, SITE, stale_after_s), Inbox()
    server = WebServer(create_app(settings, FEED_KEY, state=state, inbox=inbox))
    server.start()
    return Host(server, state, inbox)
