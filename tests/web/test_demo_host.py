"""The demo's web host: fed by the demo's own queue through the same signed feed."""

from __future__ import annotations

import json
import time
from dataclasses import replace

from webhost import fetch

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.web.server import start_demo_host


def test_demo_host__ticket_taken__its_qr_url_serves_the_ticket(tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path / "data")})
    config, host = start_demo_host(replace(config, web=replace(config.web, port=0)))
    services = build_services(config, demo=True)
    try:
        services.start_background()
        issued = services.queue.take_ticket("A").ticket
        url = services.queue.qr_payload(issued, "en")
        local = url.replace(config.web.public_url, host.url)
        deadline = time.monotonic() + 5
        while issued.label not in (page := fetch(local)).body and time.monotonic() < deadline:
            time.sleep(0.1)
        feed = json.loads(fetch(host.url + "/congestion.json").body)
    finally:
        services.close()
        host.stop()

    assert url.startswith(config.web.public_url + "/t/")
    assert issued.label in page.body
    assert feed["available"] is True
