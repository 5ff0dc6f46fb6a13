"""Translation tests run with networking disabled and share real, offline-built language packs."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from devices.translation.copy_package import build_copy_package

CORPUS = [
    "住民票の写しをください。", "マイナンバーカードをお持ちですか。", "こちらでお待ちください。",
    "印鑑登録証明書の手数料は三百円です。", "Please wait here.", "Do you have your card?",
    "The fee is three hundred yen.", "Xin vui lòng chờ ở đây.", "Cảm ơn.",
] * 4

PAIRS = (("ja", "en"), ("en", "ja"), ("en", "vi"), ("vi", "en"))


class NetworkUsed(AssertionError):
    """Raised by the socket guard: something tried to reach the network."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on any connection attempt or name lookup, as on a tablet without network."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"network access attempted: {args[1:]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="session")
def pack_files(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Real .argosmodel files (SentencePiece vocabulary + CTranslate2 copy model) per pair."""
    folder = tmp_path_factory.mktemp("packs")
    return {(s, t): build_copy_package(folder / f"{s}_{t}.argosmodel", source=s, target=t,
                                       corpus=CORPUS) for s, t in PAIRS}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A device with its own data and models directories (no configuration file); returns the
    models directory."""
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    return tmp_path / "models"


@pytest.fixture
def stt_model(tmp_path: Path) -> Path:
    """A folder with the files of a faster-whisper model (contents not loadable)."""
    folder = tmp_path / "whisper"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_text("{}")
    return folder
