"""Call-outs: what the board shows and says when a clerk calls a ticket.

A call is always shown and spoken at the same time: a chime, the Japanese call, then the call
in the ticket holder's language (the language of their applications at the tablet). The script
comes from the citizen catalog, so every first-tier language has it; the ticket label is read
the way a person says it ("A-007" -> "エー 7番" in Japanese, "A 7" elsewhere), never digit by digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.i18n import N_, language, translator
from kiosk.ports import Chime, Speaker

__all__ = ["Announcer", "CallOut", "CallOutLine", "build_callout", "spoken_label"]

CALLING_STATES = frozenset({TicketState.CALLED, TicketState.RECALLED})

CALL_WITH_COUNTER = N_("Number {ticket}, please come to counter {counter}.")
CALL_WITHOUT_COUNTER = N_("Number {ticket}, please come to the counter.")

# How Japanese announcers read the Latin letters used as ticket prefixes.
_JA_LETTERS = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ("エー", "ビー", "シー", "ディー", "イー", "エフ", "ジー", "エイチ", "アイ", "ジェー", "ケー",
     "エル", "エム", "エヌ", "オー", "ピー", "キュー", "アール", "エス", "ティー", "ユー", "ブイ",
     "ダブリュー", "エックス", "ワイ", "ゼット"), strict=True))
_LABEL = re.compile(r"^(?P<prefix>[^-\d]*)-?(?P<number>\d+)$")


@dataclass(frozen=True, slots=True)
class CallOutLine:
    """One language of a call: the catalog code, the BCP 47 tag for speech, the text."""

    code: str
    bcp47: str
    text: str


@dataclass(frozen=True, slots=True)
class CallOut:
    """A call as the board shows and speaks it (holds no personal data)."""

    ticket_id: int
    label: str
    counter: str
    lines: tuple[CallOutLine, ...]


def spoken_label(label: str, code: str) -> str:
    """The ticket label as it is said in language ``code`` (a catalog code)."""
    match = _LABEL.match(label)
    if match is None:
        return label
    prefix, number = match["prefix"], int(match["number"])
    if code.startswith("ja"):
        letters = "".join(_JA_LETTERS.get(char.upper(), char) for char in prefix)
        return f"{letters} {number}"
    return f"{' '.join(prefix)} {number}".strip()


def _counter_number(counter: str) -> str:
    """The counter's number ("3番窓口" -> "3"); spoken in every language, unlike its name."""
    digits = re.findall(r"\d+", counter)
    return digits[0] if digits else ""


def _line(code: str, label: str, counter: str) -> CallOutLine:
    tr = translator(code)
    number = _counter_number(counter)
    ticket = spoken_label(label, code)
    text = (tr(CALL_WITH_COUNTER, ticket=ticket, counter=number) if number
            else tr(CALL_WITHOUT_COUNTER, ticket=ticket))
    return CallOutLine(code, language(code).bcp47, text)


def build_callout(ticket: Ticket, holder_languages: Sequence[str] = ()) -> CallOut:
    """The call of ``ticket``: Japanese first, then each other language of its holder."""
    codes = ["ja"]
    for code in holder_languages:
        try:
            bcp47 = language(code).bcp47
        except KeyError:
            continue    # a language the tablet offered but this device does not know
        if bcp47 != "ja" and code not in codes:
            codes.append(code)
    return CallOut(ticket.id, ticket.label, ticket.counter,
                   tuple(_line(code, ticket.label, ticket.counter) for code in codes))


class Announcer:
    """Finds new calls in the queue and announces each once: chime, then every line spoken.

    It compares the calling tickets with those already announced, so it works both with the
    PostgreSQL notifications (which name the ticket) and with SQLite polling (which does not).
    """

    def __init__(self, calling: Callable[[], Sequence[Ticket]],
                 languages_of: Callable[[int], Sequence[str]], speaker: Speaker) -> None:
        self._calling = calling
        self._languages_of = languages_of
        self._speaker = speaker
        self._announced: set[tuple[int, object]] = set()
        self._primed = False

    def prime(self) -> None:
        """Remember the calls already on when the board starts, without announcing them."""
        self._announced = {(t.id, t.called_at) for t in self._calling()}
        self._primed = True

    def check(self) -> list[CallOut]:
        """Announce the calls not announced yet; returns them for the screen (oldest first)."""
        if not self._primed:
            self.prime()
            return []
        tickets = sorted(self._calling(), key=lambda t: (t.called_at is None, t.called_at))
        fresh = [t for t in tickets if (t.id, t.called_at) not in self._announced]
        # A recall sets a new call time: it is announced again, as it should be.
        self._announced = {(t.id, t.called_at) for t in tickets}
        callouts = [build_callout(t, self._languages_of(t.id)) for t in fresh]
        for callout in callouts:
            self.speak(callout)
        return callouts

    def speak(self, callout: CallOut) -> None:
        """Queue the chime and every line of ``callout`` on the speaker (returns at once)."""
        if isinstance(self._speaker, Chime):
            self._speaker.chime()
        for line in callout.lines:
            self._speaker.say(line.text, line.bcp47)
