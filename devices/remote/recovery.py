"""Getting the picture back after a branch line dropped for a moment.

aiortc's video jitter buffer hands frames to the decoder in sequence order and waits at the
first missing packet until it is resent (NACK) or until 512 packets have piled up behind it.
After a cut of 2 s the packets sent during the cut are gone for good (the sender keeps the
last 128, the requests for them were lost too), so the picture stayed frozen for another
4 s or more after the line came back, while the voice had long recovered.

:class:`SkippingJitterBuffer` gives up on a hole once ``give_up`` packets are waiting behind
it (far more than a resend takes on a LAN, or on a branch line with 100 ms of delay): it
moves on to the newest frame that starts whole and asks the sender for a key frame (a PLI),
which aiortc sends when ``add`` says so.
"""

from __future__ import annotations

from aiortc import RTCPeerConnection
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket

__all__ = ["SkippingJitterBuffer", "install"]

_VIDEO_CAPACITY = 512        # aiortc's own for video
GIVE_UP_PACKETS = 48         # ~0.8 s of VP8 at 500 kbit/s; a resend on the LAN takes < 0.05 s


class SkippingJitterBuffer(JitterBuffer):
    """aiortc's video jitter buffer that skips a hole nobody will fill any more."""

    def __init__(self, give_up: int = GIVE_UP_PACKETS) -> None:
        super().__init__(capacity=_VIDEO_CAPACITY, is_video=True)
        self.give_up = give_up
        self.skipped = 0

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        """Add ``packet``; the next whole frame, and whether to ask for a key frame."""
        pli, frame = super().add(packet)
        if frame is not None or self._origin is None:
            return pli, frame
        if sum(1 for slot in self._packets if slot is not None) < self.give_up:
            return pli, frame             # a hole a resend may still fill, or no hole at all
        start = self._latest_frame_start()
        if start is None:
            return pli, frame
        # What waited behind the hole is old by now and decodes wrong without what was lost:
        # go to the newest frame and ask for a key frame.
        self.remove(start)
        self.skipped += 1
        return True, self._remove_frame(packet.sequence_number)

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


def install(pc: RTCPeerConnection) -> int:
    """Give every video receiver of ``pc`` a :class:`SkippingJitterBuffer` (before media flows);
    how many got one."""
    installed = 0
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            # aiortc has no setting for it: its private attribute, pinned by aiortc < 2.
            transceiver.receiver._RTCRtpReceiver__jitter_buffer = SkippingJitterBuffer()  # type: ignore[attr-defined]
            installed += 1
    return installed
