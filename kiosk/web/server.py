"""Runs the web host on uvicorn: in the foreground (``kiosk web``) or on a thread (demo, tests)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import replace
from typing import Any

import uvicorn

from kiosk.config import Config
from kiosk.feed.keys import load_key, new_key_text
from kiosk.web.app import WebSettings, create_app

__all__ = ["WebServer", "app_from_config", "lan_address", "serve", "start_demo_host"]


def app_from_config(config: Config, *, feed_key: bytes | None = None) -> Any:
    """The ASGI app as ``[web]`` and ``[ui]`` configure it."""
    web = config.web
    key = feed_key if feed_key is not None else load_key(web.feed_key, "feed_key")
    settings = WebSettings(site=web.site, languages=config.ui.languages,
                           default_language=config.ui.default_language,
                           stale_after_s=web.stale_after_s, behind_tls=web.behind_tls,
                           rate_per_minute=web.rate_per_minute,
                           offer_alerts=web.offer_alerts, line_add_url=web.line_add_url,
                           line_secret=web.line_channel_secret.encode())
    return create_app(settings, key)


def _uvicorn_config(app: Any, host: str, port: int) -> uvicorn.Config:
    # No access log: the ticket page's URL holds the token, which must not outlive the day
    # in a log file. proxy_headers: behind the city's TLS proxy, rate limits see the phone.
    return uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                          lifespan="off", proxy_headers=True, server_header=False,
                          timeout_graceful_shutdown=1)


def serve(config: Config) -> None:
    """Serve in the foreground until interrupted (the ``web`` role)."""
    uvicorn.Server(_uvicorn_config(app_from_config(config), config.web.listen,
                                   config.web.port)).run()


class WebServer:
    """The web host on a background thread; ``port=0`` picks a free port."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = uvicorn.Server(_uvicorn_config(app, host, port))
        self._app = app
        self._thread = threading.Thread(target=self._server.run, name="web-host", daemon=True)
        self.host = host
        self.port = port

    def _loop(self) -> asyncio.AbstractEventLoop | None:
        servers = self._server.servers
        return servers[0].get_loop() if servers else None

    @property
    def url(self) -> str:
        """The base URL it answers on."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> None:
        """Start serving; returns once the socket listens.

        Raises:
            RuntimeError: the server did not start (port taken?).
        """
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web host did not start")
            time.sleep(0.02)
        sockets = self._server.servers[0].sockets if self._server.servers else []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        state = getattr(self._app, "feed_state", None)
        if state is not None and self._server.started:
            # Wake the streams on the server's own loop: they see ``closing`` and end.
            loop = self._loop()
            if loop is not None:
                loop.call_soon_threadsafe(state.close)
        self._server.should_exit = True
        self._thread.join(timeout=10)


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))     # TEST-NET-1: only picks the outgoing interface
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def start_demo_host(config: Config) -> tuple[Config, WebServer]:
    """The demo's web host, on a thread, and the config whose queue feeds it.

    Both sides run in one process through the same signed feed as on two hosts; fresh keys
    each run. It listens on every interface so that a phone on the same network can open the
    ticket's QR code (the demo's data is simulated).
    """
    feed_key, token_key = new_key_text(), new_key_text()
    web = replace(config.web, feed_key=feed_key, token_key=token_key)
    server = WebServer(app_from_config(replace(config, web=web)), "0.0.0.0", web.port)  # noqa: S104
    try:
        server.start()
    except RuntimeError:
        server = WebServer(app_from_config(replace(config, web=web)), "0.0.0.0", 0)  # noqa: S104
        server.start()      # the usual port is taken: any free one
    host = lan_address()
    web = replace(web, public_url=web.public_url or f"http://{host}:{server.port}",
                  feed_url=f"http://127.0.0.1:{server.port}")
    return replace(config, web=web), server
