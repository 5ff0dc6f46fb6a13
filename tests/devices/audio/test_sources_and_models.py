"""PCM sources, the speech model installer and the vocabulary prompt."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from devices.audio.recognizer import vocabulary_prompt
from devices.audio.sources import BLOCK, ArraySource, CommandSource, WavFileSource, pcm16_to_float
from devices.audio.whisper_model import check_stt_model, install_stt_model, stt_model_dir
from kiosk.errors import DeviceError


@pytest.mark.parametrize(("data", "expected"), [
    (b"\x00\x00\xff\x7f\x00\x80", [0.0, 32767 / 32768, -1.0]),
    (b"\x00\x40\x01", [0.5]),                      # a torn last sample is dropped
])
def test_pcm16_to_float__bytes__samples(data: bytes, expected: list[float]) -> None:
    assert pcm16_to_float(data).tolist() == pytest.approx(expected)


@pytest.mark.parametrize(("rate", "channels"), [(16000, 1), (22050, 1), (48000, 2)])
def test_wav_source__any_rate_and_channels__16khz_mono(tmp_path: Path, rate: int,
                                                       channels: int) -> None:
    path = tmp_path / "a.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.zeros(rate * channels, dtype="<i2").tobytes())   # one second
    source = WavFileSource(path)
    total = 0
    while (block := source.read()) is not None:
        total += len(block)

    assert total == 16000


def test_command_source__capture_command__reads_its_pcm(tmp_path: Path) -> None:
    raw = tmp_path / "mic.raw"
    raw.write_bytes(np.full(3200, 16384, dtype="<i2").tobytes())
    source = CommandSource(f"cat {raw}")
    blocks = []
    while (block := source.read()) is not None:
        blocks.append(block)
    source.close()

    assert np.concatenate(blocks).tolist() == [0.5] * 3200


def test_command_source__missing_command__device_error() -> None:
    with pytest.raises(DeviceError, match="capture command not found"):
        CommandSource("no-such-recorder-xyz -r 16000")


def test_array_source__end__returns_none() -> None:
    source = ArraySource(np.zeros(BLOCK + 100, dtype=np.float32))

    sizes = []
    while (block := source.read()) is not None:
        sizes.append(len(block))

    assert sizes == [BLOCK, 100]


def _model(folder: Path, *, skip: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        if name != skip:
            (folder / name).write_text("{}" if name.endswith(".json") else "x")
    return folder


@pytest.mark.parametrize("missing", ["model.bin", "config.json", "tokenizer.json", "vocabulary.txt"])
def test_check_stt_model__file_missing__names_it(tmp_path: Path, missing: str) -> None:
    with pytest.raises(DeviceError, match=missing.replace(".txt", r"\.\*")):
        check_stt_model(_model(tmp_path / "m", skip=missing))


def test_install_stt_model__twice__replaces_and_leaves_no_staging(tmp_path: Path) -> None:
    source = _model(tmp_path / "src")
    install_stt_model(source, tmp_path / "models")
    (source / "config.json").write_text(json.dumps({"v": 2}))
    installed = install_stt_model(source, tmp_path / "models")

    assert installed == stt_model_dir(tmp_path / "models")
    assert json.loads((installed / "config.json").read_text()) == {"v": 2}
    assert sorted(p.name for p in installed.parent.iterdir()) == ["whisper"]


@pytest.mark.parametrize(("terms", "language", "prompt"), [
    (["住民票の写し", "印鑑登録証明書", "住民票の写し"], "ja", "住民票の写し、印鑑登録証明書。"),
    (["fee", "seal"], "en", "fee, seal"),
    ([], "ja", ""),
    (["あ" * 100, "い" * 100], "ja", "あ" * 100 + "。"),     # cut to fit Whisper's window
])
def test_vocabulary_prompt__terms__prompt_in_language_style(terms: list[str], language: str,
                                                           prompt: str) -> None:
    assert vocabulary_prompt(terms, language) == prompt
