"""The remote counter's call over WebRTC (aiortc): DTLS-SRTP, VP8 video, Opus voice.

One end is the branch counter (it offers), the other the specialist's desk at the main
office (it answers). The call runs on an asyncio loop in a thread of its own, so the Qt
screens and the CLI use it through the plain methods of :class:`kiosk.ports.RemoteCall`.

The city LAN only: no STUN or TURN server (``RTCConfiguration(iceServers=[])``) and ICE
gathers host candidates on the configured addresses only (``host_addresses``: the clerk PC's
LAN address; 127.0.0.1 for the loopback and the tests), never on every interface the machine
has. aioice offers no setting for that, so :func:`_only_addresses` narrows its address lookup
for the calls made inside a ``with`` (a context variable: other code is not affected).

Nothing is recorded: received pictures are kept one at a time for display; received sound is
handed, 20 ms at a time, to the :class:`kiosk.ports.CallSound` the owner gave :meth:`listen`
(the clerk PC's loudspeaker) and is otherwise counted and dropped. A link that stops
delivering pictures for ``stall_s`` makes the state ``interrupted`` on that end (the other end
sees the same from its side); the call goes on when packets flow again, since ICE consent only
gives up after 30 s of silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence

import aioice.ice
import av
import ifaddr
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

from devices.remote import bandwidth, rate_estimate, recovery
from devices.remote.capture import MicrophoneTee
from devices.remote.media import (
    STAMP_ROWS,
    BurstDetector,
    MediaClock,
    Stamp,
    StampedVideoTrack,
    ToneTrack,
    elapsed_ms,
    mono_samples,
    read_stamp,
)
from devices.remote.signalling import CallSignals
from kiosk.doctor import Check, Status
from kiosk.errors import DeviceError
from kiosk.i18n import S_
from kiosk.ports import CALL_SOUND_RATE, CallSound, RemoteCallStats, RemotePicture, SignallingChannel

__all__ = ["AiortcRemoteCall", "VideoFactory", "generated_sources"]

_log = logging.getLogger(__name__)

VideoFactory = Callable[[MediaClock], MediaStreamTrack]
_KEPT_LATENCIES = 20_000                 # ~20 min of frames at 15 fps; older ones are dropped
_OFFER_REPEAT_S = 1.0

_allowed_addresses: contextvars.ContextVar[tuple[str, ...] | None] = \
    contextvars.ContextVar("remote_call_host_addresses", default=None)
_gather_all = aioice.ice.get_host_addresses


def _narrowed_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    allowed = _allowed_addresses.get()
    if allowed is None:
        return _gather_all(use_ipv4=use_ipv4, use_ipv6=use_ipv6)
    return [address for address in allowed if (":" in address and use_ipv6)
            or (":" not in address and use_ipv4)]


aioice.ice.get_host_addresses = _narrowed_host_addresses


@contextlib.contextmanager
def _only_addresses(addresses: Sequence[str]) -> Iterator[None]:
    token = _allowed_addresses.set(tuple(addresses))
    try:
        yield
    finally:
        _allowed_addresses.reset(token)


def _machine_addresses() -> set[str]:
    found = {"127.0.0.1", "::1"}
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            found.add(ip.ip if isinstance(ip.ip, str) else ip.ip[0])
    return found


def generated_sources(**options: int) -> dict[str, VideoFactory]:
    """The generated camera and document camera (:mod:`devices.remote.media`)."""
    def factory(name: str) -> VideoFactory:
        def make(clock: MediaClock) -> MediaStreamTrack:
            return StampedVideoTrack(name, clock, **options)
        return make
    return {name: factory(name) for name in ("camera", "document")}


def _after_first(encoder: bandwidth.AdaptiveVp8Encoder | None, at: float | None) -> float | None:
    """Seconds from the encoder's first picture sent to ``at`` (``None``: not yet)."""
    if encoder is None or at is None or encoder.first_sent_at is None:
        return None
    return round(at - encoder.first_sent_at, 2)


def _stamp_of(frame: av.VideoFrame) -> Stamp | None:
    """The generated picture's stamp, also in a picture the thin line's sender halved."""
    if frame.format.name != "yuv420p":
        return None
    luma = frame.to_ndarray()[:frame.height]
    stamp = read_stamp(luma)
    if stamp is None and frame.width < 640:
        top = luma[:STAMP_ROWS // 2 + 1]
        stamp = read_stamp(top.repeat(2, axis=0).repeat(2, axis=1))
    return stamp


class AiortcRemoteCall:
    """One end of a remote call (:class:`kiosk.ports.RemoteCall`) with aiortc.

    Args:
        channel: carries the offer and the answer (see :mod:`devices.remote.signalling`).
        call_id: the same on both ends.
        offering: ``True`` at the branch (it offers), ``False`` at the specialist's desk.
        host_addresses: the only addresses ICE may use on this machine.
        video_sources: name -> track factory; the first is sent when the call opens.
        microphone: audio track factory (default: generated tone bursts).
        stall_s: no picture for this long counts as an interruption.
        on_end: called once the call is over (the owner closes its signalling channel).
        rate: the video's start and ceiling (:mod:`devices.remote.bandwidth`; [remote]
            start_kbps, max_kbps).
    """

    kind = "aiortc"

    def __init__(self, channel: SignallingChannel, call_id: str, *, offering: bool,
                 host_addresses: Sequence[str] = ("127.0.0.1",),
                 video_sources: Mapping[str, VideoFactory] | None = None,
                 microphone: Callable[[MediaClock], MediaStreamTrack] | None = None,
                 stall_s: float = 1.0, on_end: Callable[[], None] | None = None,
                 rate: bandwidth.RatePlan | None = None) -> None:
        self._channel = channel
        self._rate = rate or bandwidth.RatePlan()
        self._encoder: bandwidth.AdaptiveVp8Encoder | None = None
        self._sizes_seen: Counter[str] = Counter()
        self._on_end = on_end
        self._call_id = call_id
        self._offering = offering
        self._addresses = tuple(host_addresses)
        self._sources = dict(video_sources or generated_sources())
        self._microphone = microphone or ToneTrack
        self._stall = stall_s
        self._lock = threading.Lock()
        self._state = "idle"
        self._connected = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._done: asyncio.Event | None = None
        self._pc: RTCPeerConnection | None = None
        self._signals: CallSignals | None = None
        self._local: RTCSessionDescription | None = None
        self._answered = False
        self._video_sender: RTCRtpSender | None = None
        self._tracks: list[MediaStreamTrack] = []
        self._clock = MediaClock()
        self._started = 0.0
        self._frames_received = 0
        self._audio_received = 0
        self._latencies: deque[float] = deque(maxlen=_KEPT_LATENCIES)
        self._sources_seen: Counter[str] = Counter()
        self._bursts = BurstDetector()
        self._bytes_sent = 0
        self._last_picture: av.VideoFrame | None = None
        self._last_frame_at = 0.0
        self._longest_freeze = 0.0
        self._interruptions = 0
        self._sound: CallSound | None = None
        self._own: CallSound | None = None

    # ------------------------------------------------------------------ the port
    @property
    def state(self) -> str:
        """``idle``, ``connecting``, ``connected``, ``interrupted``, ``ended`` or ``failed``."""
        with self._lock:
            return self._state

    def probe(self) -> Sequence[Check]:
        """Whether every configured LAN address is this machine's (ICE can only use those)."""
        missing = [address for address in self._addresses if address not in _machine_addresses()]
        if missing:
            return [Check("remote.addresses", Status.FAIL,
                          f"not addresses of this machine: {', '.join(missing)}",
                          fix="set [remote] host_addresses to the clerk PC's LAN address")]
        return [Check("remote.addresses", Status.OK,
                      f"WebRTC on {', '.join(self._addresses)} only (no STUN/TURN)")]

    def listen(self, sound: CallSound) -> None:
        """Play the other end's voice on ``sound`` from now on; closed when the call ends."""
        self._sound = sound

    def listen_own(self, sound: CallSound) -> None:
        """Hand this end's microphone, as sent, to ``sound`` too (this end's captions: one
        capture of the device for both); closed when the call ends."""
        self._own = sound

    def start(self) -> None:
        """Open the call on the call's own thread; returns at once."""
        if self._thread is not None:
            return
        self._set_state("connecting")
        self._started = time.monotonic()
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            ready.set()
            try:
                loop.run_until_complete(self._run())
            except Exception:             # a bug or a broken link: the call fails, visibly
                _log.exception("remote call: the call failed")
                self._set_state("failed")
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="remote-call", daemon=True)
        self._thread.start()
        ready.wait()

    def wait_connected(self, timeout_s: float) -> bool:
        """Wait for the first picture from the other end."""
        return self._connected.wait(timeout_s)

    def switch_video(self, source: str) -> None:
        """Send ``source`` instead (RTCRtpSender.replaceTrack: no renegotiation)."""
        if source not in self._sources:
            raise DeviceError(S_("There is no video source {source} on this computer."), source=source)
        loop = self._loop
        if loop is None or self._video_sender is None:
            raise DeviceError(S_("The remote call is not open."))
        asyncio.run_coroutine_threadsafe(self._switch(source), loop).result(timeout=5)

    def ask_remote_video(self, source: str) -> None:
        """Ask the other end to send ``source`` (it switches if it has one)."""
        loop, signals = self._loop, self._signals
        if loop is None or signals is None:
            raise DeviceError(S_("The remote call is not open."))
        loop.call_soon_threadsafe(lambda: signals.send("video", source=source))

    def remote_picture(self) -> RemotePicture | None:
        """The latest received picture, converted for display."""
        frame = self._last_picture
        if frame is None:
            return None
        rgb = frame.to_ndarray(format="rgb24")
        return RemotePicture(frame.width, frame.height, rgb.tobytes())

    def stats(self) -> RemoteCallStats:
        """What the call carried so far (this end's figures)."""
        encoder = self._encoder
        with self._lock:
            return RemoteCallStats(
                seconds=(time.monotonic() - self._started) if self._started else 0.0,
                frames_sent=sum(getattr(t, "frames_sent", 0) for t in self._tracks if t.kind == "video"),
                frames_received=self._frames_received,
                audio_frames_sent=sum(getattr(t, "frames_sent", 0) for t in self._tracks
                                      if t.kind == "audio"),
                audio_frames_received=self._audio_received,
                bytes_sent=self._bytes_sent,
                latencies_ms=tuple(self._latencies),
                audio_latencies_ms=tuple(self._bursts.latencies_ms),
                sources_received=tuple(sorted(self._sources_seen.items())),
                longest_freeze_s=self._longest_freeze,
                interruptions=self._interruptions,
                sizes_received=tuple(sorted(self._sizes_seen.items())),
                video_target_kbps=(encoder.target_bitrate // 1000) if encoder else 0,
                video_full_size_after_s=_after_first(encoder, encoder.full_size_at if encoder else None),
                video_top_after_s=_after_first(encoder, encoder.top_at if encoder else None),
                video_top_after_reports=encoder.top_after_reports if encoder else None)


    def hang_up(self) -> RemoteCallStats:
        """Say goodbye to the other end, close the connection and stop the thread."""
        loop, done = self._loop, self._done
        if loop is not None and done is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(done.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.state not in ("failed",):
            self._set_state("ended")
        self._last_picture = None
        for sound in (self._sound, self._own):
            if sound is not None:
                sound.close()
        self._sound = self._own = None
        on_end, self._on_end = self._on_end, None
        if on_end is not None:
            on_end()
        return self.stats()

    # ------------------------------------------------------------------ the call's loop
    def _set_state(self, state: str) -> None:
        with self._lock:
            if self._state in ("ended", "failed") and state not in ("ended", "failed"):
                return
            self._state = state

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        self._done = asyncio.Event()
        signals = CallSignals(self._channel, self._call_id, loop)
        self._signals = signals
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._pc = pc
        video = next(iter(self._sources.values()))(self._clock)
        audio = self._microphone(self._clock)
        if self._own is not None:
            audio = MicrophoneTee(audio, self._own)      # the captioner hears the same capture
        self._tracks = [video, audio]
        self._video_sender = pc.addTrack(video)
        pc.addTrack(audio)
        self._encoder = bandwidth.install(pc, self._rate)   # a cautious start, a ceiling
        recovery.install(pc)            # the picture comes back soon after a dropped line
        rate_estimate.install(pc)       # the far side's rate: fast on a free line
        consumers: list[asyncio.Task[None]] = []

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            consumer = self._receive_video if track.kind == "video" else self._receive_audio
            consumers.append(asyncio.ensure_future(consumer(track)))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState == "failed":
                self._set_state("failed")
                self._done.set()   # type: ignore[union-attr]

        watch = asyncio.ensure_future(self._watch(pc))
        ended_by_peer = False
        try:
            ended_by_peer = await self._negotiate(pc, signals)
        finally:
            if not ended_by_peer:
                signals.send("bye")
            signals.close()
            watch.cancel()
            for track in self._tracks:
                track.stop()
            await pc.close()
            for consumer in consumers:
                consumer.cancel()
            await asyncio.gather(watch, *consumers, return_exceptions=True)
            self._pc = None

    async def _negotiate(self, pc: RTCPeerConnection, signals: CallSignals) -> bool:
        """Offer or answer, then wait for the end; ``True`` when the other end hung up."""
        assert self._done is not None
        if self._offering:
            with _only_addresses(self._addresses):
                await pc.setLocalDescription(await pc.createOffer())
            self._local = pc.localDescription
            signals.send("offer", self._local.sdp, self._local.type)
        done_wait = asyncio.ensure_future(self._done.wait())
        try:
            while not self._done.is_set():
                incoming = asyncio.ensure_future(signals.next())
                finished, _ = await asyncio.wait({incoming, done_wait}, timeout=_OFFER_REPEAT_S,
                                                 return_when=asyncio.FIRST_COMPLETED)
                if incoming in finished:
                    if await self._handle(incoming.result(), pc, signals):
                        return True
                    continue
                incoming.cancel()
                if self._offering and not self._answered and self._local is not None:
                    signals.send("offer", self._local.sdp, self._local.type)  # no one listened yet
            return False
        finally:
            done_wait.cancel()

    async def _handle(self, message: dict[str, str], pc: RTCPeerConnection,
                      signals: CallSignals) -> bool:
        """Act on one message of the other end; ``True`` when it hung up."""
        kind = message["kind"]
        if kind == "bye":
            self._set_state("ended")
            return True
        if kind == "video" and message.get("source") in self._sources:
            await self._switch(str(message["source"]))
        elif kind == "answer" and self._offering and not self._answered:
            await pc.setRemoteDescription(RTCSessionDescription(message["sdp"], "answer"))
            self._answered = True
        elif kind == "offer" and not self._offering:
            if self._local is None:
                await pc.setRemoteDescription(RTCSessionDescription(message["sdp"], "offer"))
                with _only_addresses(self._addresses):
                    await pc.setLocalDescription(await pc.createAnswer())
                self._local = pc.localDescription
            signals.send("answer", self._local.sdp, self._local.type)       # every repeat: same
        return False

    async def _switch(self, source: str) -> None:
        assert self._video_sender is not None
        track = self._sources[source](self._clock)
        old = self._video_sender.track
        self._video_sender.replaceTrack(track)
        if self._encoder is not None:
            self._encoder.show(source)      # a document keeps its size on a thin line
        with self._lock:
            self._tracks.append(track)
        if old is not None:
            old.stop()

    async def _receive_video(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                now = time.monotonic()
                if not isinstance(frame, av.VideoFrame):
                    continue
                stamp = _stamp_of(frame)
                with self._lock:
                    self._sizes_seen[f"{frame.width}x{frame.height}"] += 1
                    if self._last_frame_at:
                        self._longest_freeze = max(self._longest_freeze, now - self._last_frame_at)
                    self._last_frame_at = now
                    self._frames_received += 1
                    if stamp is not None:
                        self._latencies.append(float(elapsed_ms(stamp.captured_ms)))
                        self._sources_seen[stamp.source] += 1
                self._last_picture = frame
                if self.state in ("connecting", "interrupted"):
                    self._set_state("connected")
                self._connected.set()

    async def _receive_audio(self, track: MediaStreamTrack) -> None:
        # The decoder's sound (Opus: stereo 48 kHz) as the CallSound takes it: s16 mono.
        to_speaker = av.AudioResampler(format="s16", layout="mono", rate=CALL_SOUND_RATE)
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                heard = time.monotonic()
                if not isinstance(frame, av.AudioFrame):
                    continue
                sound = self._sound
                if sound is not None:
                    for played in to_speaker.resample(frame):
                        sound.play(bytes(played.planes[0])[: played.samples * 2])
                self._bursts.feed(mono_samples(frame), heard)
                with self._lock:
                    self._audio_received += 1

    async def _watch(self, pc: RTCPeerConnection) -> None:
        """Every 0.25 s: the bytes sent so far, and whether pictures stopped coming."""
        while True:
            await asyncio.sleep(0.25)
            report = await pc.getStats()
            sent = sum(getattr(item, "bytesSent", 0) for item in report.values()
                       if getattr(item, "type", "") == "outbound-rtp")
            stalled = (self._last_frame_at and self.state == "connected"
                       and time.monotonic() - self._last_frame_at > self._stall)
            with self._lock:
                self._bytes_sent = max(self._bytes_sent, sent)
                if stalled:
                    self._interruptions += 1
            if stalled:
                self._set_state("interrupted")

