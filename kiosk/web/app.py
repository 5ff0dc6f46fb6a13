"""The web host's ASGI application (Starlette): pages, live updates, the feed's two ends.

Views are thin: each reads the in-memory public state through :mod:`kiosk.web.views` and
renders a template, a JSON document or a server-sent event. Nothing here can reach the queue:
the only way in is :class:`~kiosk.web.inbox.Inbox`, which the inner side pulls and checks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kiosk.feed.envelope import MAX_SKEW_S, SIGNATURE_HEADER, Sequencer, seal_message, verify
from kiosk.feed.tokens import is_token, token_hash
from kiosk.i18n import LANGUAGES, N_, Translator, language, translator
from kiosk.web.feed_state import BOARD, FeedState
from kiosk.web.inbox import Inbox
from kiosk.web.line_link import LineLink
from kiosk.web.reservation_pages import reservation_routes
from kiosk.web.security import RateLimiter, SecurityHeaders
from kiosk.web.views import board_view, congestion_json, congestion_view, ticket_view

__all__ = ["WebSettings", "create_app"]

_log = logging.getLogger(__name__)
_HERE = Path(__file__).parent
_KEEPALIVE_S = 10.0
_INBOX_TIME = "x-kiosk-feed-time"
_MAX_FEED_BYTES = 4_000_000


@dataclass(frozen=True)
class WebSettings:
    """How the web host runs (from ``[web]`` and ``[ui] languages``)."""

    site: str
    languages: tuple[str, ...]
    default_language: str = "ja"
    stale_after_s: float = 20.0
    behind_tls: bool = False
    rate_per_minute: int = 120
    offer_alerts: bool = False      # the ticket page offers "e-mail me when my turn is near"
    line_add_url: str = ""          # with line_secret: the page offers LINE (kiosk.web.line_link)
    line_secret: bytes = field(default=b"", repr=False)


class _Pages:
    """The request handlers, sharing the state, the inbox and the templates."""

    def __init__(self, settings: WebSettings, state: FeedState, inbox: Inbox, key: bytes,
                 time_now: Callable[[], float]) -> None:
        self.settings, self.state, self.inbox = settings, state, inbox
        self._key = key
        self._time = time_now
        self._sequencer = Sequencer()
        self.line = (LineLink(settings.line_secret, settings.line_add_url, inbox)
                     if settings.line_secret and settings.line_add_url else None)
        self._templates = Environment(loader=FileSystemLoader(_HERE / "templates"),
                                      autoescape=select_autoescape(default=True),
                                      trim_blocks=True, lstrip_blocks=True,
                                      # The templates ship with the package: no file stat
                                      # on each of the thousands of renders per state.
                                      auto_reload=False)

    # ------------------------------------------------------------ helpers
    def _language(self, request: Request) -> str:
        wanted = request.query_params.get("lang", "")
        offered = self.settings.languages
        if wanted in offered:
            return wanted
        for part in request.headers.get("accept-language", "").split(","):
            tag = part.split(";")[0].strip().replace("-", "_")
            for code in offered:
                if tag and (code == tag or code.split("_")[0] == tag.split("_")[0]):
                    return code
        return self.settings.default_language

    def _render(self, name: str, request: Request, tr: Translator, **context: Any) -> HTMLResponse:
        lang = tr.code
        languages = [(code, language(code).native_name) for code in self.settings.languages
                     if any(known.code == code for known in LANGUAGES)]
        html = self._templates.get_template(name).render(
            tr=tr, N_=N_, lang=lang, bcp47=language(lang).bcp47, languages=languages,
            path=request.url.path, **context)
        return HTMLResponse(html, headers={"cache-control": "no-store"})

    def _fragment(self, name: str, tr: Translator, **context: Any) -> str:
        return self._templates.get_template(name).render(tr=tr, N_=N_, **context)

    async def _stream(self, payload: Callable[[], dict[str, Any]],
                      watch: str = "") -> AsyncIterator[str]:
        # A departed phone ends the stream through the response: Starlette's disconnect
        # listener cancels this generator (or the next send fails), so it is not asked for
        # here on every wake-up. An event is sent only when this page's part changed; a
        # comment line keeps quiet connections open through proxies.
        last, woken = "", True
        while not self.state.closing:
            data = json.dumps(payload(), ensure_ascii=False)
            if data != last:
                last = data
                yield f"data: {data}\n\n"
            elif not woken:
                yield ": keep-alive\n\n"
            woken = await self.state.changed(_KEEPALIVE_S, watch)

    # ------------------------------------------------------------ ticket page
    def _ticket(self, request: Request) -> tuple[str, Translator, dict[str, Any]] | None:
        token = request.path_params["token"]
        if not is_token(token):
            return None
        tr = translator(self._language(request))
        return token, tr, ticket_view(self.state.current(), token_hash(token), tr)

    def _ticket_payload(self, request: Request) -> dict[str, Any]:
        found = self._ticket(request)
        if found is None:
            return {}
        token, tr, view = found
        return self._ticket_live(token, tr, view)

    def _ticket_live(self, token: str, tr: Translator, view: dict[str, Any]) -> dict[str, Any]:
        return {"phase": view["phase"], "available": view["available"],
                "html": self._fragment("ticket_live.html", tr, view=view, token=token)}

    async def ticket_page(self, request: Request) -> Response:
        """The visitor's ticket (from the QR code)."""
        found = self._ticket(request)
        if found is None:
            return Response("Not found.\n", status_code=404, media_type="text/plain")
        token, tr, view = found
        line_code = (self.line.code_for(token_hash(token), tr.code)
                     if self.line is not None and view.get("phase") == "waiting" else "")
        return self._render("ticket.html", request, tr, view=view, token=token,
                            offer_alerts=self.settings.offer_alerts, line_code=line_code,
                            line_add_url=self.settings.line_add_url,
                            notify=request.query_params.get("notify", ""))

    async def ticket_status(self, request: Request) -> Response:
        """The ticket's live part as JSON (the poll fallback of the event stream)."""
        payload = self._ticket_payload(request)
        if not payload:
            return JSONResponse({}, status_code=404)
        return JSONResponse(payload, headers={"cache-control": "no-store"})

    async def ticket_events(self, request: Request) -> Response:
        """Server-sent events: the ticket's live part, whenever the state changes."""
        found = self._ticket(request)
        if found is None:
            return Response(status_code=404)
        token, tr, _view = found
        watch = token_hash(token)       # worked out once, not on every state

        def payload() -> dict[str, Any]:
            return self._ticket_live(token, tr, ticket_view(self.state.current(), watch, tr))
        return _event_stream(self._stream(payload, watch))

    async def ticket_away(self, request: Request) -> Response:
        """"I have stepped out" / "I am back": queued for the inner side to pull."""
        found = self._ticket(request)
        if found is None:
            return Response(status_code=404)
        token, tr, view = found
        form = await request.form()
        away = form.get("away")
        if view["available"] and view["phase"] == "waiting" and away in ("0", "1"):
            self.inbox.put_away(token_hash(token), away == "1")
        return RedirectResponse(f"/t/{token}?lang={tr.code}&sent=1", status_code=303)

    async def ticket_notify(self, request: Request) -> Response:
        """"Tell me by e-mail when my turn is near": queued for the inner side to pull."""
        found = self._ticket(request)
        if found is None or not self.settings.offer_alerts:
            return Response(status_code=404)
        token, tr, view = found
        form = await request.form()
        address = str(form.get("address", "")).strip()
        ok = (view["available"] and view["phase"] == "waiting"
              and self.inbox.put_notify(token_hash(token), address, tr.code) is not None)
        return RedirectResponse(f"/t/{token}?lang={tr.code}&notify={'1' if ok else '0'}",
                                status_code=303)

    # ------------------------------------------------------------ congestion and board
    def _congestion_payload(self, request: Request) -> dict[str, Any]:
        tr = translator(self._language(request))
        view = congestion_view(self.state.current(), tr)
        return {"available": view["available"],
                "html": self._fragment("congestion_live.html", tr, view=view,
                                       compact=request.query_params.get("compact") == "1")}

    async def congestion_page(self, request: Request) -> Response:
        """People waiting and the estimated wait per service; today by hour."""
        tr = translator(self._language(request))
        view = congestion_view(self.state.current(), tr)
        widget = request.url.path.endswith("/widget")
        return self._render("widget.html" if widget else "congestion.html", request, tr,
                            view=view, compact=widget)

    async def congestion_events(self, request: Request) -> Response:
        """Server-sent events of the congestion page and the widget."""
        return _event_stream(self._stream(lambda: self._congestion_payload(request)))

    async def congestion_status(self, request: Request) -> Response:
        """The congestion page's live part as JSON (poll fallback)."""
        return JSONResponse(self._congestion_payload(request), headers={"cache-control": "no-store"})

    async def congestion_feed(self, _request: Request) -> Response:
        """The open-data JSON feed (any site may fetch it)."""
        return JSONResponse(congestion_json(self.state.current()),
                            headers={"access-control-allow-origin": "*",
                                     "cache-control": "no-store"})

    def _board_payload(self, request: Request) -> dict[str, Any]:
        tr = translator(self._language(request))
        view = board_view(self.state.current(), tr)
        return {"available": view["available"], "now": (view.get("now") or {}).get("label", ""),
                "html": self._fragment("board_live.html", tr, view=view)}

    async def board_page(self, request: Request) -> Response:
        """The waiting-room board for any TV with a browser."""
        site = request.query_params.get("site", self.settings.site)
        if site != self.settings.site:
            return Response("Unknown site.\n", status_code=404, media_type="text/plain")
        tr = translator(self._language(request))
        return self._render("board.html", request, tr, view=board_view(self.state.current(), tr),
                            site=site)

    async def board_status(self, request: Request) -> Response:
        """The board's live part as JSON (poll fallback)."""
        return JSONResponse(self._board_payload(request), headers={"cache-control": "no-store"})

    async def board_events(self, request: Request) -> Response:
        """Server-sent events of the board."""
        return _event_stream(self._stream(lambda: self._board_payload(request), BOARD))

    # ------------------------------------------------------------ the feed's web end
    async def feed_in(self, request: Request) -> Response:
        """The inner side's signed state; 204 accepted, 403 refused (logged by FeedState)."""
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > _MAX_FEED_BYTES:
            return Response(status_code=413)     # refused before reading a byte of it
        data = await request.body()
        if len(data) > _MAX_FEED_BYTES:
            return Response(status_code=413)
        reason = self.state.receive(data, request.headers.get(SIGNATURE_HEADER, ""))
        return Response(status_code=403 if reason else 204)

    async def feed_inbox(self, request: Request) -> Response:
        """The phones' messages for the inner side, signed; only with the feed key."""
        after_text = request.query_params.get("after", "0")
        stamp = request.headers.get(_INBOX_TIME, "")
        try:
            after, sent = int(after_text), float(stamp)
        except ValueError:
            after, sent = 0, 0.0      # refused below: the time is part of what is signed
        if (not verify(self._key, f"inbox|{after_text}|{stamp}".encode(),
                       request.headers.get(SIGNATURE_HEADER, ""))
                or abs(self._time() - sent) > MAX_SKEW_S):
            _log.warning("inbox pull refused: bad signature or time")
            return Response(status_code=403)
        data, signature = seal_message(self._key, self.settings.site, self._sequencer.next(),
                                       "inbox", self.inbox.after(after))
        return Response(data, media_type="application/json",
                        headers={SIGNATURE_HEADER: signature, "cache-control": "no-store"})

    async def health(self, _request: Request) -> Response:
        """Whether a verified feed arrives (for IT's monitoring and ``kiosk doctor``)."""
        ok = self.state.current() is not None
        return JSONResponse({"feed": "ok" if ok else "not_available"},
                            status_code=200 if ok else 503)

    async def index(self, request: Request) -> Response:
        """The front page is the congestion page."""
        return RedirectResponse(f"/congestion?{request.url.query}", status_code=302)


def _event_stream(chunks: AsyncIterator[str]) -> StreamingResponse:
    # X-Accel-Buffering: a reverse proxy (nginx) must pass each event on at once.
    return StreamingResponse(chunks, media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


def create_app(settings: WebSettings, key: bytes, *, state: FeedState | None = None,
               inbox: Inbox | None = None, time_now: Callable[[], float] | None = None) -> Any:
    """The web host's ASGI application, wrapped in the security and rate-limit middleware.

    The returned app's ``feed_state`` is what :class:`~kiosk.web.server.WebServer` closes
    on stop, so that open event streams end instead of holding the shutdown.
    """
    import time  # noqa: PLC0415 - only the default clock

    state = state or FeedState(key, settings.site, settings.stale_after_s)
    pages = _Pages(settings, state, inbox or Inbox(), key, time_now or time.time)
    routes = [
        Route("/", pages.index),
        Route("/t/{token}", pages.ticket_page),
        Route("/t/{token}/status.json", pages.ticket_status),
        Route("/t/{token}/events", pages.ticket_events),
        Route("/t/{token}/away", pages.ticket_away, methods=["POST"]),
        Route("/t/{token}/notify", pages.ticket_notify, methods=["POST"]),
        Route("/congestion", pages.congestion_page),
        Route("/congestion/widget", pages.congestion_page),
        Route("/congestion/events", pages.congestion_events),
        Route("/congestion/status.json", pages.congestion_status),
        Route("/congestion.json", pages.congestion_feed),
        Route("/board", pages.board_page),
        Route("/board/events", pages.board_events),
        Route("/board/status.json", pages.board_status),
        Route("/feed", pages.feed_in, methods=["POST"]),
        Route("/feed/inbox", pages.feed_inbox),
        Route("/healthz", pages.health),
        *reservation_routes(pages),
        *([Route("/line/webhook", pages.line.webhook, methods=["POST"])]
          if pages.line is not None else []),
        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.pages = pages
    limited = RateLimiter(app, per_minute=settings.rate_per_minute,
                          exempt=("/feed", "/static", "/line/webhook"))  # all three signed
    secured = SecurityHeaders(limited, hsts=settings.behind_tls)
    secured.feed_state = state
    return secured
