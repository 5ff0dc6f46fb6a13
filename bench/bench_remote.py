"""Benchmark of the remote counter's call (issue 22): both ends on this machine, generated media.

Three runs, 640 × 480 at 15 fps with tone bursts, each end the real aiortc adapter:
1. the LAN: the branch in this process, the main office in a child process (the offer and
   the answer cross a pipe), so each end's CPU is its own process's;
2. a branch line with 100 ms of delay and 1 % loss each way (a UDP relay on 127.0.0.1 in
   place of netem), both ends in this process;
3. the line cut for 2 s mid-call;
4. a thin branch line: 300 kbit/s each way (the relay queues up to 200 ms and drops beyond,
   as ``tc ... tbf`` does), both ends in this process;
5. (as root, with ``ip`` and ``tc``) the kernel's own: ``kiosk remote loopback`` in a network
   namespace whose loopback is throttled by ``tbf`` to 600 and then 400 kbit/s, both ways
   sharing it (burst 6 kB, 200 ms of queue).

Latency is capture to decoded picture, read from the frame counter and capture time stamped
into each picture (the screen's own frame time is not in it); audio latency is from a tone
burst's start to its start heard at the other end.

Goals (issue 22): 1. full quality (640 × 480 at 90 % of [remote] max_kbps or more) sent
within 5 s of the first picture (aiortc's own estimate took ~26 s from the 200 kbit/s start),
picture p95 under 250 ms, audio under 200 ms, under 1 core per end, under 1.5 Mbit/s each way;
2. picture p95 under 400 ms, no freeze longer than 1 s;
3. the call goes on and the picture is back within 1 s of the line (freeze < 3 s);
4. (the thin line, from the last stop's "never connects below 600 kbit/s") the call shows a
picture within 10 s, picture p95 under 400 ms, audio under 400 ms, no freeze longer than 1 s,
under 1 % of the packets dropped at the line's queue; 5. the same goals.

Every figure's line ends with the machine's 1-minute load average when it was printed.

Run: .venv/bin/python bench/bench_remote.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devices.remote.aiortc_call import AiortcRemoteCall, generated_sources  # noqa: E402
from kiosk.cli.remote import direction_figures, loopback  # noqa: E402
from kiosk.errors import DeviceError  # noqa: E402


class PipeChannel:
    """The signalling between the two processes: JSON lines, one way each pipe."""

    def __init__(self, inbound: IO[str], outbound: IO[str]) -> None:
        self._inbound, self._outbound = inbound, outbound
        self._handlers: list[Callable[[dict[str, Any]], None]] = []
        self._lock = threading.Lock()
        self.result: dict[str, Any] | None = None
        self.finished = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def publish(self, message: Any) -> None:
        with self._lock:
            self._outbound.write("sig " + json.dumps(message) + "\n")
            self._outbound.flush()

    def subscribe(self, handler: Callable[[dict[str, Any]], None]) -> None:
        self._handlers.append(handler)

    def _read(self) -> None:
        for line in self._inbound:
            kind, _, text = line.partition(" ")
            if kind == "sig":
                for handler in list(self._handlers):
                    handler(json.loads(text))
            elif kind == "result":
                self.result = json.loads(text)
        self.finished.set()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def answering_end() -> int:
    """The child: the main office's end, until the branch hangs up."""
    channel = PipeChannel(sys.stdin, sys.stdout)
    call = AiortcRemoteCall(channel, "bench", offering=False, video_sources=generated_sources())
    cpu, started = _cpu_s(), time.monotonic()
    call.start()
    call.wait_connected(30)
    while call.state not in ("ended", "failed"):
        time.sleep(0.1)
    stats = call.hang_up()
    figures = {"cpu_cores": (_cpu_s() - cpu) / (time.monotonic() - started), "stats": stats.__dict__}
    sys.stdout.write("result " + json.dumps(figures) + "\n")
    sys.stdout.flush()
    return 0


def _line(name: str, value: float | None, goal: float, unit: str) -> bool:
    ok = value is not None and value < goal
    decimals = 2 if unit in ("cores", "s", "Mbit/s", "%") else 0
    shown = "     n/a" if value is None else f"{value:8.{decimals}f}"
    print(f"{name:<56}{shown} {unit:<7} goal < {goal:g} {unit:<7} {'met' if ok else 'MISSED':<6}"
          f" load {os.getloadavg()[0]:.2f}")
    return ok


def _lan(seconds: float) -> list[bool]:
    from kiosk.ports import RemoteCallStats

    child = subprocess.Popen([sys.executable, __file__, "--answering-end"], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdin is not None
    assert child.stdout is not None
    channel = PipeChannel(child.stdout, child.stdin)
    call = AiortcRemoteCall(channel, "bench", offering=True, video_sources=generated_sources())
    cpu, started = _cpu_s(), time.monotonic()
    call.start()
    if not call.wait_connected(30):
        print(f"the call did not connect ({call.state})")
        child.kill()
        return [False]
    time.sleep(seconds)
    branch = call.hang_up()
    branch_cpu = (_cpu_s() - cpu) / (time.monotonic() - started)
    channel.finished.wait(30)
    child.wait(30)
    if channel.result is None:
        print("the main office's end gave no figures")
        return [False]
    office = RemoteCallStats(**{key: tuple(tuple(v) if isinstance(v, list) else v for v in value)
                                if isinstance(value, list) else value
                                for key, value in channel.result["stats"].items()})
    up, down = direction_figures(branch, office), direction_figures(office, branch)
    print(f"1. LAN, {seconds:.0f} s, both ends on this host (frames {up['frames_received']}/"
          f"{up['frames_sent']} and {down['frames_received']}/{down['frames_sent']} received, "
          f"audio packets {up['audio_packets_received']}/{up['audio_packets_sent']}; pictures "
          f"{up['sizes_received']} / {down['sizes_received']}; 640 x 480 sent "
          f"{up['video_full_size_after_s']} / {down['video_full_size_after_s']} s after the first "
          f"picture, full quality after {up['video_top_after_reports']} / "
          f"{down['video_top_after_reports']} reports)")
    return [
        _line("  full quality (640 x 480, 90 % of max) sent, branch", up["video_top_after_s"], 5, "s"),
        _line("  full quality (640 x 480, 90 % of max) sent, main office", down["video_top_after_s"],
              5, "s"),
        _line("  picture p95, branch -> main office", up["latency_ms"]["p95"], 250, "ms"),
        _line("  picture p95, main office -> branch", down["latency_ms"]["p95"], 250, "ms"),
        _line("  audio p95, branch -> main office", up["audio_latency_ms"]["p95"], 200, "ms"),
        _line("  audio p95, main office -> branch", down["audio_latency_ms"]["p95"], 200, "ms"),
        _line("  CPU, branch end (this process)", branch_cpu, 1.0, "cores"),
        _line("  CPU, main office end (child process)", channel.result["cpu_cores"], 1.0, "cores"),
        _line("  bit rate, branch -> main office", up["bitrate_kbit_s"] / 1000, 1.5, "Mbit/s"),
        _line("  bit rate, main office -> branch", down["bitrate_kbit_s"] / 1000, 1.5, "Mbit/s"),
    ]


def _impaired(seconds: float) -> list[bool]:
    figures = loopback(seconds, delay_ms=100, loss=0.01)
    up, down = figures["branch_to_office"], figures["office_to_branch"]
    print(f"2. branch line: 100 ms delay and 1 % loss each way, {seconds:.0f} s "
          f"({figures['link']['dropped']} packets dropped); audio p95 "
          f"{up['audio_latency_ms']['p95']} / {down['audio_latency_ms']['p95']} ms (no goal)")
    return [
        _line("  picture p95, branch -> main office", up["latency_ms"]["p95"], 400, "ms"),
        _line("  picture p95, main office -> branch", down["latency_ms"]["p95"], 400, "ms"),
        _line("  longest freeze, branch -> main office", up["longest_freeze_s"], 1.0, "s"),
        _line("  longest freeze, main office -> branch", down["longest_freeze_s"], 1.0, "s"),
    ]


def _cut(seconds: float) -> list[bool]:
    figures = loopback(seconds, cut_at=seconds / 3, cut_s=2.0)
    up, down = figures["branch_to_office"], figures["office_to_branch"]
    went_on = all(state == "ended" for state in figures["states"].values())
    print(f"3. the line cut for 2 s at {seconds / 3:.0f} s of {seconds:.0f} s: the call "
          f"{'went on' if went_on else 'FAILED'}; frames received in all: "
          f"{up['frames_received']}/{up['frames_sent']} and {down['frames_received']}/{down['frames_sent']}")
    return [went_on,
            _line("  longest freeze, branch -> main office", up["longest_freeze_s"], 3.0, "s"),
            _line("  longest freeze, main office -> branch", down["longest_freeze_s"], 3.0, "s")]


def _thin_goals(figures: dict[str, Any]) -> list[bool]:
    """The goals of a thin line (runs 4 and 5)."""
    up, down = figures["branch_to_office"], figures["office_to_branch"]
    return [
        _line("  picture within, after the call opened", figures["connected_after_s"], 10, "s"),
        _line("  picture p95, branch -> main office", up["latency_ms"]["p95"], 400, "ms"),
        _line("  picture p95, main office -> branch", down["latency_ms"]["p95"], 400, "ms"),
        _line("  audio p95, branch -> main office", up["audio_latency_ms"]["p95"], 400, "ms"),
        _line("  audio p95, main office -> branch", down["audio_latency_ms"]["p95"], 400, "ms"),
        _line("  longest freeze, branch -> main office", up["longest_freeze_s"], 1.0, "s"),
        _line("  longest freeze, main office -> branch", down["longest_freeze_s"], 1.0, "s"),
    ]


def _thin(seconds: float, rate_kbps: float = 300) -> list[bool]:
    try:
        figures = loopback(seconds, rate_kbps=rate_kbps, connect_s=30)
    except DeviceError:
        print(f"4. branch line of {rate_kbps:.0f} kbit/s each way: the call did not connect in 30 s"
              f"  MISSED load {os.getloadavg()[0]:.2f}")
        return [False]
    up, down, link = figures["branch_to_office"], figures["office_to_branch"], figures["link"]
    print(f"4. branch line of {rate_kbps:.0f} kbit/s each way, {seconds:.0f} s: sent "
          f"{up['bitrate_kbit_s']:.0f} / {down['bitrate_kbit_s']:.0f} kbit/s, pictures received "
          f"{up['sizes_received']} / {down['sizes_received']} (of {up['frames_sent']} captured), "
          f"audio packets {up['audio_packets_received']}/{up['audio_packets_sent']}, "
          f"video aim at the end {up['video_target_kbps_at_end']} / "
          f"{down['video_target_kbps_at_end']} kbit/s")
    queue_full = 100 * link["queue_full"] / max(1, link["forwarded"] + link["dropped"])
    return [
        *_thin_goals(figures),
        _line("  packets dropped at the line's full queue", queue_full, 1.0, "%"),
        _line("  CPU, both ends (one process)", figures["cpu_cores_both_ends"], 2.0, "cores"),
    ]


def _tbf(seconds: float, rate_kbps: int) -> list[bool]:
    if os.geteuid() != 0 or not (shutil.which("ip") and shutil.which("tc")):
        print(f"5. tbf {rate_kbps} kbit/s in a network namespace: not run (needs root, ip and tc)")
        return []
    space = f"bench-remote-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", space], check=True)
    try:
        inside = ["ip", "netns", "exec", space]
        subprocess.run([*inside, "ip", "link", "set", "lo", "up"], check=True)
        subprocess.run([*inside, "tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate",
                        f"{rate_kbps}kbit", "burst", "6kb", "latency", "200ms"], check=True)
        run = subprocess.run([*inside, sys.executable, "-m", "kiosk", "remote", "loopback",
                              "--seconds", str(seconds), "--json"], cwd=ROOT, text=True,
                             capture_output=True, timeout=seconds + 120,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
        qdisc = subprocess.run([*inside, "tc", "-s", "qdisc", "show", "dev", "lo"], text=True,
                               capture_output=True, check=True).stdout
    finally:
        subprocess.run(["ip", "netns", "del", space], check=False)
    if run.returncode != 0 or "{" not in run.stdout:
        print(f"5. tbf {rate_kbps} kbit/s shared: the call did not connect  MISSED "
              f"load {os.getloadavg()[0]:.2f}")
        return [False]
    figures = json.loads(run.stdout[run.stdout.index("{"):])
    sent, dropped = (int(n) for n in re.findall(r"Sent \d+ bytes (\d+) pkt \(dropped (\d+)", qdisc)[0])
    up, down = figures["branch_to_office"], figures["office_to_branch"]
    print(f"5. tbf {rate_kbps} kbit/s shared by both ways, {seconds:.0f} s: sent "
          f"{up['bitrate_kbit_s']:.0f} / {down['bitrate_kbit_s']:.0f} kbit/s, pictures received "
          f"{up['sizes_received']} / {down['sizes_received']} (of {up['frames_sent']} captured), "
          f"audio packets {up['audio_packets_received']}/{up['audio_packets_sent']}, "
          f"tbf dropped {dropped} of {sent + dropped}")
    return [
        *_thin_goals(figures),
        _line("  packets dropped by tbf", 100 * dropped / max(1, sent + dropped), 1.0, "%"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--answering-end", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.answering_end:
        return answering_end()
    print(f"bench_remote: {os.cpu_count()} CPUs, load average at start "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    results = (_lan(args.seconds) + _impaired(args.seconds) + _cut(max(args.seconds, 9.0))
               + _thin(args.seconds) + _tbf(args.seconds, 600) + _tbf(args.seconds, 400))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
