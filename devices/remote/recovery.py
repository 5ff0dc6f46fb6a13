"""Getting the picture and the voice back after a branch line lost packets.

aiortc's video jitter buffer hands frames to the decoder in sequence order and waits at the
first missing packet until it is resent (NACK) or until 512 packets have piled up behind it.
After a cut of 2 s the packets sent during the cut are gone for good (the sender keeps the
last 128, the requests for them were lost too), so the picture stayed frozen for another
4 s or more after the line came back, while the voice had long recovered.

:class:`SkippingJitterBuffer` gives up on a hole once ``give_up`` packets are waiting behind
it (far more than a resend takes on a LAN, or on a branch line with 100 ms of delay), or once
:data:`GIVE_UP_S` of video is waiting (a thin line's packets are few): it moves on to the
newest frame that starts whole and asks the sender for a key frame (a PLI), which aiortc sends
when ``add`` says so.
"""

from __future__ import annotations

from aiortc import RTCPeerConnection
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket

__all__ = ["SkippingAudioBuffer", "SkippingJitterBuffer", "install"]

# ~0.4 s of VP8 at 500 kbit/s: a resend takes < 0.05 s on the LAN, 0.2 s on a line with 100 ms
# of delay; aiortc asks for a lost packet once, so a lost request or resend is never repaired.
GIVE_UP_PACKETS = 24
# On a thin line 24 packets are seconds of video (at 130 kbit/s, 7.5 frames a second, ~3 s):
# a hole with this much video behind it is given up too.
GIVE_UP_S = 0.5
_VIDEO_CLOCK = 90_000
GIVE_UP_AUDIO = 2            # 40 ms: audio is never resent, a hole is final once passed


class SkippingJitterBuffer(JitterBuffer):
    """aiortc's video jitter buffer that skips a hole nobody will fill any more."""

    def __init__(self, give_up: int = GIVE_UP_PACKETS) -> None:
        super().__init__(capacity=512, is_video=True)          # aiortc's own for video
        self.give_up = give_up
        self.skipped = 0

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        """Add ``packet``; the next whole frame, and whether to ask for a key frame."""
        pli, frame = super().add(packet)
        if frame is not None or self._origin is None:
            return pli, frame
        if sum(1 for slot in self._packets if slot is not None) < self.give_up \
                and self._behind_s(packet) < GIVE_UP_S:
            return pli, frame             # a hole a resend may still fill, or no hole at all
        start = self._latest_frame_start()
        if start is None:
            return pli, frame
        # What waited behind the hole is old by now and decodes wrong without what was lost:
        # go to the newest frame and ask for a key frame.
        self.remove(start)
        self.skipped += 1
        return True, self._remove_frame(packet.sequence_number)

    def _behind_s(self, packet: RtpPacket) -> float:
        """How much video, in seconds, ``packet`` is ahead of the oldest one waiting."""
        assert self._origin is not None
        for count in range(self._capacity):
            oldest = self._packets[(self._origin + count) % self._capacity]
            if oldest is not None:
                ahead = (packet.timestamp - oldest.timestamp) & 0xFFFFFFFF
                return ahead / _VIDEO_CLOCK if ahead < 1 << 31 else 0.0
        return 0.0

    def _latest_frame_start(self) -> int | None:
        """How many slots from the origin the newest frame begins that follows a whole frame's
        last packet (its marker bit): the newest point the decoder can go on from."""
        assert self._origin is not None
        latest = None
        previous: RtpPacket | None = None
        for count in range(self._capacity):
            slot = self._packets[(self._origin + count) % self._capacity]
            if slot is not None and previous is not None and previous.marker:
                latest = count
            previous = slot
        return latest


class SkippingAudioBuffer(JitterBuffer):
    """aiortc's audio jitter buffer that steps over a lost packet.

    aiortc's waits at a lost packet until 16 packets (320 ms) have piled up, then drops only
    enough to fit: each loss left the voice 300 ms later than before (1 % loss made it 400 ms
    late in 10 s). Audio is never resent, so once ``give_up`` later packets are here the hole
    is final: the next packet plays (a 20 ms gap, as a real phone has).
    """

    def __init__(self, give_up: int = GIVE_UP_AUDIO) -> None:
        super().__init__(capacity=16, prefetch=4)               # aiortc's own for audio
        self.give_up = give_up
        self.skipped = 0

    def _remove_frame(self, sequence_number: int) -> JitterFrame | None:
        # aiortc's own, but a hole with ``give_up`` packets behind it is passed over. A lost
        # packet is a lost 20 ms frame: it counts towards the prefetch as if it had played,
        # else every loss would leave the voice a frame later for the rest of the call.
        assert self._origin is not None
        frame, frames, remove, holes = None, 0, 0, 0
        packets: list[RtpPacket] = []
        timestamp = None
        for count in range(self._capacity):
            packet = self._packets[(self._origin + count) % self._capacity]
            if packet is not None and timestamp is not None and packet.timestamp == timestamp:
                packets.append(packet)
                continue
            if timestamp is not None:                 # the frame so far is whole
                if frame is None:
                    frame = JitterFrame(data=b"".join(p._data for p in packets),  # type: ignore[attr-defined]
                                        timestamp=timestamp)
                    remove = count
                frames += 1
            if packet is None:
                if self._present_after(count) < self.give_up:
                    break
                if frame is not None:
                    frames += 1                       # the lost frame's time
                holes += 0 if frame else 1
                timestamp = None
                packets = []
            else:
                timestamp, packets = packet.timestamp, [packet]
            if frame is not None and frames >= self._prefetch:
                self.remove(remove)
                self.skipped += holes
                return frame
        return None

    def _present_after(self, count: int) -> int:
        assert self._origin is not None
        return sum(1 for later in range(count + 1, self._capacity)
                   if self._packets[(self._origin + later) % self._capacity] is not None)


def install(pc: RTCPeerConnection) -> int:
    """Give every receiver of ``pc`` a skipping jitter buffer (before media flows); how many
    got one."""
    installed = 0
    for transceiver in pc.getTransceivers():
        buffer = SkippingJitterBuffer() if transceiver.kind == "video" else SkippingAudioBuffer()
        # aiortc has no setting for it: its private attribute, pinned by aiortc < 2.
        transceiver.receiver._RTCRtpReceiver__jitter_buffer = buffer  # type: ignore[attr-defined]
        installed += 1
    return installed
