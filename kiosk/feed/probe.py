"""``kiosk doctor`` for the web feed: on the web host, and on the inner host that publishes.

The web host's ``/healthz`` answers 200 only while a verified feed message arrived within
``[web] stale_after_s``; the same probe from the inner side says the feed is being delivered.
"""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.request

from kiosk.config import Config
from kiosk.doctor import Check, Status
from kiosk.errors import ConfigError
from kiosk.feed.keys import load_key

__all__ = ["probe_feed"]


def probe_feed(config: Config) -> list[Check]:
    """The web role's checks (key, TLS, feed arriving) or the publisher's (feed delivered)."""
    web = config.web
    if config.device.role == "web":
        return [_key_check(web.feed_key, "feed_key"), _tls_check(config),
                _health(f"http://{_host(web.listen)}:{web.port}", "web.feed_arriving")]
    if not web.feed_url:
        return []
    return [_key_check(web.feed_key, "feed_key"), _key_check(web.token_key, "token_key"),
            _health(web.feed_url, "web.feed_delivered")]


def _host(listen: str) -> str:
    return "127.0.0.1" if listen in ("0.0.0.0", "") else listen  # noqa: S104 - not a bind


def _key_check(spec: str, name: str) -> Check:
    try:
        load_key(spec, name)
    except ConfigError as exc:
        return Check(f"web.{name}", Status.FAIL, exc.english(),
                     "kiosk web new-key prints a key; give both hosts the same feed_key.")
    return Check(f"web.{name}", Status.OK, "key loads (32 bytes)")


def _tls_check(config: Config) -> Check:
    web = config.web
    if web.behind_tls:
        return Check("web.tls", Status.OK, "served as HTTPS by the TLS proxy (HSTS sent)")
    try:
        loopback = ipaddress.ip_address(web.listen).is_loopback
    except ValueError:
        loopback = web.listen == "localhost"
    if loopback:
        return Check("web.tls", Status.WARN, f"plain HTTP on {web.listen}; behind_tls is off",
                     "Put the city's TLS proxy in front and set [web] behind_tls = true.")
    return Check("web.tls", Status.FAIL, f"plain HTTP on {web.listen}, reachable from outside",
                 "Listen on 127.0.0.1 behind a TLS proxy and set [web] behind_tls = true.")


def _health(base: str, name: str) -> Check:
    try:
        with urllib.request.urlopen(base.rstrip("/") + "/healthz", timeout=3):  # noqa: S310
            return Check(name, Status.OK, f"a verified feed is arriving at {base}")
    except urllib.error.HTTPError as exc:
        detail = f"{base} answers {exc.code}: no fresh verified feed"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        detail = f"{base} unreachable ({type(exc).__name__})"
    return Check(name, Status.FAIL, detail,
                 "Check that the inner host with [web] feed_url runs, that both have the same "
                 "feed_key, that the clocks agree (NTP) and that the firewall lets inner -> web "
                 "through.")
