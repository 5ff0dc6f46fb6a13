"""Captions of the far side of a remote call: the branch's microphone says a counter phrase
(Open JTalk, standing in as a WAV file), it crosses a real WebRTC call (Opus) on 127.0.0.1, the
office's CallVoiceTap hands it to the loudspeaker and to the live captioner (Whisper base),
and the caption matches the phrase; the tap ends with the call."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from spoken import cer, open_jtalk, stream, wav_file

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.remote import capture
from devices.remote.aiortc_call import AiortcRemoteCall
from devices.remote.call_voice import CallVoiceTap
from devices.remote.sound import NullCallSound
from kiosk.ports import Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.caption_vocabulary import counter_vocabulary
from kiosk.services.presence import LocalRelay

pytestmark = pytest.mark.slow

PHRASE = "住民票の写しをお取りしますか。"
BOUND_S = 120          # a bound for a loaded machine (recognition on 2 shared cores), not a timing


def test_the_branchs_voice_is_captioned_at_the_office(whisper_base: Path, tmp_path: Path) -> None:
    said = wav_file(stream([open_jtalk(PHRASE)], pause_s=1.5), tmp_path / "branch-mic.wav")
    relay = LocalRelay()
    branch = AiortcRemoteCall(relay, "captions", offering=True, microphone=lambda clock:
                              capture.capture_source(str(said), "audio", clock))
    office = AiortcRemoteCall(relay, "captions", offering=False)
    loudspeaker = NullCallSound()
    tap = CallVoiceTap(loudspeaker)
    office.listen(tap)
    captioner = LiveCaptioner(tap.open_source, WhisperRecognizer(whisper_base), language="ja")
    captioner.set_vocabulary(counter_vocabulary(load_catalog(), ["juminhyo"]))   # as at a counter
    heard: list[Utterance] = []
    office.start()
    branch.start()
    try:
        assert office.wait_connected(30)
        captioner.start(heard.append)
        deadline = time.monotonic() + BOUND_S
        # The phrase repeats (the file loops): the first caption may begin mid-phrase, as when
        # captions are switched on during a call; the second is a whole one.
        while len(heard) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        captioner.stop()
        branch.hang_up()
        office.hang_up()
    assert len(heard) >= 2, "no whole caption of the branch's voice"
    assert cer(PHRASE, heard[1].text) < 0.25, [u.text for u in heard]
    assert loudspeaker.samples > 0                                 # heard too
    assert loudspeaker.closed                                      # and ended with the call
    assert tap.closed
    assert tap.open_source().read() is None                        # nothing after the end
