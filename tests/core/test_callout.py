"""Call-out scripts: the ticket label read naturally, Japanese first, then the holder's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.services.callout import Announcer, build_callout, spoken_label


def _ticket(ticket_id=1, label="A-007", counter="3番窓口", called=1):
    return Ticket(ticket_id, "A", date(2026, 4, 1), 7, label, TicketState.CALLED, 0,
                  datetime(2026, 4, 1, 9, tzinfo=UTC), counter=counter,
                  called_at=datetime(2026, 4, 1, 9, called, tzinfo=UTC))


@pytest.mark.parametrize(("label", "code", "spoken"), [
    ("A-007", "ja", "エー 7"),
    ("B-120", "ja", "ビー 120"),
    ("A-007", "en", "A 7"),
    ("AB-1001", "vi", "A B 1001"),
    ("odd", "en", "odd"),
])
def test_spoken_label__label_and_language__read_as_people_say_it(label, code, spoken):
    assert spoken_label(label, code) == spoken


@pytest.mark.parametrize(("holder", "codes"), [
    ((), ["ja"]),
    (("en",), ["ja", "en"]),
    (("ja@easy",), ["ja"]),
    (("vi", "vi", "xx"), ["ja", "vi"]),
])
def test_build_callout__holder_languages__japanese_first_then_each_once(holder, codes):
    callout = build_callout(_ticket(), holder)

    assert [line.code for line in callout.lines] == codes
    assert all("7" in line.text and "3" in line.text for line in callout.lines)


def test_build_callout__counter_without_number__no_counter_number_spoken():
    callout = build_callout(_ticket(counter="市民課"), ("en",))

    assert callout.lines[1].text == "Number A 7, please come to the counter."


class _Recorder:
    def __init__(self):
        self.said = []

    def say(self, text, language):
        self.said.append(language)

    def chime(self):
        self.said.append("chime")

    def probe(self):
        return []


def test_announcer__new_call_and_recall__each_announced_once():
    calling = []
    speaker = _Recorder()
    announcer = Announcer(lambda: calling, lambda ticket_id: ["en"], speaker)
    announcer.prime()

    calling[:] = [_ticket()]
    first = announcer.check()
    again = announcer.check()
    calling[:] = [_ticket(called=5)]        # a recall sets a new call time
    recalled = announcer.check()

    assert [c.label for c in first] == ["A-007"]
    assert again == []
    assert [c.label for c in recalled] == ["A-007"]
    assert speaker.said == ["chime", "ja", "en"] * 2
