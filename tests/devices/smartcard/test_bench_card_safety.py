"""bench/bench_card.py sends a PIN only to a card it created, behind a pcscd it started.

The attack it must not repeat: attaching to whatever pcscd runs and sending VERIFY 1234 to
the card there, spending a real card's PIN tries.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce
from typing import Any

import pytest
from benches import load_bench

from devices.smartcard.simulated_card import SimulatedMyNumberCard, load_person
from devices.smartcard.vpcd_card import VpcdCard

bench = load_bench("bench_card")


class RecordingCard(SimulatedMyNumberCard):
    """Someone else's card: records every command it gets."""

    def __init__(self) -> None:
        super().__init__(load_person("plain"))
        self.received: list[bytes] = []

    def process(self, command: bytes) -> bytes:
        self.received.append(bytes(command))
        return super().process(command)


class FakeSlot:
    """A reader named ``wanted`` holding ``card``."""

    def __init__(self, wanted: str, card: SimulatedMyNumberCard) -> None:
        self.wanted = wanted
        self.card = card

    def atr(self) -> bytes:
        return self.card.atr

    @contextmanager
    def session(self) -> Iterator[Any]:
        yield self

    def transmit(self, command: bytes) -> bytes:
        return self.card.process(command)


OWN = ("Virtual PCD 00 00", "Virtual PCD 00 01")


def test_unique_atr__two_runs__differ_and_checksum_valid() -> None:
    first, second = bench.unique_atr(), bench.unique_atr()
    assert first != second
    assert first[0] == 0x3B
    assert reduce(lambda a, b: a ^ b, first[1:]) == 0


@pytest.mark.parametrize("case", ["foreign reader", "foreign atr", "probe elsewhere"])
def test_check_own_card__not_ours__refused_without_pin(monkeypatch: pytest.MonkeyPatch,
                                                       case: str) -> None:
    atr = bench.unique_atr()
    ours = bench.own_card("plain", atr)
    stranger = RecordingCard()
    monkeypatch.setattr("devices.smartcard.readers.list_readers",
                        lambda: [*OWN, "ACS ACR39U ICC Reader 00 00"])
    if case == "foreign reader":
        slot = FakeSlot("ACS ACR39U ICC Reader 00 00", stranger)
    elif case == "foreign atr":
        slot = FakeSlot(OWN[0], stranger)
    else:                                   # right ATR, but the APDUs go to another card
        stranger.atr = atr
        slot = FakeSlot(OWN[0], stranger)
    with pytest.raises(bench.Refused):
        bench.check_own_card(slot, lambda: ours.commands, atr, OWN)
    assert not any(command[1] == 0x20 for command in stranger.received)


def test_check_own_card__ours__accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    atr = bench.unique_atr()
    ours = bench.own_card("plain", atr)
    monkeypatch.setattr("devices.smartcard.readers.list_readers", lambda: list(OWN))
    bench.check_own_card(FakeSlot(OWN[0], ours), lambda: ours.commands, atr, OWN)


@pytest.mark.pcscd
def test_bench_card__another_pcscd_with_a_card__refuses_and_sends_no_pin(
        pcscd: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stranger = RecordingCard()
    card = VpcdCard(stranger, pcscd.vpcd_port(0)).start()
    try:
        monkeypatch.setattr(sys, "argv", ["bench_card.py", "--rounds", "1", "--delay-ms", "0"])
        assert bench.main() == 2
    finally:
        card.remove()
    assert "REFUSED" in capsys.readouterr().out
    assert not any(command[1] == 0x20 for command in stranger.received)
