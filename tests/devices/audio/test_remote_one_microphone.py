"""The main office's microphone is opened once during a call: the call captures it and the
specialist's captioner hears that same capture (a raw ALSA device cannot be opened twice).

Both ends are made by the composition root (``build_remote``: the call's capture from
``[remote] microphone``; ``build_remote_captions``: who recognises what) and talk over the
shared PostgreSQL. The recogniser is a stand-in that only says it heard something, so the
test is about the capture, not about Whisper (``test_remote_call_captions`` is).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from spoken import open_jtalk, stream, wav_file

from devices.audio import sources
from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.remote import capture
from devices.remote.sound import NullCallSound
from kiosk.app import build_remote, build_remote_captions
from kiosk.audit import ListUsage
from kiosk.config import Config, DeviceConfig, ModelsConfig, RemoteConfig
from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket, RemoteTicketState
from kiosk.ports import SystemClock
from kiosk.storage.database import open_storage

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

BOUND_S = 60


class HeardRecognizer:
    """Stands in for Whisper: every voiced chunk is "聞こえました"; counts the seconds heard."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(self, samples: np.ndarray, language: str, **_options: Any) -> str:
        self.seconds += len(samples) / 16_000
        return "聞こえました" if float(np.max(np.abs(samples), initial=0.0)) > 0.05 else ""


def _wait(condition: Any, bound_s: float = BOUND_S) -> bool:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_office_microphone__opened_once_by_the_call__heard_by_the_far_side_and_the_captioner(
        postgres_server: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(postgres_server.url(postgres_server.create_database()))  # type: ignore[attr-defined]
    storage = open_storage(url, SystemClock(), auto_upgrade=True)
    desk_microphone = wav_file(stream([open_jtalk("住民票の写しをお取りしますか。")], pause_s=1.5),
                               tmp_path / "desk-microphone.wav")
    opened: list[str] = []
    real_capture, real_command = capture.capture_source, sources.CommandSource

    def counted_capture(name: str, kind: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(f"{kind}:{Path(name).name}")
        return real_capture(name, kind, *args, **kwargs)

    def counted_command(*args: Any, **kwargs: Any) -> Any:
        opened.append("command")
        return real_command(*args, **kwargs)

    monkeypatch.setattr(capture, "capture_source", counted_capture)
    monkeypatch.setattr(sources, "CommandSource", counted_command)

    def config(side: str, microphone: str) -> Config:
        return Config(device=DeviceConfig(role="clerk", services=("A",), data_dir=tmp_path / side,
                                          counter="豊里総合支所"),
                      # the desk's own captions command: a second opening of the microphone
                      models=ModelsConfig(captions=True, microphone=f"cat {desk_microphone}"),
                      remote=RemoteConfig(kind="aiortc", side=side,  # type: ignore[arg-type]
                                          host_addresses=("127.0.0.1",), microphone=microphone))

    key, usage, clock = secrets.token_bytes(32), ListUsage(), SystemClock()
    office_config = config("office", str(desk_microphone))
    _, open_office = build_remote(office_config, storage, clock, usage, key)
    _, open_branch = build_remote(config("branch", ""), storage, clock, usage, key)
    assert open_office is not None
    assert open_branch is not None
    recognizer = HeardRecognizer()
    desk_captioner = LiveCaptioner(lambda: sources.ArraySource(np.zeros(1, dtype=np.float32)),
                                   cast(WhisperRecognizer, recognizer))
    make = build_remote_captions(office_config, storage, clock, None, desk_captioner, usage, key)
    ticket = RemoteTicket(1, "A", "豊里総合支所", "ja", RemoteTicketState.ACCEPTED,
                          secrets.token_hex(16), datetime.now(UTC))
    office, branch = open_office(ticket), open_branch(ticket)
    captions = make(ticket, office, NullCallSound())
    heard_at_branch = NullCallSound()
    branch.listen(heard_at_branch)
    try:
        office.start()
        branch.start()
        assert office.wait_connected(BOUND_S)
        captions.start()

        def specialist_lines() -> list[str]:
            return [line.text for line in captions.conversation.lines() if line.party is Party.CLERK]

        assert _wait(lambda: specialist_lines() and branch.stats().audio_frames_received > 100), \
            (specialist_lines(), branch.stats())
    finally:
        captions.stop()
        branch.hang_up()
        office.hang_up()
        storage.close()
    assert opened == ["audio:desk-microphone.wav"]       # once, by the call; no capture command
    assert heard_at_branch.samples > 0                   # the same capture crossed the call
    assert recognizer.seconds > 1.0
