"""``kiosk doctor`` on the web host and on the publishing inner host."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from webhost import FEED_KEY, SITE, key_text

from kiosk.config import load_config
from kiosk.doctor import Status
from kiosk.feed.probe import probe_feed
from kiosk.feed.snapshot import PublicState


def _config(**web):
    config = load_config(None, environ={})
    return replace(config, web=replace(config.web, **web))


def _statuses(checks):
    return {check.name: check.status for check in checks}


def test_probe__inner_host_feed_delivered__ok_then_fails_when_nothing_arrives(host):
    config = _config(feed_url=host.url, feed_key=key_text(FEED_KEY), token_key=key_text(FEED_KEY))
    before = _statuses(probe_feed(config))
    host.post_state(PublicState(SITE, date.today()))

    after = _statuses(probe_feed(config))

    assert before["web.feed_delivered"] is Status.FAIL
    assert after == {"web.feed_key": Status.OK, "web.token_key": Status.OK,
                     "web.feed_delivered": Status.OK}


@pytest.mark.parametrize(("listen", "behind_tls", "expected"), [
    ("127.0.0.1", True, Status.OK),
    ("127.0.0.1", False, Status.WARN),
    ("0.0.0.0", False, Status.FAIL),
])
def test_probe__web_host_tls__named(listen, behind_tls, expected):
    config = _config(listen=listen, behind_tls=behind_tls, port=9, feed_key="")
    config = replace(config, device=replace(config.device, role="web"))

    statuses = _statuses(probe_feed(config))

    assert statuses["web.tls"] is expected
    assert statuses["web.feed_key"] is Status.FAIL
    assert statuses["web.feed_arriving"] is Status.FAIL


def test_probe__no_web_configured__no_checks():
    assert probe_feed(_config()) == []
