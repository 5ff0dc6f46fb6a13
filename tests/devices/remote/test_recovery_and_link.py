"""After lost packets the jitter buffers move on; the link relay carries, delays and cuts UDP
between two ends and points each end's session description at itself."""

from __future__ import annotations

import socket
import time

import pytest
from aiortc.rtp import RtpPacket

from devices.remote.link import LinkRelay, ProxiedChannel
from devices.remote.recovery import SkippingAudioBuffer, SkippingJitterBuffer
from kiosk.services.presence import LocalRelay


def _packet(sequence: int, timestamp: int, *, marker: bool = False) -> RtpPacket:
    packet = RtpPacket(payload_type=97, marker=int(marker), sequence_number=sequence,
                       timestamp=timestamp, payload=b"x")
    packet._data = bytes([sequence % 256])  # type: ignore[attr-defined]  # as aiortc's depayloader sets
    return packet


def _video_frames(buffer: SkippingJitterBuffer, first_sequence: int, frames: range,
                  lost: set[int]) -> list[tuple[bool, int | None]]:
    """Feed frames of 3 packets each (the last marked); what came out: (pli, timestamp)."""
    out = []
    sequence = first_sequence
    for frame in frames:
        for part in range(3):
            if sequence not in lost:
                pli, done = buffer.add(_packet(sequence, frame * 3000, marker=part == 2))
                out.append((pli, done.timestamp if done else None))
            sequence += 1
    return out


def test_video_buffer__no_loss__frames_in_order_no_key_frame_asked() -> None:
    out = _video_frames(SkippingJitterBuffer(give_up=8), 100, range(10), set())
    assert [t for _, t in out if t is not None] == [frame * 3000 for frame in range(9)]
    assert not any(pli for pli, _ in out)


def test_video_buffer__hole_never_filled__moves_on_and_asks_for_a_key_frame() -> None:
    buffer = SkippingJitterBuffer(give_up=8)
    out = _video_frames(buffer, 100, range(12), lost={104})       # frame 1's middle packet
    delivered = [t for _, t in out if t is not None]
    assert delivered[0] == 0
    assert 3000 not in delivered                                   # the broken frame is not decoded
    assert delivered[-1] == 10 * 3000                              # and newer frames flow again
    assert any(pli for pli, _ in out)
    assert buffer.skipped == 1


def test_video_buffer__hole_filled_by_a_resend__nothing_skipped() -> None:
    buffer = SkippingJitterBuffer(give_up=8)
    out = _video_frames(buffer, 100, range(3), lost={104})
    pli, frame = buffer.add(_packet(104, 3000))                    # the resend (NACK) arrives
    out += _video_frames(buffer, 109, range(3, 5), set())
    delivered = [t for _, t in out if t is not None] + ([frame.timestamp] if frame else [])
    assert sorted(delivered) == [0, 3000, 6000, 9000]
    assert buffer.skipped == 0
    assert not pli


def _play(buffer: object, packets: int, lost: set[int]) -> list[int]:
    played = []
    for sequence in range(packets):
        if sequence in lost:
            continue                                               # lost: audio is never resent
        _, frame = buffer.add(_packet(sequence % 65536, sequence * 960))  # type: ignore[attr-defined]
        if frame is not None:
            played.append(frame.timestamp // 960)
    return played


def test_audio_buffer__lost_packet__later_ones_play_without_waiting_for_a_full_buffer() -> None:
    buffer = SkippingAudioBuffer(give_up=2)
    played = _play(buffer, 20, {5})
    # aiortc's own buffer would have held everything from 5 on until 16 packets piled up.
    assert played == [n for n in range(15) if n != 5]
    assert buffer.skipped == 1


def test_audio_buffer__a_loss_every_6th_packet__the_voice_does_not_fall_behind() -> None:
    lags = []
    for packets in (300, 3000):
        lost = {n for n in range(packets) if n % 6 == 5}
        played = _play(SkippingAudioBuffer(give_up=2), packets, lost)
        assert played == sorted(played)
        assert not lost & set(played)
        lags.append(packets - 1 - played[-1])
    assert lags[0] == lags[1]                     # a loss does not add to the delay for good
    assert lags[0] <= 8                           # prefetch 4 and a few frames in flight


OFFER = ("v=0\r\nm=video 50000 UDP/TLS/RTP/SAVPF 97\r\nc=IN IP4 127.0.0.1\r\n"
         "a=candidate:abc 1 udp 2130706431 127.0.0.1 50000 typ host\r\n"
         "m=audio 50002 UDP/TLS/RTP/SAVPF 96\r\n"
         "a=candidate:abc 1 udp 2130706431 127.0.0.1 50002 typ host\r\n")


@pytest.fixture
def link() -> LinkRelay:
    relay = LinkRelay()
    relay.start()
    yield relay  # type: ignore[misc]
    relay.close()


def test_proxied_channel__candidates_name_the_relay(link: LinkRelay) -> None:
    relay, seen = LocalRelay(), []
    relay.subscribe(seen.append)
    ProxiedChannel(relay, link, "offer").publish({"type": "remote", "sdp": OFFER})
    face = link.ports["offer"]
    assert seen[0]["sdp"].count(f"127.0.0.1 {face} typ host") == 2
    assert "50000 typ" not in seen[0]["sdp"]
    ProxiedChannel(relay, link, "answer").publish({"type": "remote", "kind": "bye", "sdp": ""})
    assert seen[1]["kind"] == "bye"


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    return sock


def test_link_relay__carries_both_ways_from_the_faces_and_cuts(link: LinkRelay) -> None:
    offer_end, answer_end = _socket(), _socket()
    with offer_end, answer_end:
        offer_face = link.learn("offer", offer_end.getsockname())
        answer_face = link.learn("answer", answer_end.getsockname())
        answer_end.sendto(b"to the branch", ("127.0.0.1", offer_face))
        data, sender = offer_end.recvfrom(100)
        assert (data, sender) == (b"to the branch", ("127.0.0.1", answer_face))
        offer_end.sendto(b"to the office", ("127.0.0.1", answer_face))
        data, sender = answer_end.recvfrom(100)
        assert (data, sender) == (b"to the office", ("127.0.0.1", offer_face))
        link.cut(30)
        offer_end.sendto(b"lost", ("127.0.0.1", answer_face))
        answer_end.settimeout(0.3)
        with pytest.raises(TimeoutError):
            answer_end.recvfrom(100)
        deadline = time.monotonic() + 5
        while link.dropped < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert link.dropped == 1
        assert link.forwarded == 2
