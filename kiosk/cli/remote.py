"""``kiosk remote``: the remote counter's call (リモート窓口), tried and measured from a shell.

``loopback`` runs both ends in this process (the branch offers, the main office answers)
with generated video and tones, optionally through a relay that delays, loses or cuts the
line, and prints what crossed: frames, audio packets, capture-to-picture latency (read from
the counter stamped in each picture), audio latency, bit rate, the longest freeze.

``call`` runs one end over the shared PostgreSQL (the sealed conversation relay carries the
offer and the answer): two clerk PCs, or two processes, try the real path with it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.errors import ConfigError, DeviceError
from kiosk.i18n import S_
from kiosk.ports import CALL_SOUND_RATE, RemoteCall, RemoteCallStats, SignallingChannel

__all__ = ["direction_figures", "loopback", "register"]


def register(subparsers: Any) -> None:
    """Add ``remote loopback|call`` to the command line."""
    parser = subparsers.add_parser("remote", help="the remote counter's video call (リモート窓口)")
    commands = parser.add_subparsers(dest="remote_command", metavar="ACTION", required=True)
    loop = commands.add_parser("loopback", help="both ends of a call here, generated media; "
                                                "prints frames, latency and bit rate")
    _media_options(loop)
    loop.add_argument("--delay-ms", type=_non_negative, default=0.0,
                      help="add this delay to every packet, each way (a relay on 127.0.0.1)")
    loop.add_argument("--loss", type=_share, default=0.0, help="drop this share of packets (0.01 = 1 %%)")
    loop.add_argument("--cut-at", type=_non_negative, default=None, help="cut the line at this second")
    loop.add_argument("--cut-s", type=_non_negative, default=2.0, help="for this long (default 2 s)")
    loop.add_argument("--rate-kbps", type=_non_negative, default=0.0,
                      help="throttle the line to this rate, each way (a branch line; 0: unlimited)")
    loop.set_defaults(handler=run_loopback)
    call = commands.add_parser("call", help="one end of a call over the shared PostgreSQL "
                                            "(generated media)")
    call.add_argument("--call-id", required=True, help="the same on both ends")
    call.add_argument("--answer", action="store_true", help="answer (the main office); default: offer")
    call.add_argument("--address", action="append", default=None,
                      help="a LAN address of this machine for the call (repeatable; default 127.0.0.1)")
    for option, what in (("--camera", "the camera"), ("--document-camera", "the document camera"),
                         ("--microphone", "the microphone")):
        call.add_argument(option, default=None, metavar="DEVICE",
                          help=f"{what}: /dev/videoN, 'video=NAME' (Windows), a PulseAudio source, or a "
                               "file standing in for it (default: generated)")
    _media_options(call)
    call.set_defaults(handler=run_call)


def _media_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=_positive, default=10.0, help="how long the call lasts")
    parser.add_argument("--fps", type=int, choices=range(1, 31), default=15, metavar="1-30")
    parser.add_argument("--size", type=_size, default=(640, 480), help="WIDTHxHEIGHT (default 640x480)")
    parser.add_argument("--switch-at", type=_non_negative, default=None,
                        help="switch to the document camera at this second")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def _positive(text: str) -> float:
    value = _non_negative(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value >= 0 or value > 86_400:
        raise argparse.ArgumentTypeError(f"'{text}' is not between 0 and 86400")
    return value


def _share(text: str) -> float:
    value = _non_negative(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a share below 1 (0.01 = 1 %)")
    return value


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or not (640 <= int(width) <= 1920
                                                          and 120 <= int(height) <= 1080):
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT between 640x120 and 1920x1080")
    # The encoder wants even sizes (4:2:0 chroma).
    return int(width) // 2 * 2, int(height) // 2 * 2


def _webrtc() -> Any:
    """The aiortc adapter module, or a clear message where this installation lacks it."""
    try:
        from devices.remote import aiortc_call  # noqa: PLC0415
    except ImportError as exc:
        raise DeviceError(S_("The remote counter needs aiortc and PyAV, which this installation "
                             "does not have ({name})."), name=exc.name or "aiortc") from exc
    return aiortc_call


def _percentile(values: Sequence[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def direction_figures(sender: RemoteCallStats, receiver: RemoteCallStats) -> dict[str, Any]:
    """What crossed one way: the sender's counts and bytes, the receiver's measurements."""
    seconds = max(sender.seconds, 1e-6)
    return {
        "frames_sent": sender.frames_sent,
        "frames_received": receiver.frames_received,
        "audio_packets_sent": sender.audio_frames_sent,
        "audio_packets_received": receiver.audio_frames_received,
        "latency_ms": {"p50": _percentile(receiver.latencies_ms, 0.5),
                       "p95": _percentile(receiver.latencies_ms, 0.95),
                       "max": _percentile(receiver.latencies_ms, 1.0)},
        "audio_latency_ms": {"p50": _percentile(receiver.audio_latencies_ms, 0.5),
                             "p95": _percentile(receiver.audio_latencies_ms, 0.95),
                             "bursts": len(receiver.audio_latencies_ms)},
        "bitrate_kbit_s": round(sender.bytes_sent * 8 / seconds / 1000, 1),
        "longest_freeze_s": round(receiver.longest_freeze_s, 3),
        "interruptions": receiver.interruptions,
        "sources_received": dict(receiver.sources_received),
        "sizes_received": dict(receiver.sizes_received),
        "video_target_kbps_at_end": sender.video_target_kbps,
        "video_full_size_after_s": sender.video_full_size_after_s,
        "video_top_after_s": sender.video_top_after_s,
        "video_top_after_reports": sender.video_top_after_reports,
    }


def _sleep_with(deadline: float, actions: list[tuple[float, Callable[[], None]]]) -> None:
    """Sleep until ``deadline`` (monotonic), running each ``(at, action)`` when its time comes."""
    pending = sorted(actions, key=lambda item: item[0])
    while time.monotonic() < deadline:
        while pending and time.monotonic() >= pending[0][0]:
            pending.pop(0)[1]()
        time.sleep(0.05)


def loopback(seconds: float, *, fps: int = 15, size: tuple[int, int] = (640, 480),
             switch_at: float | None = None, delay_ms: float = 0.0, loss: float = 0.0,
             cut_at: float | None = None, cut_s: float = 2.0, rate_kbps: float = 0.0,
             max_kbps: int | None = None, connect_s: float = 20.0) -> dict[str, Any]:
    """Run a call between two ends in this process; its figures (see the module).

    ``rate_kbps`` throttles the line each way; ``max_kbps`` is the ends' video ceiling
    ([remote] max_kbps); ``connect_s`` how long the call may take to show a picture."""
    from devices.remote.link import LinkRelay, ProxiedChannel  # noqa: PLC0415
    from devices.remote.sound import NullCallSound  # noqa: PLC0415
    from kiosk.services.presence import LocalRelay  # noqa: PLC0415

    webrtc = _webrtc()
    relay = LocalRelay()
    link = LinkRelay(delay_ms=delay_ms, loss=loss, rate_kbps=rate_kbps) \
        if (delay_ms or loss or rate_kbps or cut_at is not None) else None
    channels: dict[str, SignallingChannel] = {"offer": relay, "answer": relay}
    if link is not None:
        link.start()
        channels = {side: ProxiedChannel(relay, link, side) for side in channels}
    sources = webrtc.generated_sources(width=size[0], height=size[1], fps=fps)
    plan = webrtc.bandwidth.RatePlan() if max_kbps is None else webrtc.bandwidth.RatePlan(max_kbps=max_kbps)
    branch = webrtc.AiortcRemoteCall(channels["offer"], "loopback", offering=True, video_sources=sources,
                                     rate=plan)
    office = webrtc.AiortcRemoteCall(channels["answer"], "loopback", offering=False, video_sources=sources,
                                     rate=plan)
    heard = {"branch": NullCallSound(), "office": NullCallSound()}    # the voice, played nowhere
    branch.listen(heard["branch"])
    office.listen(heard["office"])
    try:
        cpu, started = time.process_time(), time.monotonic()
        office.start()
        branch.start()
        connected_by = time.monotonic() + connect_s
        if not (branch.wait_connected(connect_s)
                and office.wait_connected(max(0.0, connected_by - time.monotonic()))):
            raise DeviceError(S_("The remote call did not connect (state: {state})."), state=branch.state)
        actions: list[tuple[float, Callable[[], None]]] = []
        begun = time.monotonic()
        if switch_at is not None:
            actions.append((begun + switch_at, lambda: branch.switch_video("document")))
        if cut_at is not None and link is not None:
            actions.append((begun + cut_at, lambda: link.cut(cut_s)))
        _sleep_with(begun + seconds, actions)
        connected_after = begun - started
        branch_stats, office_stats = branch.hang_up(), office.hang_up()
        wall, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        branch.hang_up()
        office.hang_up()
        if link is not None:
            link.close()
    figures: dict[str, Any] = {
        "seconds": round(seconds, 1), "video": {"width": size[0], "height": size[1], "fps": fps},
        "connected_after_s": round(connected_after, 2),
        "branch_to_office": direction_figures(branch_stats, office_stats),
        "office_to_branch": direction_figures(office_stats, branch_stats),
        "cpu_cores_both_ends": round(cpu / wall, 2),
        "audio_seconds_played": {side: round(sound.samples / CALL_SOUND_RATE, 2)
                                 for side, sound in heard.items()},
        "states": {"branch": branch.state, "office": office.state},
    }
    if link is not None:
        figures["link"] = {"delay_ms": delay_ms, "loss": loss, "cut_at": cut_at, "cut_s": cut_s,
                           "rate_kbps": rate_kbps, "forwarded": link.forwarded,
                           "dropped": link.dropped, "queue_full": link.overflowed}
    return figures


def run_loopback(args: argparse.Namespace, _config: Config) -> int:
    """Both ends here; print the figures."""
    figures = loopback(args.seconds, fps=args.fps, size=args.size, switch_at=args.switch_at,
                       delay_ms=args.delay_ms, loss=args.loss, cut_at=args.cut_at, cut_s=args.cut_s,
                       rate_kbps=args.rate_kbps)
    _print(figures, as_json=args.json)
    return 0


def run_call(args: argparse.Namespace, config: Config) -> int:
    """One end over the shared PostgreSQL relay; print this end's figures."""
    from kiosk.storage.conversation_relay import PostgresConversationRelay  # noqa: PLC0415
    from kiosk.storage.engine import make_engine  # noqa: PLC0415
    from kiosk.storage.sealing import load_answers_key  # noqa: PLC0415

    if not config.database_url.startswith("postgresql"):
        raise ConfigError(S_("The remote call needs the shared PostgreSQL database ([database] url)."))
    webrtc = _webrtc()
    sources, microphone = _capture(args, webrtc)
    key = load_answers_key(config.database.answers_key, config.device.data_dir, shared_database=True)
    engine = make_engine(config.database_url, pool_size=1)
    relay = PostgresConversationRelay(engine, f"remote-call\0{args.call_id}", key)
    relay.start()
    call: RemoteCall = webrtc.AiortcRemoteCall(
        relay, args.call_id, offering=not args.answer, video_sources=sources, microphone=microphone,
        host_addresses=tuple(args.address or ("127.0.0.1",)))
    try:
        problems = [check.detail for check in call.probe() if check.status != "ok"]
        if problems:
            raise ConfigError(S_("The remote call cannot use these addresses: {detail}"),
                              detail="; ".join(problems))
        call.start()
        connected = call.wait_connected(30)
        if connected:
            begun = time.monotonic()
            actions: list[tuple[float, Callable[[], None]]] = []
            if args.switch_at is not None:
                actions.append((begun + args.switch_at, lambda: call.switch_video("document")))
            deadline = begun + args.seconds
            while time.monotonic() < deadline and call.state not in ("ended", "failed"):
                while actions and time.monotonic() >= actions[0][0]:
                    actions.pop(0)[1]()
                time.sleep(0.05)
        stats = call.hang_up()
    finally:
        call.hang_up()
        relay.close()
        engine.dispose()
    mine = direction_figures(stats, stats)
    figures = {"connected": connected, "state": call.state, "frames_sent": stats.frames_sent,
               "audio_packets_sent": stats.audio_frames_sent, "bitrate_kbit_s": mine["bitrate_kbit_s"],
               "received": {key: mine[key] for key in ("frames_received", "audio_packets_received",
                                                       "latency_ms", "audio_latency_ms",
                                                       "longest_freeze_s", "interruptions",
                                                       "sources_received")}}
    _print(figures, as_json=args.json)
    return 0 if connected else 1


def _capture(args: argparse.Namespace, webrtc: Any) -> tuple[dict[str, Any], Any]:
    """The video sources and the microphone of ``call``: the devices named, else generated."""
    from devices.remote import capture  # noqa: PLC0415

    for device in (args.camera, args.document_camera, args.microphone):
        if device and device.startswith("/") and not Path(device).exists():
            raise ConfigError(S_("The capture device {device} does not exist."), device=device)
    def source(device: str, kind: str) -> Callable[[Any], Any]:
        # A device is asked for the call's size and rate; a file plays as it is.
        options = {} if kind == "audio" or Path(device).is_file() else {
            "video_size": f"{args.size[0]}x{args.size[1]}", "framerate": str(args.fps)}
        return lambda clock: capture.capture_source(device, kind, clock, options=options)

    sources = dict(webrtc.generated_sources(width=args.size[0], height=args.size[1], fps=args.fps))
    for name, device in (("camera", args.camera), ("document", args.document_camera)):
        if device:
            sources[name] = source(device, "video")
    return sources, source(args.microphone, "audio") if args.microphone else None


def _print(figures: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for name, value in figures.items():
        if isinstance(value, dict):
            print(f"{name}:")
            for key, item in value.items():
                print(f"  {key}: {item}")
        else:
            print(f"{name}: {value}")

