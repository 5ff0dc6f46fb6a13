"""Benchmark: APDUs and wall time from "PIN entered" to Identity, with L = 30 ms per APDU.

The simulated card delays every APDU by L (a realistic contact reader). Goals (issue 3):
the minimum APDU count for the flow (tries query and digest check included), and wall time
within 1.15 x APDUs x L. Runs in-process, and over the real pcscd + vpcd when that stack is up
(a running pcscd with the vpcd readers, or one this script can start as root).

    .venv/bin/python bench/bench_card.py [--rounds 5] [--delay-ms 30]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from devices.smartcard import apdu
from devices.smartcard.card_reader import CardIdentityReader
from devices.smartcard.integrity import DIGEST_PREFIX_LENGTH
from devices.smartcard.read_sequence import HEADER_READ_LENGTH
from devices.smartcard.simulated_card import (
    SimulatedMyNumberCard,
    SimulatedSlot,
    build_files,
    load_person,
    simulator_issuer_public_pem,
)

SLACK = 1.15


def _reads(length: int) -> int:
    """READ BINARY commands for a TLV of ``length`` bytes: 7-byte header, then <= 256."""
    return 1 + math.ceil(max(0, length - HEADER_READ_LENGTH) / apdu.MAX_SHORT_LE)


def minimum_apdus(person: str, signature: bool) -> int:
    """The fewest APDUs the flow can take with short APDUs on this person's card."""
    files = build_files(load_person(person))
    basic = len(files[apdu.EF_BASIC_FOUR].rstrip(b"\xff"))
    count = 4 + 1 + _reads(basic)                  # SELECT AP, SELECT PIN, tries, VERIFY
    if signature:
        count += 1 + _reads(len(files[apdu.EF_INTEGRITY]))
        count += 1 + _reads(len(files[apdu.EF_CERTIFICATE]))
    else:
        count += 1 + _reads(DIGEST_PREFIX_LENGTH)
    return count


def _issuer() -> rsa.RSAPublicKey:
    key = load_pem_public_key(simulator_issuer_public_pem())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def _measure(read: Callable[[], object], count: Callable[[], int],
             rounds: int) -> tuple[int, list[float]]:
    times, apdus = [], 0
    for _ in range(rounds):
        before = count()
        start = time.perf_counter()           # "PIN entered": the PIN pad hands over 4 digits
        read()
        times.append(time.perf_counter() - start)
        apdus = count() - before
    return apdus, times


def _report(label: str, person: str, signature: bool, apdus: int, times: list[float],
            delay_s: float) -> bool:
    goal_apdus = minimum_apdus(person, signature)
    budget = SLACK * apdus * delay_s
    median, worst = statistics.median(times), max(times)
    ok_apdus, ok_time = apdus <= goal_apdus, worst <= budget
    print(f"{label:<34} APDUs {apdus:>3}          goal <= {goal_apdus:<3} (minimum)"
          f"              {'OK' if ok_apdus else 'MISSED'}")
    print(f"{'':<34} wall  {median * 1000:6.1f} ms median, {worst * 1000:6.1f} ms max"
          f"   goal < {budget * 1000:6.1f} ms ({SLACK} x {apdus} x {delay_s * 1000:.0f} ms)"
          f"   {'OK' if ok_time else 'MISSED'}")
    return ok_apdus and ok_time


def bench_in_process(person: str, pin: str, signature: bool, rounds: int,
                     delay_s: float) -> bool:
    """The simulated card in-process (the demo's path)."""
    slot = SimulatedSlot(SimulatedMyNumberCard(load_person(person)), delay_s=delay_s)
    reader = CardIdentityReader(slot, issuer_key=_issuer() if signature else None)
    apdus, times = _measure(lambda: reader.read_identity(pin), lambda: slot.apdus, rounds)
    label = f"in-process {person}" + (" +signature" if signature else "")
    return _report(label, person, signature, apdus, times, delay_s)


@contextmanager
def _pcscd_stack() -> Iterator[tuple[str, int] | None]:
    """(reader name, vpcd port) of a usable pcscd + vpcd, or None."""
    from devices.smartcard.readers import list_readers

    with suppress(RuntimeError):
        names = [name for name in list_readers() if name.startswith("Virtual PCD")]
        if names:
            yield names[0], 35963               # the packaged vpcd configuration
            return
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "support"))
    try:
        from harness import ServiceUnavailable  # type: ignore[import-not-found]
        from harness.pcsc import PcscService  # type: ignore[import-not-found]
    except ImportError:
        yield None
        return
    try:
        service = PcscService(Path(tempfile.mkdtemp(prefix="bench-pcscd-")))
        service.start()
    except ServiceUnavailable as exc:
        print(f"(pcscd stack not available: {exc})")
        yield None
        return
    try:
        yield service.reader_names[0], service.vpcd_port(0)
    finally:
        service.stop()


def bench_vpcd(stack: tuple[str, int], person: str, pin: str, rounds: int,
               delay_s: float) -> bool:
    """The simulated card behind the real pcscd (pyscard -> pcscd -> vpcd -> TCP)."""
    from devices.smartcard.pcsc_transport import PcscSlot
    from devices.smartcard.vpcd_card import VpcdCard

    reader_name, port = stack
    card = VpcdCard(SimulatedMyNumberCard(load_person(person)), port, delay_s=delay_s).start()
    try:
        reader = CardIdentityReader(PcscSlot(reader_name))
        deadline = time.monotonic() + 10
        while not reader.slot.atr() and time.monotonic() < deadline:
            time.sleep(0.05)
        apdus, times = _measure(lambda: reader.read_identity(pin), lambda: card.apdus, rounds)
    finally:
        card.remove()
    return _report(f"pcscd+vpcd {person}", person, False, apdus, times, delay_s)


def main() -> int:
    """Run every figure and print it next to its goal."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--delay-ms", type=float, default=30.0)
    args = parser.parse_args()
    delay_s = args.delay_ms / 1000
    print(f"My Number card read, L = {args.delay_ms:.0f} ms per APDU, {args.rounds} rounds each")
    ok = bench_in_process("plain", "1234", False, args.rounds, delay_s)
    ok &= bench_in_process("long_address", "4321", False, args.rounds, delay_s)
    ok &= bench_in_process("plain", "1234", True, args.rounds, delay_s)
    with _pcscd_stack() as stack:
        if stack is None:
            print("pcscd+vpcd                         skipped: no pcscd with vpcd readers")
        else:
            ok &= bench_vpcd(stack, "plain", "1234", args.rounds, delay_s)
    print("all goals met" if ok else "SOME GOALS MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
