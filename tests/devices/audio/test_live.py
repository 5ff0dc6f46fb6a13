"""The live captioner's threads with a stand-in recognizer (real recognition: test_recognition)."""

from __future__ import annotations

import numpy as np
import pytest

from devices.audio.live import LiveCaptioner
from devices.audio.sources import ArraySource
from devices.audio.vad import SAMPLE_RATE
from kiosk.errors import DeviceError
from kiosk.ports import Utterance


class StandIn:
    def __init__(self, fail_on: int = -1) -> None:
        self.calls: list[tuple[int, str, str]] = []
        self.fail_on = fail_on

    def transcribe(self, samples: np.ndarray, language: str, *, prompt: str = "",
                   hotwords: str = "", task: str = "transcribe") -> str:
        self.calls.append((len(samples), language, prompt))
        if len(self.calls) - 1 == self.fail_on:
            raise DeviceError("Speech recognition failed: {reason}.", reason="test")
        return f"line {len(self.calls)}"

    def probe(self) -> list[object]:
        return []


def tones(count: int) -> np.ndarray:
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
    return np.concatenate([pause] + [np.concatenate([tone, pause]) for _ in range(count)])


@pytest.mark.parametrize(("count", "fail_on", "expected"), [
    (3, -1, ["line 1", "line 2", "line 3"]),
    (3, 1, ["line 1", "line 3"]),          # one failed chunk does not stop the captions
    (0, -1, []),
])
def test_live_captioner__utterances__each_recognised_and_published(
        count: int, fail_on: int, expected: list[str]) -> None:
    recognizer = StandIn(fail_on)
    captioner = LiveCaptioner(lambda: ArraySource(tones(count)), recognizer,  # type: ignore[arg-type]
                              language="ja")
    captioner.set_vocabulary(["住民票の写し", "印鑑登録証明書"])
    heard: list[Utterance] = []

    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=30)
    captioner.stop()

    assert [u.text for u in heard] == expected
    assert all(call[1:] == ("ja", "住民票の写し、印鑑登録証明書。") for call in recognizer.calls)
    assert all(1.0 <= u.audio_s <= 1.5 for u in heard)


def test_live_captioner__stop_then_start__reopens_the_source() -> None:
    opened = []

    def open_source() -> ArraySource:
        opened.append(1)
        return ArraySource(tones(1))

    captioner = LiveCaptioner(open_source, StandIn())  # type: ignore[arg-type]
    for _ in range(2):
        captioner.start(lambda u: None)
        captioner.wait_until_drained(timeout=30)
        captioner.stop()

    assert len(opened) == 2
    assert not captioner.listening


def _speech_with_pause(pause_s: float) -> np.ndarray:
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    return np.concatenate([np.zeros(SAMPLE_RATE // 2, dtype=np.float32), tone,
                           np.zeros(int(pause_s * SAMPLE_RATE), dtype=np.float32), tone,
                           np.zeros(SAMPLE_RATE, dtype=np.float32)])


@pytest.mark.parametrize(("pause_s", "utterances"), [
    (0.3, 1),     # pause inside a sentence: the guess on the first half is discarded
    (1.0, 2),     # real end: each guess becomes the caption, recognised once
])
def test_live_captioner__speaker_pauses__guesses_never_published_stale(
        pause_s: float, utterances: int) -> None:
    recognizer = StandIn()
    captioner = LiveCaptioner(  # paced at real time, so tentative chunks get recognised early
        lambda: ArraySource(_speech_with_pause(pause_s), realtime=True),
        recognizer)  # type: ignore[arg-type]
    heard: list[Utterance] = []

    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=30)
    captioner.stop()

    assert len(heard) == utterances
    assert heard[-1].text == f"line {len(recognizer.calls)}"
    if utterances == 1:
        assert heard[0].audio_s > 2.0 + pause_s
    else:
        assert len(recognizer.calls) == utterances     # the final chunk reused its guess
