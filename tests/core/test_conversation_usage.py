"""The conversation's usage records: the time captions ran, the lines machine-translated per
language pair, each counted by the device that did it and naming the tablet's visit."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.audit import ListUsage, build_report, new_session_id
from kiosk.audit.events import CaptionsUsed, ConversationUsed, TranslationUsed
from kiosk.audit.reader import LogRecord
from kiosk.audit.report_csv import write_report_csvs
from kiosk.events import EventBus
from kiosk.ports import Utterance
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay

from .test_captions import FakeTranslator

JST = timezone(timedelta(hours=9))


class MovingClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.at = datetime(2026, 4, 1, 10, 0, tzinfo=JST)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


class Device:
    """One device of the counter: its own usage log and conversation on a shared relay."""

    def __init__(self, relay: LocalRelay, clock: MovingClock, *, translator: bool = True,
                 visitor: str = "vi") -> None:
        self.usage = ListUsage()
        self.talk = Conversation(EventBus(), clock, FakeTranslator() if translator else None,
                                 visitor, relay=relay, usage=self.usage)


def one(visitor: str = "vi", *, translator: bool = True) -> tuple[Device, MovingClock]:
    clock = MovingClock()
    return Device(LocalRelay(), clock, translator=translator, visitor=visitor), clock


def pair(*, tablet_translator: bool = True) -> tuple[Device, Device, MovingClock]:
    relay, clock = LocalRelay(), MovingClock()
    return (Device(relay, clock), Device(relay, clock, translator=tablet_translator), clock)


# ---------------------------------------------------------------- captions
def test_captions__listening_for_95_seconds__one_record_of_95_seconds() -> None:
    device, clock = one()

    device.talk.captions_started()
    clock.advance(95)
    device.talk.captions_stopped()

    assert device.usage.events == [CaptionsUsed("", "vi", 95.0)]
    assert not device.talk.captions_running


def test_captions__started_twice__counted_from_the_first_start() -> None:
    device, clock = one()

    device.talk.captions_started()
    clock.advance(30)
    device.talk.captions_started()
    clock.advance(30)
    device.talk.captions_stopped()
    device.talk.captions_stopped()

    assert device.usage.events == [CaptionsUsed("", "vi", 60.0)]


def test_captions__stopped_without_start__nothing_recorded() -> None:
    device, _ = one()

    device.talk.captions_stopped()

    assert device.usage.events == []


def test_captions__clock_set_back__nothing_recorded() -> None:
    device, clock = one()

    device.talk.captions_started()
    clock.advance(-3600)
    device.talk.captions_stopped()

    assert device.usage.events == []


def test_captions__wiped_while_listening__visit_time_recorded_rest_goes_to_next() -> None:
    device, clock = one()
    device.talk.set_session("a1b2c3d4e5f60718")
    device.talk.captions_started()
    clock.advance(40)

    device.talk.clear()
    running = device.talk.captions_running
    clock.advance(15)
    device.talk.captions_stopped()

    assert running
    assert device.usage.events == [CaptionsUsed("a1b2c3d4e5f60718", "vi", 40.0),
                                   CaptionsUsed("", "vi", 15.0)]


def test_captions__device_stops__running_captions_recorded() -> None:
    device, clock = one()
    device.talk.captions_started()
    clock.advance(12.34)

    device.talk.stop()

    assert device.usage.events == [CaptionsUsed("", "vi", 12.3)]


def test_captions__visitor_changed_language__recorded_in_the_language_at_the_stop() -> None:
    device, clock = one("ja")
    device.talk.captions_started()
    clock.advance(20)

    device.talk.set_visitor_language("en")
    device.talk.captions_stopped()

    assert device.usage.events == [CaptionsUsed("", "en", 20.0)]


# ---------------------------------------------------------------- translation
def test_translation__lines_translated_here__one_record_per_pair_and_same_total() -> None:
    device, _ = one()
    device.talk.add_clerk_speech(Utterance("お名前をどうぞ。", "ja"))
    device.talk.add_clerk_text("こちらにご記入ください。")
    device.talk.add_citizen_text("Tôi hiểu.")
    device.talk.add_citizen_phrase("yes")          # the catalogs' translation: not counted

    device.talk.clear()

    assert device.usage.of(TranslationUsed) == [TranslationUsed("", "ja", "vi", 2),
                                                TranslationUsed("", "vi", "ja", 1)]
    assert device.usage.of(ConversationUsed) == [
        ConversationUsed("vi", captions_lines=1, typed_lines=2, phrase_lines=1, translated=3)]


@pytest.mark.parametrize("visitor", ["ne", "ja", "ja@easy"])
def test_translation__no_model_or_same_language__no_translation_record(visitor: str) -> None:
    device, _ = one(visitor)
    device.talk.add_clerk_text("少々お待ちください。")

    device.talk.clear()

    assert device.usage.of(TranslationUsed) == []
    assert device.usage.of(ConversationUsed) == [
        ConversationUsed(visitor, captions_lines=0, typed_lines=1, phrase_lines=0, translated=0)]


def test_translation__second_wipe__counts_start_again() -> None:
    device, _ = one()
    device.talk.add_clerk_text("住民票ですね。")
    device.talk.clear()

    device.talk.add_clerk_text("番号札をどうぞ。")
    device.talk.clear()

    assert device.usage.of(TranslationUsed) == [TranslationUsed("", "ja", "vi", 1)] * 2


# ---------------------------------------------------------------- two devices
def test_two_devices__each_translates_its_own__nothing_counted_twice() -> None:
    clerk, tablet, _ = pair()
    clerk.talk.add_clerk_text("住民票ですね。")
    clerk.talk.add_clerk_text("番号札をどうぞ。")
    tablet.talk.add_citizen_text("Vâng.")

    tablet.talk.clear()

    assert clerk.usage.of(TranslationUsed) == [TranslationUsed("", "ja", "vi", 2)]
    assert tablet.usage.of(TranslationUsed) == [TranslationUsed("", "vi", "ja", 1)]


def test_two_devices__sender_without_model__receiver_counts_the_translation() -> None:
    clerk, tablet, _ = pair(tablet_translator=False)
    tablet.talk.add_citizen_text("Tôi cần giấy.")

    tablet.talk.clear()

    assert tablet.usage.of(TranslationUsed) == []
    assert tablet.usage.of(ConversationUsed) == [
        ConversationUsed("vi", captions_lines=0, typed_lines=1, phrase_lines=0, translated=0)]
    assert clerk.usage.of(TranslationUsed) == [TranslationUsed("", "vi", "ja", 1)]
    assert clerk.usage.of(ConversationUsed) == [
        ConversationUsed("vi", captions_lines=0, typed_lines=0, phrase_lines=0, translated=1)]


def test_two_devices__tablet_names_the_visit__clerk_records_name_it_until_the_wipe() -> None:
    clerk, tablet, clock = pair()
    session = new_session_id()
    tablet.talk.set_session(session)
    clerk.talk.captions_started()
    clock.advance(60)
    clerk.talk.add_clerk_speech(Utterance("こんにちは。", "ja"))
    known = clerk.talk.session

    tablet.talk.clear()                         # the visit ended on the tablet
    clock.advance(5)
    clerk.talk.captions_stopped()

    assert known == session
    assert clerk.usage.of(CaptionsUsed) == [CaptionsUsed(session, "vi", 60.0),
                                            CaptionsUsed("", "vi", 5.0)]
    assert clerk.usage.of(TranslationUsed) == [TranslationUsed(session, "ja", "vi", 1)]
    assert tablet.usage.of(CaptionsUsed) == []         # the tablet has no microphone
    assert clerk.talk.session == tablet.talk.session == ""


@pytest.mark.parametrize("session", ["山田 太郎", "a" * 65, "x y"])
def test_session__not_an_id__refused_without_showing_it(session: str) -> None:
    device, _ = one()

    with pytest.raises(ValueError, match="not a session id") as caught:
        device.talk.set_session(session)

    assert session not in str(caught.value)


def test_session__relayed_value_not_an_id__dropped_and_not_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    relay = LocalRelay()
    device = Device(relay, MovingClock())

    with caplog.at_level(logging.DEBUG):
        relay.publish({"type": "session", "origin": "other", "session": "山田 太郎"})

    assert device.talk.session == ""
    assert "山田" not in caplog.text
    assert "dropped" in caplog.text


# ---------------------------------------------------------------- the report
def test_report__captions_and_translation__by_language_and_pair_in_csv(tmp_path: Path) -> None:
    def record(line: int, event: CaptionsUsed | TranslationUsed) -> LogRecord:
        return LogRecord("clerk-01", tmp_path / "x.jsonl", line, "2026-04-01T10:00:00+09:00",
                         event.KIND, event.data())

    records = [record(1, CaptionsUsed("s1", "vi", 90.0)), record(2, CaptionsUsed("", "vi", 30.0)),
               record(3, CaptionsUsed("s2", "en", 60.0)),
               record(4, TranslationUsed("s1", "ja", "vi", 4)),
               record(5, TranslationUsed("s1", "vi", "ja", 1))]

    report = build_report(records, date(2026, 4, 1), date(2027, 3, 31), {})
    write_report_csvs(report, tmp_path)

    assert report.captions_seconds == 180.0
    assert dict(report.captions_by_language) == {"vi": 120.0, "en": 60.0}
    assert dict(report.translation_uses) == {("ja", "vi"): 4, ("vi", "ja"): 1}
    rows = (tmp_path / "languages_and_accessibility.csv").read_text("utf-8-sig").splitlines()
    assert rows[-5:] == ["captions_minutes,all,3.0", "captions_minutes,en,1.0",
                         "captions_minutes,vi,2.0", "translation_utterances,ja>vi,4",
                         "translation_utterances,vi>ja,1"]
