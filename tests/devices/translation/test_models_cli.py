"""``kiosk models install / install-stt / list`` on real files, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main


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


def _fake_stt_model(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_text("{}")
    return folder


@pytest.mark.parametrize(("packs", "stt", "captions", "expected"), [
    (False, False, "true", {"translation.packs": "warn", "captions.model": "warn"}),
    (False, False, "false", {"translation.packs": "warn", "captions.model": "ok"}),  # not wanted
    (True, True, "true", {"translation.packs": "ok", "captions.model": "ok"}),
    (True, False, "true", {"translation.packs": "ok", "captions.model": "warn"}),
])
def test_doctor_models_check__models_present_or_absent__ok_or_warn_with_fix(
        env: Path, tmp_path: Path, pack_files: dict[tuple[str, str], Path],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        packs: bool, stt: bool, captions: str, expected: dict[str, str]) -> None:
    monkeypatch.setenv("KIOSK_MODELS_CAPTIONS", captions)
    if packs:
        assert main(["models", "install", str(pack_files[("ja", "en")])]) == 0
    if stt:
        assert main(["models", "install-stt", str(_fake_stt_model(tmp_path / "whisper"))]) == 0
    capsys.readouterr()

    main(["doctor", "--json"])

    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert {name: checks[name]["status"] for name in expected} == expected
    warned = [name for name, status in expected.items() if status == "warn"]
    assert all("kiosk models install" in checks[name]["fix"] for name in warned)
    if packs:
        assert "ja->en" in checks["translation.packs"]["detail"]


def test_models_check__pack_installed__translation_ran_no_speech_model_nothing_to_run(
        env: Path, pack_files: dict[tuple[str, str], Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "install", str(pack_files[("ja", "en")])]) == 0

    assert main(["models", "check"]) == 0
    out = capsys.readouterr().out
    assert "ok   translation.run.ja->en: loaded and ran" in out
    assert "ok   captions.run: no speech model" in out


def test_models_check__speech_model_cannot_load__exit_1_and_fail_named(
        env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "install-stt", str(_fake_stt_model(tmp_path / "whisper"))]) == 0

    assert main(["models", "check"]) == 1
    assert "fail captions.run" in capsys.readouterr().out
