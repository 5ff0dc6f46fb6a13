"""``kiosk models install / install-stt / list`` on real files, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    return tmp_path / "models"


def test_models_install_then_list__packs__pairs_and_pivot_listed(
        env: Path, pack_files: dict[tuple[str, str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "install", str(pack_files[("ja", "en")]),
                 str(pack_files[("en", "vi")])]) == 0
    assert main(["models", "list"]) == 0

    out = capsys.readouterr().out
    assert "installed ja->en" in out
    assert "ja->vi" in out
    assert "through English" in out
    assert "speech: no model" in out


def test_models_install__broken_file__exit_2_with_reason(
        env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.argosmodel").write_bytes(b"junk")

    assert main(["models", "install", str(tmp_path / "bad.argosmodel")]) == 2
    assert "not a readable language pack" in capsys.readouterr().err


def test_models_install_stt__model_dir__installed_and_listed(
        env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "whisper"
    source.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (source / name).write_text("{}")

    assert main(["models", "install-stt", str(source)]) == 0
    assert main(["models", "list"]) == 0
    assert f"speech      {env / 'stt' / 'whisper'}" in capsys.readouterr().out
