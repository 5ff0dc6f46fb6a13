"""Capture sources behind the call: a file stands in for the document camera (a PyAV input as a
v4l2 or DirectShow device is), its frames are stamped on the end's clock, and the far end sees
them after the switch."""

from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np
import pytest

from devices.remote.aiortc_call import AiortcRemoteCall, generated_sources
from devices.remote.capture import capture_source, device_format
from devices.remote.media import MediaClock, Stamp, paint_stamp
from kiosk.services.presence import LocalRelay


def _document_video(path: Path, frames: int = 30) -> Path:
    """A short VP8 file of ruled paper with the document camera's stamp in each picture."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libvpx", rate=15)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for n in range(frames):
            luma = np.where((np.arange(480)[:, None] + n) % 32 < 3, 90, 220).astype(np.uint8)
            luma = np.ascontiguousarray(np.broadcast_to(luma, (480, 640)))
            paint_stamp(luma, Stamp("document", n, 0))
            planes = np.concatenate([luma.reshape(-1), np.full(640 * 480 // 2, 128, np.uint8)])
            frame = av.VideoFrame.from_ndarray(planes.reshape(720, 640), format="yuv420p")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


@pytest.mark.parametrize(("kind", "platform", "expected"), [
    ("video", "linux", "v4l2"), ("audio", "linux", "pulse"), ("video", "win32", "dshow")])
def test_device_format__per_platform(kind: str, platform: str, expected: str) -> None:
    assert device_format(kind, platform) == expected


def test_capture_source__no_such_device__an_error_not_a_hang(tmp_path: Path) -> None:
    with pytest.raises((av.FFmpegError, OSError)):
        capture_source(str(tmp_path / "video9"), "video", MediaClock())


@pytest.mark.slow
def test_capture_source__file_as_document_camera__the_far_end_sees_it(tmp_path: Path) -> None:
    document = _document_video(tmp_path / "document.webm")
    sources = generated_sources()
    sources["document"] = lambda clock: capture_source(str(document), "video", clock)
    relay = LocalRelay()
    branch = AiortcRemoteCall(relay, "capture", offering=True, video_sources=sources)
    office = AiortcRemoteCall(relay, "capture", offering=False)
    office.start()
    branch.start()
    try:
        assert office.wait_connected(30)
        branch.switch_video("document")
        deadline = time.monotonic() + 30
        while dict(office.stats().sources_received).get("document", 0) < 20:
            assert time.monotonic() < deadline, office.stats().sources_received
            time.sleep(0.05)
    finally:
        branch.hang_up()
        office.hang_up()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["document.webm"]   # nothing recorded
