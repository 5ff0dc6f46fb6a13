"""Captions as the app builds them: ``build_captioner`` and ``build_visitor_speech`` on the
real Whisper base model, fed through the configured capture command (``cat`` of synthesized
speech), with the counter's vocabulary the app gives them.

Short utterances (digits, yes/no, single words) in several voices and speeds check that the
short window neither loops nor drops them; the text is asserted, never the timing
(bench/bench_captions.py prints the latencies).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pair_translator import PairTranslator
from spoken import (
    ENGLISH_VOICES,
    JAPANESE_VOICES,
    cer,
    english_words,
    espeak,
    japanese_chars,
    open_jtalk,
    pcm_file,
    stream,
    wer,
)

from devices.audio.live import LiveCaptioner
from devices.audio.visitor_listener import VisitorListener
from kiosk.app import build_captioner, build_visitor_speech
from kiosk.config import Config, DeviceConfig, ModelsConfig
from kiosk.domain.counter_messages import Party
from kiosk.events import EventBus
from kiosk.ports import SystemClock, Utterance
from kiosk.procedures.catalog import load_catalog
from kiosk.services.conversation import Conversation

pytestmark = pytest.mark.slow

COUNTER_PHRASES = [
    "住民票の写しをお取りしますか。",
    "マイナンバーカードをお持ちですか。",
    "こちらの番号札をお持ちになってお待ちください。",
    "印鑑登録証明書の交付申請ですね。",
    "本人確認書類を拝見します。",
]
# Said by the clerk: what Whisper base may write for each (digits as digits or kanji).
JAPANESE_SHORT = {
    "はい": {"はい"}, "いち": {"1", "一"}, "さん": {"3", "三"}, "ろく": {"6", "六"},
    "いち に さん": {"123", "一二三"}, "ありがとうございます": {"ありがとうございます"},
    "わかりました": {"わかりました", "分かりました"},
    "お願いします": {"お願いします", "おねがいします"},
    "大丈夫です": {"大丈夫です"}, "住民票": {"住民票"}, "印鑑": {"印鑑"},
    "ふたつ": {"2つ", "二つ"}, "そうです": {"そうです"}, "ちがいます": {"違います", "ちがいます"},
}   # not "はい、そうです": the pause at the comma makes it two utterances
ENGLISH_SHORT = ["one", "two", "four", "eight", "no", "okay", "thank you", "hello",
                 "one two three", "seven eight", "four four", "twenty", "hundred", "sorry",
                 "passport", "correct", "right", "wait"]


@pytest.fixture
def app_config(tmp_path: Path, whisper_base: Path) -> Config:
    """A clerk PC of service A with the test model installed and both microphones as files."""
    models = tmp_path / "models"
    (models / "stt").mkdir(parents=True)
    (models / "stt" / "whisper").symlink_to(whisper_base)
    return Config(device=DeviceConfig(role="clerk", services=("A",), data_dir=tmp_path / "data"),
                  models=ModelsConfig(dir=models, captions=True,
                                      microphone=f"cat {tmp_path / 'clerk.pcm'}",
                                      visitor_microphone=f"cat {tmp_path / 'visitor.pcm'}"))


def captions_of(captioner: LiveCaptioner) -> list[str]:
    heard: list[Utterance] = []
    captioner.start(heard.append)
    captioner.wait_until_drained(timeout=600)
    captioner.stop()
    return [u.text for u in heard]


def test_build_captioner__model_installed__vocabulary_of_desk_city_and_visit(
        app_config: Config) -> None:
    events, catalog = EventBus(), load_catalog()
    conversation = Conversation(events, SystemClock(), None)
    captioner = build_captioner(app_config, events, catalog)
    assert isinstance(captioner, LiveCaptioner)
    desk = captioner.vocabulary

    conversation.set_procedures(["kokuho"])
    visit = captioner.vocabulary
    conversation.clear()

    assert {"登米市", "迫町", "佐沼", "番号札", catalog.forms["juminhyo"].title.get("ja")} <= set(desk)
    assert visit[0] == catalog.forms["kokuho"].title.get("ja")
    assert desk[0] != visit[0]
    assert captioner.vocabulary == desk          # the visit's words went with the visit


def test_app_captioner__japanese_counter_phrases__cer_under_15_percent(
        app_config: Config, tmp_path: Path) -> None:
    pcm_file(stream([open_jtalk(text) for text in COUNTER_PHRASES]), tmp_path / "clerk.pcm")
    events = EventBus()
    captioner = build_captioner(app_config, events, load_catalog())
    assert isinstance(captioner, LiveCaptioner)
    Conversation(events, SystemClock(), None).set_procedures(["juminhyo", "inkan_shomei"])

    heard = captions_of(captioner)

    assert len(heard) == len(COUNTER_PHRASES), heard
    assert cer("".join(COUNTER_PHRASES), "".join(heard)) < 0.15, heard


def test_app_captioner__short_japanese_words_and_digits__captioned_as_said(
        app_config: Config, tmp_path: Path) -> None:
    said = [(text, voice) for voice in JAPANESE_VOICES for text in JAPANESE_SHORT]
    pcm_file(stream([open_jtalk(text, *voice) for text, voice in said]), tmp_path / "clerk.pcm")
    captioner = build_captioner(app_config, EventBus(), load_catalog())
    assert isinstance(captioner, LiveCaptioner)

    heard = captions_of(captioner)

    assert len(heard) == len(said) >= 40, heard
    right = [h for (text, _), h in zip(said, heard, strict=True)
             if "".join(japanese_chars(h)) in JAPANESE_SHORT[text]]
    assert len(right) >= 0.85 * len(said), list(zip(said, heard, strict=True))
    # No loop reaches the screen: nothing longer than the longest phrase said.
    assert max(len(japanese_chars(h)) for h in heard) <= 12, heard


def visitor_lines(app_config: Config, code: str, clips: list[np.ndarray],
                  tmp_path: Path) -> list[tuple[str, str | None]]:
    """What the visitor said, through the app's visitor speech, as (text, clerk's Japanese)."""
    pcm_file(stream(clips), tmp_path / "visitor.pcm")
    events = EventBus()
    conversation = Conversation(events, SystemClock(), PairTranslator(), code)
    captioner = build_captioner(app_config, events, load_catalog())
    speech = build_visitor_speech(app_config, captioner, conversation, events)
    assert speech is not None
    conversation.signals.request_microphone(True)
    listener = speech._listener
    assert isinstance(listener, VisitorListener)
    listener.wait_until_drained(timeout=600)
    speech.stop()
    lines = conversation.lines()
    assert all(line.party is Party.CITIZEN and line.language == code for line in lines)
    return [(line.text, line.translation) for line in lines]


def test_visitor_speech__english_short_words__captioned_and_translated_for_the_clerk(
        app_config: Config, tmp_path: Path) -> None:
    said = [(text, voice) for voice in ENGLISH_VOICES for text in ENGLISH_SHORT]

    lines = visitor_lines(app_config, "en", [espeak(text, *voice) for text, voice in said],
                          tmp_path)

    assert len(lines) == len(said) >= 40, lines
    right = [text for (text, _), (heard, _) in zip(said, lines, strict=True)
             if english_words(heard) == english_words(text)]
    assert len(right) >= 0.85 * len(said), list(zip(said, lines, strict=True))
    assert all(japanese == f"<en->ja>{heard}" for heard, japanese in lines)


def test_visitor_speech__english_sentences__wer_under_15_percent(app_config: Config,
                                                                   tmp_path: Path) -> None:
    sentences = ["I would like a copy of my residence record.", "I do not have my card.",
                 "Thank you very much.", "Where should I go next?"]

    lines = visitor_lines(app_config, "en", [espeak(s) for s in sentences], tmp_path)

    assert wer(" ".join(sentences), " ".join(text for text, _ in lines)) < 0.15, lines


def test_visitor_speech__vietnamese__clerk_reads_japanese_from_whispers_english(
        app_config: Config, tmp_path: Path) -> None:
    # No vi->ja model: Whisper's own English goes through en->ja.
    sentences = ["Xin cảm ơn.", "Tôi muốn lấy giấy chứng nhận."]

    lines = visitor_lines(app_config, "vi", [espeak(s, "vi", 120) for s in sentences],
                          tmp_path)

    assert len(lines) == len(sentences), lines
    assert wer(" ".join(sentences), " ".join(text for text, _ in lines)) < 0.5, lines
    assert all(japanese and japanese.startswith("<en->ja>") for _, japanese in lines), lines
    assert "thank" in lines[0][1].lower(), lines          # "Xin cảm ơn" is "Thank you"


def test_visitor_speech__chinese__translated_straight_to_japanese(app_config: Config,
                                                                   tmp_path: Path) -> None:
    # espeak-ng speaks Mandarin well from pinyin only; Whisper writes characters.
    said = {"wo3 mei2 you3 ka3": "我没有卡", "yi1 er4 san1": "一二三"}

    lines = visitor_lines(app_config, "zh_Hans",
                          [espeak(pinyin, "cmn-latn-pinyin", 120) for pinyin in said], tmp_path)

    assert len(lines) == len(said), lines
    assert cer("".join(said.values()), "".join(text for text, _ in lines)) < 0.35, lines
    assert all(japanese == f"<zh-Hans->ja>{text}" for text, japanese in lines), lines
