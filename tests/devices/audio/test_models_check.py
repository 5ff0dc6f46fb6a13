"""``kiosk models check`` loads the installed Whisper model and runs it once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main

pytestmark = pytest.mark.slow


def test_models_check__real_whisper_model__loaded_and_ran(
        whisper_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert main(["models", "install-stt", str(whisper_base)]) == 0

    assert main(["models", "check"]) == 0
    assert "ok   captions.run: loaded and ran" in capsys.readouterr().out
