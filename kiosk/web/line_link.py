"""LINE opt-in from the ticket page: add the city's official account, send the code shown.

The LINE platform calls the web host's webhook (``POST /line/webhook``), signed with the
channel secret (``X-Line-Signature``: base64 HMAC-SHA256 of the body). A text message equal to
a waiting ticket's code links the sender's user id to that ticket: it is queued in the inbox as
a "notify" message on channel ``line``; the inner side checks it again and pushes through the
Messaging API when the turn is near. The user id is personal data: never logged, dropped from
the web host as soon as the inner side pulled it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import threading

from starlette.requests import Request
from starlette.responses import Response

from kiosk.web.inbox import Inbox

__all__ = ["LineLink"]

_log = logging.getLogger(__name__)
_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"      # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud safely
_USER = re.compile(r"U[0-9a-f]{32}")
_MAX_CODES = 20_000
_MAX_BODY = 1_000_000


class LineLink:
    """Codes shown on ticket pages, and the webhook that turns a code into an opt-in.

    Args:
        secret: the channel secret (``[web] line_channel_secret``).
        add_url: the official account's "add friend" URL (``[web] line_add_url``).
        inbox: where the opt-in waits for the inner side.
    """

    def __init__(self, secret: bytes, add_url: str, inbox: Inbox) -> None:
        self._secret, self.add_url, self._inbox = secret, add_url, inbox
        self._codes: dict[str, tuple[str, str]] = {}      # code -> (token hash, language)
        self._by_ticket: dict[str, str] = {}              # token hash -> code
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LineLink(add_url={self.add_url!r})"

    def code_for(self, token_hash: str, language: str) -> str:
        """The ticket's code (the same on every load of its page)."""
        with self._lock:
            code = self._by_ticket.get(token_hash)
            if code is None:
                if len(self._codes) >= _MAX_CODES:        # a new day's worth: start afresh
                    self._codes.clear()
                    self._by_ticket.clear()
                code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
                self._by_ticket[token_hash] = code
            self._codes[code] = (token_hash, language)
            return f"{code[:4]}-{code[4:]}"

    async def webhook(self, request: Request) -> Response:
        """LINE's calls: 200 when signed right (LINE retries otherwise), 403 when not."""
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > _MAX_BODY:
            return Response(status_code=413)
        body = await request.body()
        expected = base64.b64encode(hmac.new(self._secret, body, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, request.headers.get("x-line-signature", "").encode()):
            _log.warning("LINE webhook refused: bad signature")
            return Response(status_code=403)
        try:
            events = json.loads(body).get("events", [])
        except (ValueError, AttributeError):
            events = []
        for event in events if isinstance(events, list) else []:
            self._take(event)
        return Response(status_code=200)

    def _take(self, event: object) -> None:
        if not isinstance(event, dict) or event.get("type") != "message":
            return
        message, source = event.get("message"), event.get("source")
        if not isinstance(message, dict) or not isinstance(source, dict):
            return
        text = str(message.get("text", "")).strip().upper().replace("-", "").replace(" ", "")
        user = str(source.get("userId", ""))
        with self._lock:
            found = self._codes.get(text)
        if found is not None and _USER.fullmatch(user):
            self._inbox.put_line(found[0], user, found[1])
