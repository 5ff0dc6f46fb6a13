"""Real recognition through the live pipeline: synthesized speech -> chunks -> Whisper base.

Japanese comes from Open JTalk (pyopenjtalk-plus), English from espeak-ng; the phrases are
joined with pauses into one stream, as a clerk would speak them, and the captions must match
within a character error rate under 20 % (Japanese) and a word error rate under 15 % (English).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import wave
from pathlib import Path

import numpy as np
import pytest

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.audio.sources import ArraySource, read_wav, resample
from devices.audio.vad import SAMPLE_RATE
from kiosk.ports import Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.captions import counter_vocabulary

pytestmark = pytest.mark.slow

JAPANESE = [
    "住民票の写しをお取りしますか。",
    "マイナンバーカードをお持ちですか。",
    "こちらの番号札をお持ちになってお待ちください。",
    "印鑑登録証明書の交付申請ですね。",
    "本人確認書類を拝見します。",
]
ENGLISH = [
    "Please take a number and wait here.",
    "Do you have your residence card with you?",
    "The certificate will be ready in ten minutes.",
    "Please sign at the bottom of this form.",
]


def japanese_speech(text: str) -> np.ndarray:
    import pyopenjtalk

    samples, rate = pyopenjtalk.tts(text)
    return resample((np.asarray(samples) / 32768.0).astype(np.float32), rate)


def english_speech(text: str, folder: Path) -> np.ndarray:
    path = folder / "en.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
    with wave.open(str(path)) as wav:
        assert wav.getnframes() > 0
    return read_wav(path)


def stream(phrases: list[np.ndarray]) -> np.ndarray:
    pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
    return np.concatenate([pause, *[np.concatenate([p, pause]) for p in phrases]])


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def normalise_ja(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    return [c for c in text if not unicodedata.category(c).startswith(("P", "Z")) and c.strip()]


def normalise_en(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def recognise(model: Path, samples: np.ndarray, language: str, terms: list[str]) -> list[str]:
    captioner = LiveCaptioner(lambda: ArraySource(samples), WhisperRecognizer(model),
                              language=language)
    captioner.set_vocabulary(terms)
    heard: list[Utterance] = []
    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=300)
    captioner.stop()
    return [u.text for u in heard]


def test_live_captions__japanese_counter_phrases__cer_under_20_percent(whisper_base: Path) -> None:
    terms = counter_vocabulary(load_catalog(), ["juminhyo", "inkan_shomei"])
    heard = recognise(whisper_base, stream([japanese_speech(t) for t in JAPANESE]), "ja", terms)
    reference = normalise_ja("".join(JAPANESE))
    hypothesis = normalise_ja("".join(heard))

    cer = edit_distance(reference, hypothesis) / len(reference)
    assert len(heard) == len(JAPANESE), heard
    assert cer < 0.20, (cer, heard)


def test_live_captions__english_phrases__wer_under_15_percent(whisper_base: Path,
                                                              tmp_path: Path) -> None:
    heard = recognise(whisper_base, stream([english_speech(t, tmp_path) for t in ENGLISH]), "en",
                      [])
    reference = normalise_en(" ".join(ENGLISH))
    hypothesis = normalise_en(" ".join(heard))

    wer = edit_distance(reference, hypothesis) / len(reference)
    assert len(heard) == len(ENGLISH), heard
    assert wer < 0.15, (wer, heard)
