"""Real recognition through the live pipeline: synthesized speech -> chunks -> Whisper base.

Japanese comes from Open JTalk (pyopenjtalk-plus), English from espeak-ng
(tests/support/spoken.py); the phrases are joined with pauses into one stream, as a clerk
would speak them, and the captions must match
within a character error rate under 20 % (Japanese) and a word error rate under 15 % (English).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from spoken import cer, espeak, open_jtalk, stream, wer

from devices.audio.live import LiveCaptioner
from devices.audio.recognizer import WhisperRecognizer
from devices.audio.sources import ArraySource
from kiosk.ports import Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.caption_vocabulary import counter_vocabulary

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
    heard = recognise(whisper_base, stream([open_jtalk(t) for t in JAPANESE]), "ja", terms)

    assert len(heard) == len(JAPANESE), heard
    assert cer("".join(JAPANESE), "".join(heard)) < 0.20, heard


def test_live_captions__english_phrases__wer_under_15_percent(whisper_base: Path) -> None:
    heard = recognise(whisper_base, stream([espeak(t) for t in ENGLISH]), "en", [])

    assert len(heard) == len(ENGLISH), heard
    assert wer(" ".join(ENGLISH), " ".join(heard)) < 0.15, heard
