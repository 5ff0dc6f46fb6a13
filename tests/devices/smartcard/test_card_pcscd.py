"""Through the real stack: pyscard -> pcscd -> vpcd driver -> the simulated card over TCP."""

from __future__ import annotations

import queue
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from devices.smartcard.card_reader import CardIdentityReader
from devices.smartcard.pcsc_transport import PcscSlot
from devices.smartcard.reader_monitor import ReaderMonitor
from devices.smartcard.simulated_card import (
    SimulatedMyNumberCard,
    build_files,
    load_person,
    simulator_issuer_public_pem,
)
from devices.smartcard.vpcd_card import VpcdCard
from kiosk.domain.identity import (
    CardInserted,
    CardIntegrityError,
    CardReaderLost,
    CardReaderRecovered,
    CardRemovedError,
    CardWithdrawn,
    LastTryError,
    NoCardError,
    PinLockedError,
    WrongPinError,
)
from kiosk.events import Event

pytestmark = pytest.mark.pcscd

READER_0, READER_1 = "Virtual PCD 00 00", "Virtual PCD 00 01"


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _present(reader: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return bool(PcscSlot(reader).atr())
        except Exception:
            return False
    return check


def _absent(reader: str) -> Callable[[], bool]:
    present = _present(reader)
    return lambda: not present()


InsertCard = Callable[..., VpcdCard]


@pytest.fixture
def insert_card(pcscd: Any) -> Iterator[InsertCard]:
    """Insert a simulated card into a vpcd reader; every card is pulled out after the test."""
    cards: list[VpcdCard] = []

    def insert(person: str = "plain", slot: int = 0, **kwargs: Any) -> VpcdCard:
        simulated = kwargs.pop("card", None) or SimulatedMyNumberCard(load_person(person))
        card = VpcdCard(simulated, pcscd.vpcd_port(slot), **kwargs).start()
        cards.append(card)
        _wait_for(_present(pcscd.reader_names[slot]), 10, "pcscd to see the card")
        return card

    yield insert
    for card in cards:
        card.remove()
    for name in pcscd.reader_names:
        _wait_for(_absent(name), 10, "the card to leave")


def _issuer() -> rsa.RSAPublicKey:
    key = load_pem_public_key(simulator_issuer_public_pem())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


@pytest.mark.parametrize(("person", "pin", "given"), [
    ("plain", "1234", "花子"), ("long_address", "4321", "太郎"), ("gaiji", "0000", "髙﨑")])
def test_pcscd_read__persons__identity_with_signature(insert_card: InsertCard, person: str,
                                                       pin: str, given: str) -> None:
    insert_card(person)
    reader = CardIdentityReader(PcscSlot("00 00"), issuer_key=_issuer())
    identity = reader.read_identity(pin)
    assert identity.given_name == given
    assert identity.address == load_person(person).address
    assert identity.issuer_verified


@pytest.mark.parametrize(("person", "pin", "apdus"), [
    ("plain", "1234", 8), ("long_address", "4321", 9)])
def test_pcscd_read__without_issuer_key__8_apdus_plain_9_long_address(
        insert_card: InsertCard, person: str, pin: str, apdus: int) -> None:
    """Issue 18: the integrity prefix has a known length, the plain EF 0002 fits one READ."""
    card = insert_card(person)
    reader = CardIdentityReader(PcscSlot(READER_0))
    before = card.apdus
    assert reader.read_identity(pin).address == load_person(person).address
    assert card.apdus - before == apdus        # counted by the card behind pcscd, not by us


@pytest.mark.parametrize(("forged_issuer", "check"), [
    (True, "certificate"), (False, "internal authentication")],
    ids=["own issuer", "replayed on a blank card"])
def test_pcscd_read__forged_card__refused(insert_card: InsertCard, forged_issuer: bool,
                                          check: str) -> None:
    person = load_person("plain")
    forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = build_files(person, forged) if forged_issuer else build_files(person)
    insert_card(card=SimulatedMyNumberCard(person, files, ap_key=forged))
    reader = CardIdentityReader(PcscSlot("00 00"), issuer_key=_issuer())
    with pytest.raises(CardIntegrityError) as caught:
        reader.read_identity("1234")
    assert caught.value.check == check


def test_pcscd_read__wrong_pin__tries_decrement(insert_card: InsertCard) -> None:
    card = insert_card("plain")
    reader = CardIdentityReader(PcscSlot(READER_0))
    with pytest.raises(WrongPinError) as caught:
        reader.read_identity("0000")
    assert caught.value.tries_left == 2
    assert reader.tries_left() == 2 == card.card.tries
    assert reader.read_identity("1234").family_name == "試験"
    assert reader.tries_left() == 3


def test_pcscd_read__last_try_wrong__locked_and_nothing_sent_after(
        insert_card: InsertCard) -> None:
    card = insert_card("plain")
    card.card.tries = 1
    reader = CardIdentityReader(PcscSlot(READER_0))
    with pytest.raises(LastTryError):
        reader.read_identity("0000")               # not confirmed: the try is kept
    assert card.card.tries == 1
    with pytest.raises(PinLockedError):
        reader.read_identity("0000", use_last_try=True)
    before = card.apdus
    with pytest.raises(PinLockedError):
        reader.read_identity("1234")
    assert card.apdus - before == 3          # SELECT AP, SELECT 0011, empty VERIFY: no PIN
    assert card.card.tries == 0
    assert reader.status().tries_left == 0


def test_pcscd_read__card_removed_mid_read__typed_error(insert_card: InsertCard) -> None:
    insert_card("plain", remove_after=6)
    reader = CardIdentityReader(PcscSlot(READER_0))
    with pytest.raises((CardRemovedError, NoCardError)):
        reader.read_identity("1234")


def test_pcscd_read__two_readers__configured_one_chosen(insert_card: InsertCard) -> None:
    insert_card("plain", slot=0)
    insert_card("sex9", slot=1)
    assert CardIdentityReader(PcscSlot("00 01")).read_identity("9999").name == "ナナシ"
    assert CardIdentityReader(PcscSlot("00 00")).read_identity("1234").given_name == "花子"


def test_pcscd_status__no_card__not_present(pcscd: Any) -> None:
    status = CardIdentityReader(PcscSlot(READER_1)).status()
    assert (status.reader, status.present) == (READER_1, False)


def test_pcscd_vpcd_card__as_subprocess__readable(pcscd: Any, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "devices.smartcard.vpcd_card", "--port",
         str(pcscd.vpcd_port(1)), "--person", "sex9"],
        cwd=Path(__file__).parents[3])
    try:
        _wait_for(_present(READER_1), 10, "the subprocess card")
        assert CardIdentityReader(PcscSlot(READER_1)).read_identity("9999").name == "ナナシ"
    finally:
        process.terminate()
        process.wait(10)
    _wait_for(_absent(READER_1), 10, "the card to leave")


def _next_event(events: queue.Queue[Event], kind: type[Event], timeout: float) -> Event:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = events.get(timeout=left)
        except queue.Empty:
            break
        if isinstance(event, kind):
            return event
    raise AssertionError(f"no {kind.__name__} within {timeout} s")


def test_pcscd_monitor__insert_and_remove__events(pcscd: Any, insert_card: InsertCard) -> None:
    events: queue.Queue[Event] = queue.Queue()
    monitor = ReaderMonitor("00 01", events.put)
    monitor.start()
    try:
        card = insert_card("plain", slot=1)
        assert _next_event(events, CardInserted, 5) == CardInserted(READER_1)
        card.remove()
        assert _next_event(events, CardWithdrawn, 5) == CardWithdrawn(READER_1)
    finally:
        monitor.stop()


def test_pcscd_monitor__pcscd_restarted_while_idle__recovers_within_5s(
        pcscd: Any, insert_card: InsertCard) -> None:
    insert_card("plain", slot=0)
    events: queue.Queue[Event] = queue.Queue()
    monitor = ReaderMonitor("00 00", events.put)
    monitor.start()
    try:
        _next_event(events, CardInserted, 5)
        pcscd.restart()
        _next_event(events, CardReaderLost, 5)
        assert _next_event(events, CardReaderRecovered, 5) == CardReaderRecovered(READER_0)
        _next_event(events, CardInserted, 5)          # the card reconnected to the new vpcd
        assert not monitor.lost
        reader = CardIdentityReader(PcscSlot(READER_0))
        assert reader.read_identity("1234").given_name == "花子"
    finally:
        monitor.stop()
