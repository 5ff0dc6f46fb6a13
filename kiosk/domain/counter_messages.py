"""The messages the devices of one counter exchange (tablet, clerk PC, later a remote counter).

Each message is a frozen dataclass; :func:`to_wire` makes the JSON-ready dict a
:class:`~kiosk.ports.ConversationRelay` carries and :func:`from_wire` reads one back, checking
its shape (``type`` names the message, ``origin`` the sending process). The wire format is the
one the tablets and clerk PCs of earlier versions speak, so devices of both can share a counter:
a new field must be optional, and a reader ignores keys it does not know.

Whether a value makes sense (a language code this build knows, a session id's shape) is the
receiver's check (:class:`kiosk.services.conversation.Conversation`). What was said is personal
data: ``text`` and ``translation`` never appear in a repr.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "Bye",
    "Cleared",
    "Heartbeat",
    "Hello",
    "Here",
    "LanguageChosen",
    "LineKind",
    "LineSaid",
    "LinkChanged",
    "MicChanged",
    "MicRequested",
    "NoticeShown",
    "Party",
    "ProceduresChosen",
    "RelayMessage",
    "SessionTold",
    "from_wire",
    "to_wire",
]


class Party(enum.Enum):
    """Who said a line."""

    CLERK = "clerk"
    CITIZEN = "citizen"


class LineKind(enum.Enum):
    """How a line came in."""

    SPOKEN = "spoken"
    TYPED = "typed"
    PHRASE = "phrase"


# ------------------------------------------------------------ from a device of the counter
@dataclass(frozen=True)
class Hello:
    """A device joined (or reconnected): who is there answers :class:`Here`."""

    origin: str


@dataclass(frozen=True)
class Here:
    """A device is there (the answer to :class:`Hello`, and at each heartbeat)."""

    origin: str


@dataclass(frozen=True)
class Bye:
    """A device leaves (it shuts down)."""

    origin: str


@dataclass(frozen=True)
class Cleared:
    """The conversation was wiped: the other device wipes it too."""

    origin: str


@dataclass(frozen=True)
class LineSaid:
    """A line said or typed on the sending device, with its translation when it made one."""

    origin: str
    party: Party
    kind: LineKind
    at: datetime
    language: str                          # catalog code of ``text``
    text: str = field(repr=False)
    translation_language: str = ""         # catalog code of ``translation``
    translation: str | None = field(default=None, repr=False)
    missing_model: bool = False            # the sender had no model: the receiver may try
    at_branch: bool = False                # a remote call's branch clerk said it (not the specialist)


@dataclass(frozen=True)
class LanguageChosen:
    """The visitor chose a language (a catalog code)."""

    origin: str
    language: str


@dataclass(frozen=True)
class SessionTold:
    """The visit's usage-log session id (``""``: unknown)."""

    origin: str
    session: str


@dataclass(frozen=True)
class NoticeShown:
    """A fixed notice (a catalog message id, never free text) for the visitor in ``language``."""

    origin: str
    message_id: str
    language: str


@dataclass(frozen=True)
class ProceduresChosen:
    """The procedures of the visit (catalog ids)."""

    origin: str
    procedures: tuple[str, ...]


@dataclass(frozen=True)
class MicRequested:
    """Open (or close) the visitor's microphone, on whichever device has it."""

    origin: str
    on: bool


@dataclass(frozen=True)
class MicChanged:
    """The visitor's microphone opened or closed."""

    origin: str
    listening: bool


# ------------------------------------------------------------ from the relay, about itself
@dataclass(frozen=True)
class LinkChanged:
    """The relay's connection came (``up``) or went; messages may have been missed."""

    up: bool


@dataclass(frozen=True)
class Heartbeat:
    """Now and then: devices not heard from for ``expire_s`` seconds count as gone."""

    expire_s: float


RelayMessage = (Hello | Here | Bye | Cleared | LineSaid | LanguageChosen | SessionTold
                | NoticeShown | ProceduresChosen | MicRequested | MicChanged | LinkChanged
                | Heartbeat)

# The wire's "type" of each message, and how a dict of that type is read.
_TYPES: dict[type[Any], str] = {
    Hello: "hello", Here: "here", Bye: "bye", Cleared: "cleared", LineSaid: "line",
    LanguageChosen: "language", SessionTold: "session", NoticeShown: "notice",
    ProceduresChosen: "procedures", MicRequested: "mic_request", MicChanged: "mic_state",
    LinkChanged: "link", Heartbeat: "tick",
}


def to_wire(message: RelayMessage) -> dict[str, Any]:
    """``message`` as the relay's JSON-ready dict."""
    wire: dict[str, Any] = {"type": _TYPES[type(message)]}
    if isinstance(message, LineSaid):
        line = {**wire, "party": message.party.value, "kind": message.kind.value,
                "at": message.at.isoformat(), "language": message.language,
                "text": message.text, "translation_language": message.translation_language,
                "translation": message.translation, "missing_model": message.missing_model,
                "origin": message.origin}
        # Only when set: every other line stays as earlier versions wrote it.
        return {**line, "at_branch": True} if message.at_branch else line
    if isinstance(message, ProceduresChosen):
        return {**wire, "procedures": list(message.procedures), "origin": message.origin}
    return {**wire, **vars(message)}


def _line(m: Mapping[str, Any]) -> LineSaid:
    raw = m.get("translation")
    return LineSaid(str(m["origin"]), Party(m["party"]), LineKind(m["kind"]),
                    datetime.fromisoformat(m["at"]), str(m["language"]), str(m["text"]),
                    str(m.get("translation_language") or ""),
                    None if raw is None else str(raw), bool(m.get("missing_model")),
                    bool(m.get("at_branch")))


def _procedures(m: Mapping[str, Any]) -> ProceduresChosen:
    return ProceduresChosen(str(m["origin"]), tuple(str(p) for p in m["procedures"]))


_READERS: dict[str, Callable[[Mapping[str, Any]], RelayMessage]] = {
    "hello": lambda m: Hello(str(m["origin"])),
    "here": lambda m: Here(str(m["origin"])),
    "bye": lambda m: Bye(str(m["origin"])),
    "cleared": lambda m: Cleared(str(m["origin"])),
    "line": _line,
    "language": lambda m: LanguageChosen(str(m["origin"]), str(m["language"])),
    "session": lambda m: SessionTold(str(m["origin"]), str(m["session"])),
    "notice": lambda m: NoticeShown(str(m["origin"]), str(m["message_id"]), str(m["language"])),
    "procedures": _procedures,
    "mic_request": lambda m: MicRequested(str(m["origin"]), bool(m["on"])),
    "mic_state": lambda m: MicChanged(str(m["origin"]), bool(m["listening"])),
    "link": lambda m: LinkChanged(bool(m["up"])),
    "tick": lambda m: Heartbeat(float(m["expire_s"])),
}


def from_wire(wire: Mapping[str, Any]) -> RelayMessage:
    """The message a relay delivered.

    Raises:
        KeyError, TypeError, ValueError: an unknown type, a field missing or of the wrong kind
            (log the class only: an error may quote a value, and values may be what was said).
    """
    kind = wire["type"]
    if not isinstance(kind, str) or kind not in _READERS:
        raise ValueError("unknown message type")
    return _READERS[kind](wire)
