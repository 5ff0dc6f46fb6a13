"""The file speaker keeps only recent WAV files: spoken audio must not outlive its purpose."""

from __future__ import annotations

import wave

from devices.speech.audio import Audio
from devices.speech.sinks import FileSink


def _audio() -> Audio:
    return Audio(pcm=b"\x00\x00" * 160, rate=16000)


def test_file_sink__more_than_keep__only_the_newest_stay(tmp_path):
    sink = FileSink(tmp_path, keep=3)

    for _ in range(5):
        sink.play(_audio(), "say", "ja")

    assert [p.name[:5] for p in sink.written()] == ["00003", "00004", "00005"]
    with wave.open(str(sink.written()[-1])) as played:
        assert played.getframerate() == 16000


def test_file_sink__new_sink__empties_the_previous_runs_files(tmp_path):
    FileSink(tmp_path).play(_audio(), "say", "ja")

    fresh = FileSink(tmp_path)

    assert fresh.written() == []
