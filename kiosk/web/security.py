"""Strict response headers and per-address rate limits, as plain ASGI middleware.

The pages need no cookie, no inline script and nothing from another origin: the CSP says so.
The ticket's token is in the URL, so no page sends a Referer anywhere. HSTS is sent only when
the host is served over TLS (``[web] behind_tls``): over plain HTTP it would be ignored at best.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "RateLimiter", "SecurityHeaders"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {frames}")
_EMBEDDABLE = ("/congestion/widget",)    # the city's web site frames the widget


def _headers(path: str, hsts: bool) -> list[tuple[bytes, bytes]]:
    embeddable = path.startswith(_EMBEDDABLE)
    headers = {
        "content-security-policy": CSP.format(frames="*" if embeddable else "'none'"),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-site" if not path.endswith(".json") else
                                        "cross-origin",
    }
    if not embeddable:
        headers["x-frame-options"] = "DENY"
    if hsts:
        headers["strict-transport-security"] = "max-age=31536000"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


class SecurityHeaders:
    """Adds the security headers to every HTTP response and refuses any Set-Cookie."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self._app = app
        self._hsts = hsts
        self.feed_state: Any = None     # set by create_app (closed when the server stops)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``send`` to add the headers to the response start."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        extra = _headers(scope["path"], self._hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self._app(scope, receive, send_with_headers)


class RateLimiter:
    """At most ``per_minute`` requests per client address per minute (fixed windows)."""

    def __init__(self, app: ASGIApp, *, per_minute: int, exempt: tuple[str, ...] = (),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._app = app
        self._limit = per_minute
        self._exempt = exempt
        self._monotonic = monotonic
        self._counts: dict[str, int] = {}
        self._window = -1
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count a request of ``client``; whether it is within the limit."""
        window = int(self._monotonic() // 60)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(client, 0) + 1
            self._counts[client] = count
            return count <= self._limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 429 past the limit; the feed (signed) and static files are not counted."""
        if scope["type"] == "http" and not scope["path"].startswith(self._exempt):
            client: Any = scope.get("client") or ("?", 0)
            if not self.allow(str(client[0])):
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"retry-after", b"60")]})
                await send({"type": "http.response.body", "body": b"Too many requests.\n"})
                return
        await self._app(scope, receive, send)
