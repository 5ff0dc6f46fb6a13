"""The branch's voice in a remote call is the visitor's (their language) or the branch clerk's
(Japanese): Whisper's language identification, restricted to those two, reads each utterance
in its own language; the clerk's Japanese becomes a Japanese line translated for the visitor.

The speech is the caption tests' (espeak-ng for English, Open JTalk for Japanese).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from pair_translator import PairTranslator
from spoken import cer, espeak, open_jtalk, pcm_file, stream, wav_file, wer

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.audio.sources import ArraySource
from devices.remote import capture
from devices.remote.aiortc_call import AiortcRemoteCall
from devices.remote.sound import NullCallSound
from kiosk.app import build_captioner, build_remote_captions
from kiosk.audit import ListUsage
from kiosk.config import Config, DeviceConfig, ModelsConfig, RemoteConfig
from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket, RemoteTicketState
from kiosk.events import EventBus
from kiosk.ports import SystemClock, Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.caption_vocabulary import counter_vocabulary
from kiosk.services.presence import LocalRelay
from kiosk.storage.database import open_storage

pytestmark = pytest.mark.slow

VISITOR = "Where should I go next?"
CLERK = "住民票の写しをお取りしますか。"
BOUND_S = 240


def test_live_captions__english_then_japanese__each_read_in_its_own_language(whisper_base: Path) -> None:
    said = stream([espeak(VISITOR), open_jtalk(CLERK), espeak("Thank you very much.")], pause_s=1.0)
    captioner = LiveCaptioner(lambda: ArraySource(said), WhisperRecognizer(whisper_base),
                              language="en", languages=("en", "ja"))
    captioner.set_vocabulary(counter_vocabulary(load_catalog(), ["juminhyo"]))   # for Japanese
    heard: list[Utterance] = []
    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=300)
    captioner.stop()

    assert [u.language for u in heard] == ["en", "ja", "en"], heard
    assert wer(VISITOR, heard[0].text) < 0.3, heard[0].text
    assert cer(CLERK, heard[1].text) < 0.25, heard[1].text
    # Read in the visitor's language only (before), the Japanese came out as English words.
    only_english = WhisperRecognizer(whisper_base).transcribe(open_jtalk(CLERK), "en")
    assert cer(CLERK, only_english) > 0.5, only_english


def test_recognizer__silence__nothing_in_the_first_language(whisper_base: Path) -> None:
    assert WhisperRecognizer(whisper_base).transcribe_in(
        np.zeros(16_000, dtype=np.float32), ("en", "ja")) == ("", "en")


def _wait(condition: object, bound_s: float = BOUND_S) -> bool:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.mark.postgres
def test_remote_call__branch_visitor_english_and_branch_clerk_japanese__both_captioned(
        postgres_server: object, whisper_base: Path, tmp_path: Path) -> None:
    url = str(postgres_server.url(postgres_server.create_database()))  # type: ignore[attr-defined]
    storage = open_storage(url, SystemClock(), auto_upgrade=True)
    # The branch's microphone: the visitor asks in English, the branch's clerk answers in
    # Japanese (a file standing in, looped). The specialist says nothing (a second of silence).
    branch_mic = wav_file(stream([espeak(VISITOR), open_jtalk(CLERK)], pause_s=1.5),
                          tmp_path / "branch-mic.wav")
    pcm_file(np.zeros(16_000, dtype=np.float32), tmp_path / "specialist.pcm")
    models = tmp_path / "models"
    (models / "stt").mkdir(parents=True)
    (models / "stt" / "whisper").symlink_to(whisper_base)
    config = Config(device=DeviceConfig(role="clerk", services=("A",), data_dir=tmp_path / "data"),
                    models=ModelsConfig(dir=models, captions=True,
                                        microphone=f"cat {tmp_path / 'specialist.pcm'}"),
                    remote=RemoteConfig(kind="aiortc", side="office", host_addresses=("127.0.0.1",)))
    office_captioner = build_captioner(config, EventBus(), load_catalog())
    assert isinstance(office_captioner, LiveCaptioner)
    make = build_remote_captions(config, storage, SystemClock(), PairTranslator(),
                                 office_captioner, ListUsage(), secrets.token_bytes(32))
    ticket = RemoteTicket(1, "A", "豊里総合支所", "en", RemoteTicketState.ACCEPTED,
                          secrets.token_hex(16), datetime.now(UTC))
    signalling = LocalRelay()
    branch = AiortcRemoteCall(signalling, ticket.call_id, offering=True, microphone=lambda clock:
                              capture.capture_source(str(branch_mic), "audio", clock))
    office = AiortcRemoteCall(signalling, ticket.call_id, offering=False)
    at_office = make(ticket, office, NullCallSound())
    try:
        office.start()
        branch.start()
        assert office.wait_connected(30)
        at_office.start()
        seen = at_office.conversation

        def said(party: Party) -> list[str]:
            return [line.text for line in seen.lines() if line.party is party]

        # The phrases loop (a file): the first caption may begin mid-phrase.
        assert _wait(lambda: len(said(Party.CLERK)) >= 2 and len(said(Party.CITIZEN)) >= 2), \
            (said(Party.CLERK), said(Party.CITIZEN))
        shown = seen.lines()
    finally:
        at_office.stop()
        branch.hang_up()
        office.hang_up()
        storage.close()
    clerk = [line for line in shown if line.party is Party.CLERK]
    visitor = [line for line in shown if line.party is Party.CITIZEN]
    assert min(cer(CLERK, line.text) for line in clerk) < 0.25, [line.text for line in clerk]
    assert all(line.language == "ja" for line in clerk)
    assert clerk[-1].translation == f"<ja->en>{clerk[-1].text}"      # for the visitor
    assert min(wer(VISITOR, line.text) for line in visitor) < 0.4, [line.text for line in visitor]
    assert all(line.language == "en" for line in visitor)
    assert visitor[-1].translation == f"<en->ja>{visitor[-1].text}"
