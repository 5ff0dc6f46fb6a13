"""Speech rendered to WAV files: Japanese (Open JTalk) and English (espeak-ng), chime, cache."""

from __future__ import annotations

import pytest

from devices.speech.audio import chime, read_wav
from devices.speech.phrase_cache import PhraseCache
from devices.speech.sinks import FileSink
from devices.speech.speaker import QueuedSpeaker, SilentSpeaker
from devices.speech.synthesizer import Synthesizer


@pytest.fixture
def file_speaker(tmp_path):
    speaker = QueuedSpeaker(Synthesizer(), FileSink(tmp_path), languages=["ja", "en"])
    yield speaker
    speaker.close()


@pytest.mark.parametrize(("text", "language", "min_seconds"), [
    ("エー 7番の方、3番窓口へお越しください。", "ja", 2.0),
    ("住民票の写しを申請します。", "ja", 1.5),
    ("Number A 7, please come to counter 3.", "en", 1.5),
])
def test_file_speaker__phrase__wav_with_speech_of_plausible_length(file_speaker, tmp_path, text,
                                                                  language, min_seconds):
    file_speaker.say(text, language)

    assert file_speaker.wait_idle(30)
    [path] = file_speaker.sink.written()
    audio = read_wav(path)
    assert path.name.endswith(f"-speech-{language}.wav")
    assert min_seconds <= audio.seconds < 15
    assert audio.peak() > 3000          # not silence
    assert file_speaker.failures == 0


def test_file_speaker__chime_then_call__files_in_order(file_speaker):
    file_speaker.chime()
    file_speaker.say("エー 1番の方", "ja")
    file_speaker.say("Number A 1", "en")

    assert file_speaker.wait_idle(30)
    kinds = [path.name.split("-", 1)[1] for path in file_speaker.sink.written()]
    assert kinds == ["chime-none.wav", "speech-ja.wav", "speech-en.wav"]


def test_file_speaker__language_without_voice__counted_and_next_phrase_still_spoken(file_speaker):
    file_speaker.say("Numero", "xx")
    file_speaker.say("はい", "ja")

    assert file_speaker.wait_idle(30)
    assert file_speaker.failures == 1
    assert [p.name.split("-", 1)[1] for p in file_speaker.sink.written()] == ["speech-ja.wav"]


def test_synthesizer__same_phrase_twice__second_from_cache():
    calls = []

    def engine(text, language):
        calls.append(text)
        return chime(8000)

    synthesizer = Synthesizer(PhraseCache(), japanese=engine, other=engine)
    first = synthesizer.render("こんにちは", "ja")
    second = synthesizer.render("こんにちは", "ja")

    assert first is second
    assert calls == ["こんにちは"]
    assert synthesizer.cache.hits == 1


@pytest.mark.parametrize("entries", [1, 3])
def test_phrase_cache__over_capacity__least_recent_dropped(entries):
    cache = PhraseCache(max_entries=entries)
    for index in range(entries + 1):
        cache.put("ja", str(index), chime(8000))

    assert len(cache) == entries
    assert cache.get("ja", "0") is None


def test_chime__rendered__two_notes_loud_and_short():
    audio = chime()

    assert 1.0 < audio.seconds < 2.0
    assert audio.peak() > 10000
    assert read_wav(audio.wav_bytes()).seconds == pytest.approx(audio.seconds)


def test_silent_speaker__say__does_nothing_and_probe_says_off():
    speaker = SilentSpeaker()
    speaker.say("x", "ja")
    speaker.chime()

    assert "off" in speaker.probe()[0].detail
