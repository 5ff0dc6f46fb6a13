"""Captions of a remote call as the app builds them (``build_remote_captions``), end to end.

A real WebRTC call on 127.0.0.1 between the branch and the main office. The branch's visitor
speaks English (espeak-ng, a WAV file standing in for the branch's microphone); the voice
crosses the call (Opus), the main office's tap hands it to Whisper base in the visitor's
language. The specialist speaks Japanese (Open JTalk, the desk's microphone command ``cat``).
Both lines, translated (the stand-in translator names the route), reach the branch's
conversation through the sealed PostgreSQL channel of the call, and so the branch's screen;
ending the call at the main office wipes them at the branch too.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pair_translator import PairTranslator
from spoken import cer, espeak, open_jtalk, pcm_file, stream, wav_file, wer

from devices.audio.live import LiveCaptioner
from devices.remote import capture
from devices.remote.aiortc_call import AiortcRemoteCall
from devices.remote.sound import NullCallSound
from kiosk.app import build_captioner, build_remote_captions
from kiosk.audit import ListUsage
from kiosk.audit.events import CaptionsUsed, ConversationUsed
from kiosk.config import Config, DeviceConfig, ModelsConfig, RemoteConfig
from kiosk.domain.counter_messages import Party
from kiosk.domain.remote import RemoteTicket, RemoteTicketState
from kiosk.events import EventBus
from kiosk.ports import SystemClock
from kiosk.procedures.catalog import load_catalog
from kiosk.services.presence import LocalRelay
from kiosk.storage.database import open_storage

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

VISITOR = "Where should I go next?"
SPECIALIST = "住民票の写しをお取りしますか。"
BOUND_S = 240          # a bound for a loaded machine (two recognitions on 2 shared cores)


def _wait(condition: object, bound_s: float = BOUND_S) -> bool:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_remote_captions__both_voices_captioned_at_the_office__shown_translated_at_the_branch(
        postgres_server: object, whisper_base: Path, tmp_path: Path) -> None:
    url = str(postgres_server.url(postgres_server.create_database()))  # type: ignore[attr-defined]
    storage = open_storage(url, SystemClock(), auto_upgrade=True)
    branch_mic = wav_file(stream([espeak(VISITOR)], pause_s=1.5), tmp_path / "branch-mic.wav")
    pcm_file(stream([open_jtalk(SPECIALIST)], pause_s=3.0), tmp_path / "specialist.pcm")
    models = tmp_path / "models"
    (models / "stt").mkdir(parents=True)
    (models / "stt" / "whisper").symlink_to(whisper_base)
    config = Config(device=DeviceConfig(role="clerk", services=("A",), data_dir=tmp_path / "data"),
                    models=ModelsConfig(dir=models, captions=True,
                                        microphone=f"cat {tmp_path / 'specialist.pcm'}"),
                    remote=RemoteConfig(kind="aiortc", side="office",
                                        host_addresses=("127.0.0.1",)))
    usage = ListUsage()
    office_captioner = build_captioner(config, EventBus(), load_catalog())   # the desk's own
    assert isinstance(office_captioner, LiveCaptioner)
    make = build_remote_captions(config, storage, SystemClock(), PairTranslator(),
                                 office_captioner, usage, secrets.token_bytes(32))
    ticket = RemoteTicket(1, "A", "豊里総合支所", "en", RemoteTicketState.ACCEPTED,
                          secrets.token_hex(16), datetime.now(UTC))
    signalling = LocalRelay()
    branch = AiortcRemoteCall(signalling, ticket.call_id, offering=True, microphone=lambda clock:
                              capture.capture_source(str(branch_mic), "audio", clock))
    office = AiortcRemoteCall(signalling, ticket.call_id, offering=False)
    office_sound = NullCallSound()
    at_office = make(ticket, office, office_sound)
    at_branch = make(ticket, branch, NullCallSound(), office=False)
    assert at_office.recognising
    assert not at_branch.recognising
    try:
        office.start()
        branch.start()
        assert office.wait_connected(30)
        at_branch.start()
        at_office.start()
        seen = at_branch.conversation

        def said(party: Party) -> list[str]:
            return [line.text for line in seen.lines() if line.party is party]

        # The branch's phrase loops (a file): the first caption may begin mid-phrase.
        assert _wait(lambda: said(Party.CLERK) and len(said(Party.CITIZEN)) >= 2), \
            (said(Party.CLERK), said(Party.CITIZEN))
        shown = seen.lines()
    finally:
        at_office.stop()
        branch.hang_up()
        office.hang_up()
    lines = {line.party: line for line in reversed(shown)}
    assert all(not line.local for line in shown)             # all made at the main office
    specialist, visitor = lines[Party.CLERK], lines[Party.CITIZEN]
    assert cer(SPECIALIST, specialist.text) < 0.25, specialist
    assert specialist.translation == f"<ja->en>{specialist.text}"   # the visitor's language
    assert wer(VISITOR, visitor.text) < 0.4, said(Party.CITIZEN)
    assert visitor.language == "en"
    assert visitor.translation == f"<en->ja>{visitor.text}"
    assert office_sound.samples > 0
    assert office_sound.closed

    # The main office ended the call: the branch's copy went with it; counts only were kept.
    assert _wait(lambda: seen.lines() == (), 10)
    at_branch.stop()
    assert usage.of(CaptionsUsed)
    assert usage.of(ConversationUsed)
    storage.close()
