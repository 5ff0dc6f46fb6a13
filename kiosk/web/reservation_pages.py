"""The reservation (予約) pages: choose a slot, the reservation's own page, cancel, its QR.

Booking only queues a message for the inner side (the web host cannot book anything): the
inner side pulls it, checks the slot's places again and publishes the outcome, which the
reservation's page then shows live. The link (``/r/<token>``, 160 random bits) is the only
proof of a reservation: the web host remembers it only until the inner side has answered, and
the inner side stores only its hash. No name, no contact: nothing personal is asked.
"""

from __future__ import annotations

import io
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import segno
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kiosk.feed.snapshot import PublicState
from kiosk.feed.tokens import is_token, token_hash
from kiosk.i18n import N_, Translator, translator
from kiosk.web.views import NOT_AVAILABLE, ticket_view

if TYPE_CHECKING:
    from kiosk.web.app import _Pages

__all__ = ["BOOKINGS_PER_ADDRESS", "reservation_routes", "reservation_view", "slots_view"]

BOOKINGS_PER_ADDRESS = 5        # per client address per day: one phone cannot empty a day
_MAX_PENDING = 10_000


def slots_view(state: PublicState | None, tr: Translator) -> dict[str, Any]:
    """The booking page: per service that takes reservations, its slots by day."""
    if state is None:
        return {"available": False, "notice": tr(NOT_AVAILABLE), "services": []}
    by_service: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for slot in state.slots:
        days = by_service.setdefault(slot.service, {})
        days.setdefault(slot.slot[:10], []).append(
            {"slot": slot.slot, "time": slot.slot[11:], "free": slot.free,
             "text": tr(N_("{time} ({n} left)"), time=slot.slot[11:], n=slot.free)
             if slot.free else tr(N_("{time} (full)"), time=slot.slot[11:])})
    services = []
    for code, days in by_service.items():
        line = state.service(code)
        services.append({"code": code, "name": line.name if line is not None else code,
                         "days": days, "open": any(s["free"] for d in days.values() for s in d)})
    return {"available": True, "notice": "" if services else tr(N_(
        "No reservations can be made at the moment.")), "services": services}


def reservation_view(state: PublicState | None, link_hash: str, pending: bool,
                     tr: Translator) -> dict[str, Any] | None:
    """The reservation's page, or ``None`` when the link is unknown (not found)."""
    if state is None:
        return {"available": False, "state": "", "notice": tr(NOT_AVAILABLE)}
    found = state.reservations.get(link_hash)
    if found is None:
        if not pending:
            return None
        return {"available": True, "state": "pending",
                "headline": tr(N_("Your reservation is being confirmed. Please wait."))}
    line = state.service(found.service)
    view: dict[str, Any] = {
        "available": True, "state": found.state,
        "service": line.name if line is not None else found.service,
        "when": f"{found.slot[:10]} {found.slot[11:]}",
        "headline": tr(_HEADLINES[found.state])}
    if found.state == "checked_in":
        view["ticket"] = ticket_view(state, found.ticket, tr)
    return view


_HEADLINES = {
    "booked": N_("Your reservation is confirmed."),
    "cancelled": N_("This reservation is cancelled."),
    "checked_in": N_("You have checked in."),
    "no_show": N_("This reservation has expired."),
    "refused": N_("This time could not be booked (it may be full). Please choose another."),
}


class _ReservationPages:
    """Handlers of the reservation pages, on the shared page helpers."""

    def __init__(self, pages: _Pages, clock: Callable[[], float] = time.time) -> None:
        self._pages = pages
        self._pending: OrderedDict[str, None] = OrderedDict()    # link hashes not yet answered
        self._per_address: dict[tuple[str, int], int] = {}
        self._clock = clock
        self._lock = threading.Lock()

    def _state(self) -> PublicState | None:
        return self._pages.state.current()

    def _allow(self, request: Request) -> bool:
        client = request.client.host if request.client else "?"
        day = int(self._clock() // 86400)
        with self._lock:
            if any(d != day for _, d in self._per_address):
                self._per_address = {k: v for k, v in self._per_address.items() if k[1] == day}
            count = self._per_address.get((client, day), 0)
            if count >= BOOKINGS_PER_ADDRESS:
                return False
            self._per_address[(client, day)] = count + 1
            return True

    async def choose(self, request: Request) -> Response:
        """The booking page: pick a service's slot (works without JavaScript)."""
        tr = translator(self._pages._language(request))
        # refresh: without JavaScript the page must not reload under a visitor choosing.
        return self._pages._render("reserve.html", request, tr, refresh=3600,
                                   view=slots_view(self._state(), tr),
                                   error=request.query_params.get("error", ""))

    async def book(self, request: Request) -> Response:
        """Queue a booking for the inner side; the visitor goes to the new link's page."""
        tr = translator(self._pages._language(request))
        form = await request.form()
        service, slot = str(form.get("service", "")), str(form.get("slot", ""))
        state = self._state()
        offered = state is not None and any(
            s.service == service and s.slot == slot and s.free > 0 for s in state.slots)
        if not offered:
            return RedirectResponse(f"/reserve?lang={tr.code}&error=slot", status_code=303)
        if not self._allow(request):
            return RedirectResponse(f"/reserve?lang={tr.code}&error=many", status_code=303)
        token = secrets.token_urlsafe(20)       # 160 bits, the same shape as ticket tokens
        link = token_hash(token)
        with self._lock:
            self._pending[link] = None
            while len(self._pending) > _MAX_PENDING:
                self._pending.popitem(last=False)
        self._pages.inbox.put_reservation(link, service, slot)
        return RedirectResponse(f"/r/{token}?lang={tr.code}", status_code=303)

    def _view(self, request: Request) -> tuple[str, Translator, dict[str, Any]] | None:
        token = request.path_params["token"]
        if not is_token(token):
            return None
        tr = translator(self._pages._language(request))
        link = token_hash(token)
        view = reservation_view(self._state(), link, link in self._pending, tr)
        if view is not None and view["state"] not in ("", "pending"):
            self._pending.pop(link, None)          # answered: the web host forgets it
        return None if view is None else (token, tr, view)

    def _payload(self, request: Request) -> dict[str, Any]:
        found = self._view(request)
        if found is None:
            return {}
        token, tr, view = found
        phase = (view.get("ticket") or {}).get("phase", "")
        return {"available": view["available"], "phase": phase,
                "html": self._pages._fragment("reservation_live.html", tr, view=view,
                                              token=token)}

    async def page(self, request: Request) -> Response:
        """The reservation's page: when, where, its QR code, cancel; after check-in, the
        ticket's live status."""
        found = self._view(request)
        if found is None:
            return Response("Not found.\n", status_code=404, media_type="text/plain")
        token, tr, view = found
        return self._pages._render("reservation.html", request, tr, view=view, token=token)

    async def status(self, request: Request) -> Response:
        """The live part as JSON (poll fallback)."""
        payload = self._payload(request)
        if not payload:
            return JSONResponse({}, status_code=404)
        return JSONResponse(payload, headers={"cache-control": "no-store"})

    async def events(self, request: Request) -> Response:
        """Server-sent events of the reservation's page."""
        from kiosk.web.app import _event_stream  # noqa: PLC0415 - the app imports this module

        if self._view(request) is None:
            return Response(status_code=404)
        return _event_stream(self._pages._stream(lambda: self._payload(request)))

    async def cancel(self, request: Request) -> Response:
        """Queue "cancel this reservation" for the inner side."""
        found = self._view(request)
        if found is None:
            return Response(status_code=404)
        token, tr, view = found
        if view["state"] == "booked":
            self._pages.inbox.put_cancel(token_hash(token))
        return RedirectResponse(f"/r/{token}?lang={tr.code}&sent=1", status_code=303)

    async def qr(self, request: Request) -> Response:
        """The reservation's QR code (its page's URL) for the tablet at the counter."""
        token = request.path_params["token"]
        if not is_token(token) or self._view(request) is None:
            return Response(status_code=404)
        url = f"{str(request.base_url).rstrip('/')}/r/{token}"
        svg = io.BytesIO()
        # A whole SVG document (with its namespace): an <img> shows nothing without it.
        segno.make(url, error="m").save(svg, kind="svg", scale=6, border=4, xmldecl=False)
        return Response(svg.getvalue(), media_type="image/svg+xml", headers={"cache-control": "no-store"})


def reservation_routes(pages: _Pages) -> list[Route]:
    """The reservation pages' routes."""
    handlers = _ReservationPages(pages)
    return [
        Route("/reserve", handlers.choose),
        Route("/reserve", handlers.book, methods=["POST"]),
        Route("/r/{token}", handlers.page),
        Route("/r/{token}/status.json", handlers.status),
        Route("/r/{token}/events", handlers.events),
        Route("/r/{token}/cancel", handlers.cancel, methods=["POST"]),
        Route("/r/{token}/qr.svg", handlers.qr),
    ]
