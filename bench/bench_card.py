"""Benchmark: APDUs and wall time from "PIN entered" to Identity, next to the goal of issue 18.

Goal: a card read takes at most 1.05 x (N x the per-APDU latency), N = 8 APDUs for the plain
card and 9 for a long address. The per-APDU latency is measured in the same run on the same
path (the median of single, PIN-less SELECT APDUs probed between the read rounds, so both
see the same load), so the goal holds the read to its APDU count and nothing else. The goal
is judged on the median round (the worst is printed next to it); the CPU time of the read
path per read is printed too, as the figure a loaded machine does not move. The simulated
card delays every APDU by L (a contact reader takes tens of ms). The read with the issuer CA
key (signature, EF 0007, internal authentication) is printed too; issue 18 sets no goal for it.

Safety: the benchmark sends PINs only to cards it created. The pcscd part starts its OWN pcscd
(with a private reader.conf.d) and refuses when another pcscd runs, since that one may hold a
real reader with a real card whose PIN tries a wrong PIN would spend. Before any PIN goes
out it checks that the reader is one of its own virtual readers, that the card answers with
the unique ATR it gave the card for this run, and that a PIN-less APDU sent through the
reader reached its own card. Otherwise it refuses (exit code 2).

    .venv/bin/python bench/bench_card.py [--rounds 5] [--delay-ms 30] [--in-process-only]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import reduce
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from devices.smartcard import apdu
from devices.smartcard.card_reader import CardIdentityReader
from devices.smartcard.simulated_card import (
    SimulatedMyNumberCard,
    SimulatedSlot,
    load_person,
    simulator_issuer_public_pem,
)

GOAL_FACTOR = 1.05
GOAL_APDUS = {"plain": 8, "long_address": 9}
PINS = {"plain": "1234", "long_address": "4321"}
_SELECT_AP = apdu.select_df(apdu.TEXT_AP_AID)


class Refused(Exception):
    """The benchmark will not send a PIN here (not its own pcscd, reader or card)."""


@dataclass
class Figure:
    """One measured read."""

    label: str
    apdus: int
    times: list[float]
    latency: float = 0.0       # median per-APDU latency, probed between the rounds
    cpu: float = 0.0           # CPU seconds of this process per read (load-independent)


def unique_atr() -> bytes:
    """The My Number card's ATR with 4 random historical bytes: this run's card, recognisable.

    ``3B E4 00 FF 81 31 FE 45 <4 bytes> TCK``: T0 announces 4 historical bytes; TCK makes the
    XOR of T0..TCK zero, as ISO 7816-3 wants when T=1 is offered.
    """
    body = bytes.fromhex("E400FF8131FE45") + secrets.token_bytes(4)
    return b"\x3b" + body + bytes([reduce(lambda a, b: a ^ b, body)])


def own_card(person: str, atr: bytes) -> SimulatedMyNumberCard:
    """A simulated card of ``person`` carrying ``atr``."""
    return SimulatedMyNumberCard(replace(load_person(person), atr=atr.hex()))


def _issuer() -> rsa.RSAPublicKey:
    key = load_pem_public_key(simulator_issuer_public_pem())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def _timed(call: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def _read(reader: CardIdentityReader, pin: str, count: Callable[[], int],
          rounds: int, label: str, probe: Callable[[], float] | None = None) -> Figure:
    """Rounds of "PIN entered -> Identity"; the APDUs of the last round.

    With ``probe`` the per-APDU latency is measured between the rounds (4 probes after each
    read), so the budget and the reads see the same machine load.
    """
    apdus = 0
    cpu = 0.0
    latencies: list[float] = []

    def once() -> None:
        nonlocal apdus, cpu
        before, cpu_before = count(), time.process_time()
        reader.read_identity(pin)
        cpu += time.process_time() - cpu_before
        apdus = count() - before

    times = []
    for _ in range(rounds):
        times += _timed(once, 1)
        if probe is not None:
            latencies += [probe() for _ in range(4)]
    latency = statistics.median(latencies) if latencies else 0.0
    return Figure(label, apdus, times, latency, cpu / rounds)


def _probe(slot: Any) -> Callable[[], float]:
    """One PIN-less APDU (SELECT AP) through ``slot`` in its own session, timed."""
    def probe() -> float:
        with slot.session() as channel:
            start = time.perf_counter()
            channel.transmit(_SELECT_AP)
            return time.perf_counter() - start
    return probe


def _report(figure: Figure, goal_apdus: int | None) -> bool:
    """Print one read next to its goal; judged on the median round, the worst printed too."""
    median, worst = statistics.median(figure.times), max(figure.times)
    if goal_apdus is None:
        print(f"{figure.label:<38} APDUs {figure.apdus:>3}   wall {median * 1000:6.1f} ms "
              f"median, {worst * 1000:6.1f} ms max   (no goal in issue 18)")
        return True
    latency = figure.latency
    budget = GOAL_FACTOR * goal_apdus * latency
    ok_apdus, ok_time = figure.apdus <= goal_apdus, median <= budget
    print(f"{figure.label:<38} APDUs {figure.apdus:>3}   goal <= {goal_apdus}"
          f"{'':<27}{'met' if ok_apdus else 'MISSED'}")
    print(f"{'':<38} wall  {median * 1000:6.1f} ms median ({worst * 1000:6.1f} ms worst)"
          f"   goal <= {budget * 1000:6.1f} ms = {GOAL_FACTOR} x {goal_apdus} x "
          f"{latency * 1000:.2f} ms   {'met' if ok_time else 'MISSED'}")
    print(f"{'':<38} CPU of the read path {figure.cpu * 1000:.2f} ms per read "
          f"(load-independent; the 5 % margin is {0.05 * goal_apdus * latency * 1000:.1f} ms)")
    return ok_apdus and ok_time


def bench_in_process(rounds: int, delay_s: float) -> bool:
    """The simulated card in-process (the demo's path)."""
    ok = True
    for person, goal in GOAL_APDUS.items():
        slot = SimulatedSlot(own_card(person, unique_atr()), delay_s=delay_s)
        reader = CardIdentityReader(slot)
        ok &= _report(_read(reader, PINS[person], lambda s=slot: s.apdus, rounds,
                            f"in-process {person}", _probe(slot)), goal)
    slot = SimulatedSlot(own_card("plain", unique_atr()), delay_s=delay_s)
    reader = CardIdentityReader(slot, issuer_key=_issuer())
    _report(_read(reader, PINS["plain"], lambda: slot.apdus, rounds,
                  "in-process plain + issuer key"), None)
    return ok


# ---------------------------------------------------------------- pcscd + vpcd, our own


@contextmanager
def own_pcscd() -> Iterator[Any]:
    """Start a pcscd of our own with the vpcd readers; refuse when another pcscd runs."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "support"))
    try:
        from harness import ServiceUnavailable  # type: ignore[import-not-found]
        from harness.pcsc import PcscService  # type: ignore[import-not-found]
    except ImportError as exc:
        raise Refused(f"the test harness is not importable ({exc})") from exc
    try:
        service = PcscService(Path(tempfile.mkdtemp(prefix="bench-pcscd-")))
        service.start()   # refuses by itself when another pcscd runs
    except ServiceUnavailable as exc:
        raise Refused(str(exc)) from exc
    try:
        yield service
    finally:
        service.stop()


def check_own_card(slot: Any, received: Callable[[], int], atr: bytes,
                   own_readers: tuple[str, ...]) -> None:
    """Refuse unless ``slot`` is our virtual reader holding our card (sends no PIN).

    ``received`` counts the APDUs our card has answered: a probe sent through ``slot`` must
    raise it by one.

    Raises:
        Refused: another reader, another ATR, or our card did not see the probe APDU.
    """
    from devices.smartcard.readers import list_readers

    if slot.wanted not in own_readers or slot.wanted not in list_readers():
        raise Refused(f"reader {slot.wanted!r} is not one of this benchmark's virtual readers")
    if slot.atr() != atr:
        raise Refused("the card in the reader does not carry this run's ATR")
    before = received()
    with slot.session() as channel:
        channel.transmit(_SELECT_AP)
    if received() != before + 1:
        raise Refused("a probe APDU did not reach this benchmark's card")


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def bench_vpcd(service: Any, rounds: int, delay_s: float) -> bool:
    """Our card behind our pcscd (pyscard -> pcscd -> vpcd -> TCP), each person in turn."""
    from devices.smartcard.pcsc_transport import PcscSlot
    from devices.smartcard.vpcd_card import VpcdCard

    ok = True
    reader_name = service.reader_names[0]
    for person, goal in GOAL_APDUS.items():
        atr = unique_atr()
        card = VpcdCard(own_card(person, atr), service.vpcd_port(0), delay_s=delay_s).start()
        try:
            slot = PcscSlot(reader_name)
            if not _wait(lambda s=slot, a=atr: _atr_or_empty(s) == a, 10):
                raise Refused("pcscd did not see this benchmark's card within 10 s")
            check_own_card(slot, lambda c=card: c.apdus, atr, service.reader_names)
            reader = CardIdentityReader(slot)
            ok &= _report(_read(reader, PINS[person], lambda c=card: c.apdus, rounds,
                                f"pcscd+vpcd {person}", _probe(slot)), goal)
        finally:
            card.remove()
            empty = PcscSlot(reader_name)
            _wait(lambda s=empty: not _atr_or_empty(s), 10)
    return ok


def _atr_or_empty(slot: Any) -> bytes:
    try:
        return bytes(slot.atr())
    except Exception:   # the reader is still settling after an insert or removal
        return b""


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main() -> int:
    """Run every figure and print it next to its goal; exit 2 when the pcscd part refused."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--delay-ms", type=float, default=30.0)
    parser.add_argument("--in-process-only", action="store_true",
                        help="skip the pcscd + vpcd part (no pcscd is started)")
    args = parser.parse_args()
    delay_s = args.delay_ms / 1000
    print(f"My Number card read, L = {args.delay_ms:.0f} ms per APDU, {args.rounds} rounds "
          f"each; {_load()} at the start")
    ok = bench_in_process(args.rounds, delay_s)
    refused = False
    if not args.in_process_only:
        try:
            with own_pcscd() as service:
                ok &= bench_vpcd(service, args.rounds, delay_s)
        except Refused as exc:
            print(f"pcscd+vpcd REFUSED: {exc}. No PIN was sent.")
            refused = True
    print("all goals met" if ok and not refused else
          "SOME GOALS MISSED" if not ok else "pcscd part refused")
    return 2 if refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
