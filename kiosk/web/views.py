"""What each page shows, worked out from the public state in the visitor's language.

Pure functions from :class:`~kiosk.feed.snapshot.PublicState` to the small dictionaries the
templates, the JSON feeds and the live updates share, so all three always say the same thing.
"""

from __future__ import annotations

from typing import Any

from kiosk.feed.snapshot import PublicState, PublicTicket
from kiosk.i18n import N_, Translator

__all__ = ["board_view", "congestion_json", "congestion_view", "ticket_view"]

_OPENS, _CLOSES = 8, 17
NOT_AVAILABLE = N_("Status not available. Please look at the screen in the waiting room.")


def _minutes(seconds: int) -> int:
    return -(-seconds // 60)


def ticket_view(state: PublicState | None, token_hash: str, tr: Translator) -> dict[str, Any]:
    """The ticket page: number, service, people ahead, wait, or "called: go to counter N"."""
    if state is None:
        return {"available": False, "phase": "", "notice": tr(NOT_AVAILABLE)}
    ticket = state.tickets.get(token_hash)
    if ticket is None:
        return {"available": False, "phase": "",
                "notice": tr(N_("This ticket is not valid today. Please take a new ticket "
                                "at the tablet."))}
    line = state.service(ticket.service)
    return {"available": True, "phase": ticket.phase, "label": ticket.label,
            "service": line.name if line is not None else ticket.service,
            "away": ticket.away, **_phase_text(ticket, tr)}


def _phase_text(ticket: PublicTicket, tr: Translator) -> dict[str, str]:
    if ticket.phase in ("called", "serving"):
        return {"headline": tr(N_("Number {ticket}, please come to counter {counter}."),
                               ticket=ticket.label, counter=ticket.counter)}
    if ticket.phase == "held":
        return {"headline": tr(N_("Your ticket is on hold. Please ask at the counter."))}
    if ticket.phase == "finished":
        return {"headline": tr(N_("This ticket is finished. Thank you."))}
    return {"ahead": tr.plural("{n} person is ahead of you.", "{n} people are ahead of you.",
                               ticket.ahead),
            "wait": tr(N_("Estimated wait: about {minutes} minutes."),
                       minutes=_minutes(ticket.wait_s))}


def congestion_view(state: PublicState | None, tr: Translator) -> dict[str, Any]:
    """Per service: people waiting, the estimated wait, and today's tickets by hour."""
    if state is None:
        return {"available": False, "notice": tr(NOT_AVAILABLE), "lines": []}
    lines = []
    for line in state.services:
        peak = max(line.hourly, default=0) or 1
        # Office hours, widened to any hour that had tickets (an evening opening day).
        busy = [hour for hour, count in enumerate(line.hourly) if count]
        first, last = min([_OPENS, *busy]), max([_CLOSES, *busy])
        hours = [{"hour": hour, "count": count, "percent": round(100 * count / peak)}
                 for hour, count in enumerate(line.hourly) if first <= hour <= last]
        lines.append({"code": line.code, "name": line.name,
                      "waiting": tr(N_("{n} waiting"), n=line.waiting),
                      "wait": tr(N_("about {minutes} min"), minutes=_minutes(line.wait_s)),
                      "hours": hours})
    return {"available": True, "notice": "", "lines": lines}


def congestion_json(state: PublicState | None) -> dict[str, Any]:
    """The open-data feed: figures only, language-neutral."""
    if state is None:
        return {"available": False, "services": []}
    return {"available": True, "site": state.site, "day": state.day.isoformat(),
            "services": [{"code": s.code, "name": s.name, "waiting": s.waiting,
                          "estimated_wait_minutes": _minutes(s.wait_s),
                          "tickets_by_hour": list(s.hourly)} for s in state.services]}


def board_view(state: PublicState | None, tr: Translator) -> dict[str, Any]:
    """The waiting-room board: the latest call large, recent calls, waits per service."""
    if state is None:
        return {"available": False, "notice": tr(NOT_AVAILABLE)}
    calls = [{"label": c.label, "counter": c.counter} for c in state.calls]
    waiting = [{"name": s.name, "waiting": tr(N_("{n} waiting"), n=s.waiting),
                "wait": tr(N_("about {minutes} min"), minutes=_minutes(s.wait_s))}
               for s in state.services if s.waiting]
    return {"available": True, "now": calls[0] if calls else None, "recent": calls[1:],
            "waiting": waiting, "nobody": tr(N_("No one is waiting.")),
            "call_text": (tr(N_("Number {ticket}, please come to counter {counter}."),
                             ticket=calls[0]["label"], counter=calls[0]["counter"])
                          if calls else "")}
