"""The counter's relay messages: typed both ways, and the wire earlier versions speak."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.domain.counter_messages import (
    Bye,
    Cleared,
    Heartbeat,
    Hello,
    Here,
    LanguageChosen,
    LineKind,
    LineSaid,
    LinkChanged,
    MicChanged,
    MicRequested,
    NoticeShown,
    Party,
    ProceduresChosen,
    RelayMessage,
    SessionTold,
    from_wire,
    to_wire,
)
from kiosk.events import EventBus
from kiosk.services.presence import PeerPresence, Presence

AT = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
LINE = LineSaid("o1", Party.CLERK, LineKind.SPOKEN, AT, "ja", "住所は迫町です", "vi",
                "Địa chỉ là Hasama", False)

# Every message with the dict an earlier version put on the wire for it.
WIRE: list[tuple[RelayMessage, dict[str, Any]]] = [
    (Hello("o1"), {"type": "hello", "origin": "o1"}),
    (Here("o1"), {"type": "here", "origin": "o1"}),
    (Bye("o1"), {"type": "bye", "origin": "o1"}),
    (Cleared("o1"), {"type": "cleared", "origin": "o1"}),
    (LINE, {"type": "line", "party": "clerk", "kind": "spoken", "at": AT.isoformat(),
            "language": "ja", "text": "住所は迫町です", "translation_language": "vi",
            "translation": "Địa chỉ là Hasama", "missing_model": False, "origin": "o1"}),
    (LanguageChosen("o1", "vi"), {"type": "language", "language": "vi", "origin": "o1"}),
    (SessionTold("o1", "s-1"), {"type": "session", "session": "s-1", "origin": "o1"}),
    (NoticeShown("o1", "Please come back.", "vi"),
     {"type": "notice", "message_id": "Please come back.", "language": "vi", "origin": "o1"}),
    (ProceduresChosen("o1", ("juminhyo", "idou")),
     {"type": "procedures", "procedures": ["juminhyo", "idou"], "origin": "o1"}),
    (MicRequested("o1", True), {"type": "mic_request", "on": True, "origin": "o1"}),
    (MicChanged("o1", False), {"type": "mic_state", "listening": False, "origin": "o1"}),
    (LinkChanged(up=True), {"type": "link", "up": True}),
    (Heartbeat(4.5), {"type": "tick", "expire_s": 4.5}),
]


@pytest.mark.parametrize(("message", "wire"), WIRE, ids=[w["type"] for _, w in WIRE])
def test_wire__every_message__as_earlier_versions_wrote_it_and_read_back(
        message: RelayMessage, wire: dict[str, Any]) -> None:
    assert to_wire(message) == wire
    assert from_wire(wire) == message


def test_wire__branch_clerks_line_in_a_remote_call__marked_and_read_back() -> None:
    line = LineSaid("o1", Party.CLERK, LineKind.SPOKEN, AT, "ja", "少々お待ちください", at_branch=True)
    wire = to_wire(line)
    assert wire["at_branch"] is True
    assert from_wire(wire) == line
    assert "at_branch" not in to_wire(LINE)                    # the specialist's, as before


def test_wire__line_without_the_optional_keys__read_with_their_defaults() -> None:
    wire = {"type": "line", "party": "citizen", "kind": "phrase", "at": AT.isoformat(),
            "language": "vi", "text": "Vâng", "origin": "o2", "added_later": 1}

    assert from_wire(wire) == LineSaid("o2", Party.CITIZEN, LineKind.PHRASE, AT, "vi", "Vâng")


@pytest.mark.parametrize("wire", [
    {"type": "shout", "origin": "o1"},
    {"type": 3, "origin": "o1"},
    {"origin": "o1"},
    {"type": "line", "origin": "o1", "party": "boss", "kind": "typed", "at": AT.isoformat(),
     "language": "ja", "text": "x"},
    {"type": "line", "origin": "o1", "party": "clerk", "kind": "typed", "at": "yesterday",
     "language": "ja", "text": "x"},
    {"type": "procedures", "origin": "o1", "procedures": 7},
    {"type": "tick", "expire_s": "soon"},
])
def test_from_wire__malformed__refused(wire: dict[str, Any]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        from_wire(wire)


def test_line__repr__hides_what_was_said() -> None:
    assert "迫町" not in repr(LINE)
    assert "Hasama" not in repr(LINE)


def test_presence__heard_left_expired__published_only_on_change() -> None:
    events, seen = EventBus(), list[PeerPresence]()
    events.subscribe(PeerPresence, seen.append)
    presence = Presence(events)

    presence.heard("a")
    presence.heard("b")
    presence.left("a")
    presence.expire(3600)           # b was heard just now: kept
    connected_after_expiry = presence.connected
    presence.forget()

    assert connected_after_expiry
    assert not presence.connected
    assert seen == [PeerPresence(True), PeerPresence(False)]
