"""The tablet and the clerk PC of one counter talk through PostgreSQL: two engines, two devices.

Nothing of the conversation may land in a table, and what travels is sealed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, MetaData, select

from kiosk.audit import ListUsage
from kiosk.audit.events import ConversationUsed
from kiosk.doctor import Status
from kiosk.events import EventBus
from kiosk.services.conversation import CaptionAdded, Conversation, ConversationCleared
from kiosk.services.counter_signals import CounterNotice
from kiosk.services.presence import PeerPresence
from kiosk.services.return_notice import forward_returns
from kiosk.services.review import RETURN_REASONS, ApplicationReturned
from kiosk.storage.conversation_relay import (
    PostgresConversationRelay,
    channel_for,
    probe_statement_logging,
)
from kiosk.storage.database import Storage, open_storage

pytestmark = pytest.mark.postgres

KEY = bytes(range(32))
COUNTER = "市民課 1番窓口"
SECRET = "迫町佐沼字中江1-2-3 登米花子"      # stands for anything a person says at the counter


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 4, 1, 1, 30, tzinfo=UTC)


class Waiter:
    """Counts events of one kind on a bus; the test waits for the n-th (bounded, not timed)."""

    def __init__(self, bus: EventBus, kind: type) -> None:
        self._seen: list[object] = []
        self._changed = threading.Condition()
        bus.subscribe(kind, self._on)

    def _on(self, event: object) -> None:
        with self._changed:
            self._seen.append(event)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[object]:
        with self._changed:
            self._changed.wait_for(lambda: len(self._seen) >= count, timeout)
            return list(self._seen)


class Device:
    """One machine: its own engine, bus, usage log and conversation."""

    def __init__(self, url: str, counter: str = COUNTER, key: bytes = KEY,
                 translator: Any = None, heartbeat_s: float = 20.0) -> None:
        self.storage: Storage = open_storage(url, FixedClock(), auto_upgrade=True, pool_size=1)
        self.events = EventBus()
        self.usage = ListUsage()
        self.relay = PostgresConversationRelay(self.storage.engine, counter, key,
                                               poll_seconds=0.05, heartbeat_s=heartbeat_s)
        self.talk = Conversation(self.events, FixedClock(), translator, "en", relay=self.relay,
                                 usage=self.usage)
        self.lines = Waiter(self.events, CaptionAdded)
        self.cleared = Waiter(self.events, ConversationCleared)
        self.presence = Waiter(self.events, PeerPresence)

    def close(self) -> None:
        self.talk.stop()
        self.storage.close()


@pytest.fixture
def devices(postgres_url: str) -> Iterator[tuple[Device, Device]]:
    clerk, tablet = Device(postgres_url), Device(postgres_url)
    clerk.talk.start()
    tablet.talk.start()
    # Both have said hello and heard the other: the conversation is open.
    clerk.presence.wait_for(1)
    tablet.presence.wait_for(1)
    yield clerk, tablet
    clerk.close()
    tablet.close()


def table_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {name: [tuple(row) for row in connection.execute(select(table))]
                for name, table in metadata.tables.items()}


def test_two_devices__lines_both_ways_then_clear__same_lines_then_nothing(devices):
    clerk, tablet = devices
    before = table_contents(clerk.storage.engine)

    clerk.talk.add_clerk_text(f"ご住所は{SECRET}ですね。")
    tablet.lines.wait_for(1)
    tablet.talk.add_citizen_phrase("yes")
    clerk.lines.wait_for(2)
    tablet.talk.clear()
    cleared = clerk.cleared.wait_for(1)

    assert cleared == [ConversationCleared()]
    assert clerk.talk.lines() == tablet.talk.lines() == ()
    assert clerk.relay.pending() == tablet.relay.pending() == 0
    assert clerk.usage.events == [ConversationUsed("en", 0, 1, 0, 0)]
    assert tablet.usage.events == [ConversationUsed("en", 0, 0, 1, 0)]
    after = table_contents(clerk.storage.engine)
    assert after == before
    assert SECRET[:4] not in repr(after)


def test_two_devices__relayed_line__same_text_time_and_translation(devices):
    clerk, tablet = devices

    sent = clerk.talk.add_clerk_text(SECRET)
    tablet.lines.wait_for(1)

    (got,) = tablet.talk.lines()
    assert (got.text, got.at, got.party, got.local) == (sent.text, sent.at, sent.party, False)
    assert (got.translation, got.missing_model) == (None, True)    # neither has a model


def test_two_devices__clerk_returns_an_application__tablet_gets_the_reason_in_its_language(
        devices):
    clerk, tablet = devices
    notices = Waiter(tablet.events, CounterNotice)
    forward_returns(clerk.events, clerk.talk)

    clerk.events.publish(ApplicationReturned(7, 3, 1, "document_needed", "vi"))

    assert notices.wait_for(1) == [CounterNotice(RETURN_REASONS["document_needed"], "vi")]


def test_long_line__several_notify_parts__arrives_whole(devices, postgres_url):
    clerk, tablet = devices
    text = "𠮷" * 3000                           # 4-byte characters: far over 8000 bytes
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as spy:
        spy.execute(f"LISTEN {channel_for(COUNTER)}")
        sent = clerk.talk.add_clerk_text(text)
        tablet.lines.wait_for(1)
        # Everything sent so far; hellos and answers of the presence exchange are one part.
        payloads = [n.payload for n in spy.notifies(timeout=0.5)]
    parts = [payload for payload in payloads if payload.split(":")[2] != "1"]

    assert len(parts) == 2
    assert all(len(part.encode()) < 8000 for part in parts)
    assert tablet.talk.lines()[0].text == sent.text


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_payload_on_the_wire__sealed__no_text_readable(devices, postgres_url):
    clerk, _ = devices
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as spy:
        spy.execute(f"LISTEN {channel_for(COUNTER)}")
        clerk.talk.add_clerk_text(SECRET)
        payloads = [n.payload for n in spy.notifies(timeout=5, stop_after=1)]

    assert payloads
    assert all(SECRET[:2] not in p and "text" not in p for p in payloads)


def test_other_counter__never_sees_the_conversation(devices, postgres_url):
    clerk, tablet = devices
    other = Device(postgres_url, counter="市民課 2番窓口")
    other.talk.start()
    try:
        clerk.talk.add_clerk_text(SECRET)
        tablet.lines.wait_for(1)
        tablet.talk.add_citizen_text("OK")
        clerk.lines.wait_for(2)
    finally:
        other_lines = other.talk.lines()
        other.close()

    assert other_lines == ()


def test_other_answers_key__message_cannot_be_opened__dropped(devices, postgres_url):
    clerk, tablet = devices
    stranger = Device(postgres_url, key=bytes(32))
    stranger.talk.start()
    try:
        clerk.talk.add_clerk_text(SECRET)
        tablet.lines.wait_for(1)
    finally:
        stranger_lines = stranger.talk.lines()
        stranger.close()

    assert stranger_lines == ()


def test_stop__other_side__told_disconnected(devices):
    clerk, tablet = devices

    tablet.talk.stop()
    seen = clerk.presence.wait_for(2)

    assert seen == [PeerPresence(True), PeerPresence(False)]
    assert not clerk.talk.link.connected


def test_doctor__default_server__statement_log_ok(postgres_url):
    (check,) = probe_statement_logging(postgres_url)

    assert check.status is Status.OK, check.detail


def test_doctor__log_statement_all_on_the_database__fails(postgres_url):
    name = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET log_statement = \'all\'')
        try:
            (check,) = probe_statement_logging(postgres_url)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" RESET log_statement')

    assert check.status is Status.FAIL
    assert "log_statement" in check.fix


def test_outage__clerk_cut_off_then_back__disconnected_then_connected_again(
        postgres_behind_proxy, postgres_server):
    url, proxy = postgres_behind_proxy
    direct = str(postgres_server.url(url.rsplit("/", 1)[1]))
    clerk, tablet = Device(url), Device(direct)
    clerk.talk.start()
    tablet.talk.start()
    try:
        clerk.presence.wait_for(1)
        proxy.cut()
        down = clerk.presence.wait_for(2)
        proxy.restore()
        up = clerk.presence.wait_for(3)
        tablet.talk.add_citizen_text("OK")
        clerk.lines.wait_for(1)
    finally:
        clerk.close()
        tablet.close()

    assert down == [PeerPresence(True), PeerPresence(False)]
    assert up[-1] == PeerPresence(True)
    assert [line.text for line in clerk.talk.lines()] == ["OK"]


def test_outage__first_message_after_the_link_is_back__arrives(postgres_behind_proxy,
                                                              postgres_server):
    # The sender's connection broke unnoticed while it waited; the first message it took
    # after the outage used to be lost (it was the hello, so the clerk never saw the tablet).
    url, proxy = postgres_behind_proxy
    direct = str(postgres_server.url(url.rsplit("/", 1)[1]))
    engines = [open_storage(u, FixedClock(), auto_upgrade=True, pool_size=1) for u in (url, direct)]
    clerk, tablet = (PostgresConversationRelay(e.engine, COUNTER, KEY, poll_seconds=0.05)
                     for e in engines)         # bare relays: nothing else sends on them
    back = threading.Event()
    heard: list[object] = []
    arrived = threading.Event()
    clerk.subscribe(lambda m: back.set() if m == {"type": "link", "up": True} else None)
    tablet.subscribe(lambda m: (heard.append(m["probe"]), arrived.set())
                     if m["type"] == "probe" else None)
    clerk.start()
    tablet.start()
    try:
        back.clear()
        proxy.cut()
        proxy.restore()
        back.wait(10)                      # the listener is connected again
        clerk.publish({"type": "probe", "probe": 1})
        arrived.wait(10)
    finally:
        clerk.close()
        tablet.close()
        for storage in engines:
            storage.close()

    assert heard == [1]


def test_crash__other_side_silent__heartbeat_says_gone(postgres_url):
    clerk, tablet = Device(postgres_url, heartbeat_s=0.2), Device(postgres_url, heartbeat_s=0.2)
    clerk.talk.start()
    tablet.talk.start()
    try:
        clerk.presence.wait_for(1)
        tablet.relay.close()            # no goodbye: the tablet lost power
        seen = clerk.presence.wait_for(2)
    finally:
        clerk.close()
        tablet.storage.close()

    assert seen == [PeerPresence(True), PeerPresence(False)]
