"""Two devices of one counter share a conversation through a relay (here: in one process),
and the PostgreSQL relay's parts that need no server: sealing, splitting, doctor checks."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag

from kiosk.audit import ListUsage, build_report
from kiosk.audit.events import ConversationUsed, TranslationUsed
from kiosk.audit.reader import LogRecord
from kiosk.audit.report_csv import write_report_csvs
from kiosk.doctor import Status
from kiosk.domain.counter_messages import LineKind, Party
from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.ports import Utterance
from kiosk.services.conversation import (
    MAX_LINE_CHARS,
    TRUNCATION_MARK,
    CaptionAdded,
    Conversation,
    ConversationCleared,
    VisitorLanguageChanged,
)
from kiosk.services.presence import LocalRelay, PeerPresence
from kiosk.storage.conversation_relay import (
    MAX_PARTS,
    PART_CHARS,
    _Assembler,
    _Seal,
    _statement_log_check,
    channel_for,
    pairing_check,
    probe_statement_logging,
    split_parts,
)

from .test_captions import FakeTranslator, FixedClock


class Device:
    """One side of the counter: its own bus, usage log and conversation on the shared relay."""

    def __init__(self, relay: LocalRelay, *, with_translator: bool = True) -> None:
        self.events = EventBus()
        self.seen: list[object] = []
        for kind in (CaptionAdded, ConversationCleared, VisitorLanguageChanged, PeerPresence):
            self.events.subscribe(kind, self.seen.append)
        self.usage = ListUsage()
        self.translator = FakeTranslator() if with_translator else None
        self.talk = Conversation(self.events, FixedClock(), self.translator, "vi", relay=relay,
                                 usage=self.usage)


def pair(*, tablet_translator: bool = True) -> tuple[Device, Device]:
    relay = LocalRelay()
    return Device(relay), Device(relay, with_translator=tablet_translator)


def test_clerk_text__other_device__same_line_marked_relayed() -> None:
    clerk, tablet = pair()

    sent = clerk.talk.add_clerk_text("住民票ですね。")

    (got,) = tablet.talk.lines()
    assert (got.party, got.kind, got.text, got.translation) == (
        Party.CLERK, LineKind.TYPED, "住民票ですね。", "[ja>vi] 住民票ですね。")
    assert (sent.local, got.local) == (True, False)
    assert tablet.seen == [PeerPresence(True), CaptionAdded(0)]     # heard from: connected


def test_citizen_phrase__other_device__clerk_reads_catalog_japanese() -> None:
    clerk, tablet = pair()

    tablet.talk.add_citizen_phrase("no_card")

    (got,) = clerk.talk.lines()
    assert got.party is Party.CITIZEN
    assert got.translation == translator("ja")("I do not have my My Number card with me.")


def test_own_echo__single_device__each_line_once() -> None:
    relay = LocalRelay()
    alone = Device(relay)

    alone.talk.add_clerk_text("こんにちは。")
    alone.talk.start()

    assert len(alone.talk.lines()) == 1
    assert not alone.talk.link.connected


def test_clear__one_side__both_wiped_and_each_counts_its_own_lines() -> None:
    clerk, tablet = pair()
    clerk.talk.add_clerk_speech(Utterance("お名前をどうぞ。", "ja"))
    clerk.talk.add_clerk_text("こちらにご記入ください。")
    tablet.talk.add_citizen_phrase("yes")
    tablet.talk.add_citizen_text("Tôi hiểu.")

    tablet.talk.clear()

    assert clerk.talk.lines() == tablet.talk.lines() == ()
    assert ConversationCleared() in clerk.seen
    assert clerk.translator is not None
    assert clerk.translator.forgotten == 1
    assert clerk.usage.events == [TranslationUsed("", "ja", "vi", 2),
                                  ConversationUsed("vi", captions_lines=1, typed_lines=1,
                                                   phrase_lines=0, translated=2)]
    assert tablet.usage.events == [TranslationUsed("", "vi", "ja", 1),
                                   ConversationUsed("vi", captions_lines=0, typed_lines=1,
                                                    phrase_lines=1, translated=1)]


def test_clear__nothing_said_here__no_usage_event() -> None:
    clerk, tablet = pair()
    clerk.talk.add_clerk_text("こんにちは。")

    clerk.talk.clear()

    assert tablet.usage.events == []
    assert len(clerk.usage.of(ConversationUsed)) == 1


def test_visitor_language__set_on_tablet__clerk_follows_and_is_told() -> None:
    clerk, tablet = pair()

    tablet.talk.set_visitor_language("en")
    line = clerk.talk.add_clerk_text("少々お待ちください。")

    assert clerk.talk.visitor_language == "en"
    assert VisitorLanguageChanged("en") in clerk.seen
    assert line.translation == "[ja>en] 少々お待ちください。"


def test_visitor_language__same_again__nothing_sent() -> None:
    clerk, tablet = pair()

    tablet.talk.set_visitor_language("vi")

    assert clerk.seen == tablet.seen == []


def test_presence__start_and_stop__other_side_told() -> None:
    clerk, tablet = pair()

    clerk.talk.start()
    tablet.talk.start()
    both = (clerk.talk.link.connected, tablet.talk.link.connected)
    tablet.talk.stop()

    assert both == (True, True)
    assert not clerk.talk.link.connected
    assert clerk.seen == [PeerPresence(True), PeerPresence(False)]


def test_relayed_line__sender_without_model__receiver_translates() -> None:
    clerk, tablet = pair(tablet_translator=False)

    sent = tablet.talk.add_citizen_text("Tôi cần giấy.")

    (got,) = clerk.talk.lines()
    assert (sent.translation, sent.missing_model) == (None, True)
    assert (got.translation, got.missing_model) == ("[vi>ja] Tôi cần giấy.", False)


def test_long_line__over_the_cap__cut_and_marked_on_both_sides() -> None:
    clerk, tablet = pair()

    sent = clerk.talk.add_clerk_text("あ" * (MAX_LINE_CHARS + 500))

    assert len(sent.text) == MAX_LINE_CHARS
    assert sent.text.endswith(TRUNCATION_MARK)
    assert tablet.talk.lines()[0].text == sent.text


@pytest.mark.parametrize("message", [
    {"type": "line", "origin": "other", "party": "clerk"},                   # fields missing
    {"type": "line", "origin": "other", "party": "boss", "kind": "typed", "at": "2026-04-01",
     "language": "ja", "text": "秘密の住所"},                                 # unknown party
    {"type": "language", "origin": "other", "language": "xx"},               # unknown code
    {"type": "shout", "origin": "other", "text": "秘密の住所"},                # unknown type
    {"origin": "other"},
])
def test_malformed_message__dropped__nothing_added_and_text_not_logged(
        message: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    relay = LocalRelay()
    device = Device(relay)

    with caplog.at_level(logging.DEBUG):
        relay.publish(message)

    assert device.talk.lines() == ()
    assert "秘密" not in caplog.text
    assert "dropped" in caplog.text


def test_conversation_used__text_in_a_field__refused() -> None:
    with pytest.raises(ValueError, match="not a code"):
        ConversationUsed("Tôi cần giấy", 0, 1, 0, 0)


def test_report__conversation_events__one_row_per_language(tmp_path: Path) -> None:
    def record(line: int, data: dict[str, Any]) -> LogRecord:
        return LogRecord("clerk-01", tmp_path / "x.jsonl", line, "2026-04-01T10:00:00+09:00",
                         ConversationUsed.KIND, data)

    records = [record(1, ConversationUsed("vi", 3, 1, 0, 4).data()),
               record(2, ConversationUsed("vi", 0, 1, 5, 1).data()),
               record(3, ConversationUsed("en", 2, 0, 0, 2).data())]

    report = build_report(records, date(2026, 4, 1), date(2027, 3, 31), {})
    write_report_csvs(report, tmp_path)

    vi = report.conversations["vi"]
    assert (vi.records, vi.captions, vi.typed, vi.phrases, vi.translated) == (2, 3, 2, 5, 5)
    rows = (tmp_path / "conversations_by_language.csv").read_text("utf-8-sig").splitlines()
    assert rows == ["language,caption_lines,typed_lines,phrase_lines,translated_lines",
                    "en,2,0,0,2", "vi,3,2,5,5"]


# ---------------------------------------------------------------- the PostgreSQL relay's pure parts
@pytest.mark.parametrize(("statement", "duration", "status"), [
    ("none", "-1", Status.OK), ("ddl", "-1", Status.OK), ("ddl", "250ms", Status.OK),
    ("mod", "-1", Status.WARN), ("all", "-1", Status.FAIL), ("none", "0", Status.FAIL),
])
def test_statement_log_check__settings__status(statement: str, duration: str,
                                               status: Status) -> None:
    assert _statement_log_check(statement, duration).status is status


def test_statement_log_probe__sqlite__ok_without_a_server() -> None:
    (check,) = probe_statement_logging("sqlite:///:memory:")

    assert check.status is Status.OK


@pytest.mark.parametrize(("default", "status"), [(True, Status.WARN), (False, Status.OK)])
def test_pairing_check__default_counter__warns_that_all_would_share(default: bool,
                                                                   status: Status) -> None:
    assert pairing_check("市民課", default=default).status is status


def test_channel_for__japanese_counters__distinct_ascii_identifiers() -> None:
    one, two = channel_for("市民課 1番窓口"), channel_for("市民課 2番窓口")

    assert one != two
    assert one.isascii()
    assert one.isidentifier()
    assert len(one) < 64


def test_parts__long_sealed_message__each_under_the_limit_and_put_back_together() -> None:
    sealed = "A" * (3 * PART_CHARS + 17)
    assembler = _Assembler()

    parts = split_parts(sealed)
    results = [assembler.add(part) for part in parts]

    assert len(parts) == 4
    assert all(len(part.encode()) < 8000 for part in parts)
    assert results == [None, None, None, sealed]
    assert len(assembler) == 0


def test_parts__out_of_order__refused_and_forgotten() -> None:
    first, second, third = split_parts("B" * (2 * PART_CHARS + 1))
    assembler = _Assembler()
    assembler.add(first)

    with pytest.raises(ValueError, match="order"):
        assembler.add(third)
    assert len(assembler) == 0
    del second


def test_parts__too_many__refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        split_parts("C" * (MAX_PARTS * PART_CHARS + 1))


def test_seal__other_counter_or_key__cannot_be_opened() -> None:
    message = {"type": "line", "text": "迫町佐沼"}
    sealed = _Seal(bytes(32), channel_for("1番")).seal(message)

    assert "迫町" not in sealed
    assert _Seal(bytes(32), channel_for("1番")).open(sealed) == message
    for other in (_Seal(bytes(32), channel_for("2番")), _Seal(bytes(range(32)), channel_for("1番"))):
        with pytest.raises(InvalidTag):
            other.open(sealed)


class CuttableRelay(LocalRelay):
    """A network that can be cut; ``tick`` is each device's own heartbeat."""

    def __init__(self) -> None:
        super().__init__()
        self.cut = False
        self._subscribers: list[Any] = []

    def subscribe(self, handler: Any) -> None:
        super().subscribe(handler)
        self._subscribers.append(handler)

    def publish(self, message: Any) -> None:
        if not self.cut:
            super().publish(message)

    def tick(self, expire_s: float) -> None:
        for handler in self._subscribers:
            handler({"type": "tick", "expire_s": expire_s})


def test_heartbeat__other_side_silent_past_expiry__counted_as_gone() -> None:
    relay = CuttableRelay()
    clerk, tablet = Device(relay), Device(relay)
    clerk.talk.start()
    tablet.talk.start()
    relay.cut = True                    # the tablet loses power: no goodbye, no answers

    relay.tick(expire_s=0.0)

    assert not clerk.talk.link.connected
    assert clerk.seen[-1] == PeerPresence(False)


def test_heartbeat__other_side_answers__stays_connected() -> None:
    relay = CuttableRelay()
    clerk, tablet = Device(relay), Device(relay)
    clerk.talk.start()
    tablet.talk.start()

    relay.tick(expire_s=60.0)

    assert clerk.talk.link.connected
    assert tablet.talk.link.connected
