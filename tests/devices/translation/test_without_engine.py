"""A build without the translation engine and the speech recognizer (the tablet build).

The absence is simulated on the dev venv: ``sys.modules[name] = None`` makes the module
unimportable, as it is in the tablet bundle.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import devices.offline_models
from kiosk.app import build_captioner, build_translator
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.events import EventBus
from kiosk.procedures.catalog import load_catalog

_ENGINE = ("ctranslate2", "sentencepiece", "argostranslate", "faster_whisper", "tokenizers")


def _without_engine(monkeypatch: pytest.MonkeyPatch, *, flavour: str = "tablet") -> None:
    for name in _ENGINE:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(devices.offline_models, "build_flavour", lambda: flavour)


def _doctor(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    capsys.readouterr()
    main(["doctor", "--json"])
    return {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}


def test_build_translator__packs_installed_but_no_engine__none(
        env: Path, pack_files: dict[tuple[str, str], Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["models", "install", str(pack_files[("ja", "en")])]) == 0
    config = load_config(None)
    assert build_translator(config) is not None      # the same device with the engine

    _without_engine(monkeypatch)

    assert build_translator(config) is None


def test_build_captioner__model_installed_but_no_recognizer__none(
        env: Path, stt_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_MODELS_CAPTIONS", "true")
    assert main(["models", "install-stt", str(stt_model)]) == 0
    _without_engine(monkeypatch)

    assert build_captioner(load_config(None), EventBus(), load_catalog()) is None


@pytest.mark.parametrize(("role", "expected"), [
    ("tablet", {"translation.engine": "ok", "captions.model": "ok"}),
    ("board", {"translation.engine": "ok", "captions.model": "ok"}),
    # The clerk PC is the one that translates and captions for its counter.
    ("clerk", {"translation.engine": "warn", "captions.model": "warn"}),
])
def test_doctor__no_engine__ok_on_tablets_and_boards_warn_on_clerk_pcs(
        env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        role: str, expected: dict[str, str]) -> None:
    monkeypatch.setenv("KIOSK_DEVICE_ROLE", role)
    monkeypatch.setenv("KIOSK_MODELS_CAPTIONS", "true")
    _without_engine(monkeypatch)

    checks = _doctor(capsys)

    assert {name: checks[name]["status"] for name in expected} == expected
    assert "translation.packs" not in checks
    assert "tablet build" in checks["translation.engine"]["detail"]
    assert "clerk PC" in checks["translation.engine"]["detail" if role != "clerk" else "fix"]
    assert "clerk PC" in checks["captions.model"]["detail" if role != "clerk" else "fix"]


def test_doctor__checkout_without_ctranslate2__names_the_missing_module(
        env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _without_engine(monkeypatch, flavour="")

    checks = _doctor(capsys)

    assert "ctranslate2 is not installed" in checks["translation.engine"]["detail"]
    assert "faster_whisper is not installed" in checks["captions.model"]["detail"]


def test_models_install__no_engine__refused_with_the_reason_and_nothing_installed(
        env: Path, pack_files: dict[tuple[str, str], Path],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _without_engine(monkeypatch)

    assert main(["models", "install", str(pack_files[("ja", "en")])]) == 2

    err = capsys.readouterr().err
    assert "Cannot install translation models" in err
    assert "tablet build" in err
    assert "clerk PC" in err
    assert not (env / "translation").exists()


def test_models_install_stt__no_recognizer__refused_with_the_reason(
        env: Path, stt_model: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _without_engine(monkeypatch)

    assert main(["models", "install-stt", str(stt_model)]) == 2

    assert "Cannot install a speech recognition model" in capsys.readouterr().err
    assert not (env / "stt").exists()


def test_models_list__no_engine__says_the_clerk_pc_translates_and_captions(
        env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _without_engine(monkeypatch)

    assert main(["models", "list"]) == 0

    out = capsys.readouterr().out
    assert "translation: this build has no translation engine (tablet build)" in out
    assert "speech: this build has no speech recognizer (tablet build)" in out
    assert "japanese" in out         # the dictionary is still the tablet's to install
