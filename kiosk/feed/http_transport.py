"""The inner side's HTTP client for the feed: POST the state out, GET the phones' messages.

Only the inner side opens connections (to the web host); the web host never connects inward.
Standard library only, with short time-outs: a slow web host must never hold the queue up.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["FeedTransport", "HttpFeedTransport", "TransportError"]

_TIMEOUT_S = 3.0


class TransportError(OSError):
    """The web host could not be reached or answered with an error status."""


class FeedTransport(Protocol):
    """What the publisher needs from a transport."""

    def post(self, path: str, data: bytes, headers: Mapping[str, str]) -> int:
        """POST ``data``; the HTTP status."""

    def get(self, path: str, headers: Mapping[str, str]) -> tuple[bytes, str]:
        """GET ``path``; the body and its signature header."""


@dataclass
class HttpFeedTransport:
    """HTTP(S) to ``base_url`` (the web host's ``[web] feed_url``)."""

    base_url: str

    def post(self, path: str, data: bytes, headers: Mapping[str, str]) -> int:
        """POST ``data``; the HTTP status (4xx included: the caller logs a refusal)."""
        request = urllib.request.Request(  # noqa: S310 - _url allows http(s) only
            self._url(path), data=data, method="POST",
            headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(str(getattr(exc, "reason", exc))) from exc

    def get(self, path: str, headers: Mapping[str, str]) -> tuple[bytes, str]:
        """GET ``path``; the body and its ``X-Kiosk-Feed-Signature``."""
        request = urllib.request.Request(self._url(path),  # noqa: S310 - http(s) only
                                         headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:  # noqa: S310
                return response.read(), response.headers.get("X-Kiosk-Feed-Signature", "")
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(str(getattr(exc, "reason", exc))) from exc

    def _url(self, path: str) -> str:
        if not self.base_url.startswith(("http://", "https://")):
            raise TransportError("feed_url must be http:// or https://")
        return self.base_url.rstrip("/") + path
