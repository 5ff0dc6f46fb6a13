"""install -> load -> translate -> pivot with real packs, offline (the socket guard is autouse)."""

from __future__ import annotations

import json
import socket
import zipfile
from pathlib import Path

import pytest

from devices.translation.argos_translator import ArgosTranslator, argos_code
from devices.translation.pack_model import SHORT_PIECES, LoadedPack, decoding_options
from devices.translation.packages import install_package, installed_packages
from kiosk.doctor import Status
from kiosk.errors import DeviceError


@pytest.fixture
def models(tmp_path: Path, pack_files: dict[tuple[str, str], Path]) -> Path:
    for archive in pack_files.values():
        install_package(archive, tmp_path)
    return tmp_path


def test_socket_guard__connection_attempted__fails() -> None:
    with pytest.raises(AssertionError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))


def test_install__real_packs__listed_by_pair(models: Path) -> None:
    assert [pack.pair for pack in installed_packages(models)] == [
        "en->ja", "en->vi", "ja->en", "vi->en"]


@pytest.mark.parametrize(("source", "target", "text", "route"), [
    ("ja", "en", "住民票の写しをください。", ("ja", "en")),
    ("en", "vi", "Please wait here.", ("en", "vi")),
    ("ja", "vi", "マイナンバーカードをお持ちですか。", ("ja", "en", "vi")),
    ("vi", "ja", "Cảm ơn.", ("vi", "en", "ja")),
    ("zh-Hans", "ja", "谢谢。", None),
    ("ja", "ne", "こちらでお待ちください。", None),
])
def test_translate__installed_packs__direct_pivot_or_none(models: Path, source: str, target: str,
                                                          text: str, route: tuple[str, ...] | None
                                                          ) -> None:
    translator = ArgosTranslator(models)

    assert translator.route(source, target) == route
    # The copy model returns its input, so a translation through any route equals the text.
    assert translator.translate(text, source, target) == (text if route else None)


@pytest.mark.parametrize(("target", "text", "expected"), [
    ("ja", "Please wait here. Do you have your card?", "Please wait here.Do you have your card?"),
    ("vi", "Please wait here. Do you have your card?", "Please wait here. Do you have your card?"),
])
def test_translate__several_sentences__joined_as_the_target_writes(
        models: Path, target: str, text: str, expected: str) -> None:
    assert ArgosTranslator(models).translate(text, "en", target) == expected


def test_translate__argos_sentence_splitters__never_built(models: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from argostranslate import sbd

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("argostranslate's splitter would download a model")

    for name in ("MiniSBDSentencizer", "StanzaSentencizer", "SpacySentencizerSmall"):
        monkeypatch.setattr(getattr(sbd, name), "__init__", forbidden)

    assert ArgosTranslator(models).translate("こんにちは。ありがとう。", "ja", "en") == (
        "こんにちは。 ありがとう。")


def test_translate__same_sentence_twice__cached_until_forget(models: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = LoadedPack.translate

    def counting(self: LoadedPack, sentences: list[str]) -> list[str]:
        calls.append(list(sentences))
        return real(self, sentences)

    monkeypatch.setattr(LoadedPack, "translate", counting)
    translator = ArgosTranslator(models)
    for _ in range(3):
        translator.translate("Please wait here.", "en", "vi")
    translator.forget()
    translator.translate("Please wait here.", "en", "vi")

    assert calls == [["Please wait here."], ["Please wait here."]]


def test_translate__several_new_sentences__one_batch_per_hop_repeats_once(
        models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = LoadedPack.translate

    def counting(self: LoadedPack, sentences: list[str]) -> list[str]:
        calls.append(list(sentences))
        return real(self, sentences)

    monkeypatch.setattr(LoadedPack, "translate", counting)
    translator = ArgosTranslator(models)
    translator.translate("Cảm ơn.", "vi", "en")          # cached: not sent again below
    text = "Cảm ơn. Xin vui lòng chờ ở đây. Cảm ơn."

    assert translator.translate(text, "vi", "ja") == "Cảm ơn.Xin vui lòng chờ ở đây.Cảm ơn."
    assert calls == [["Cảm ơn."], ["Xin vui lòng chờ ở đây."],
                     ["Cảm ơn.", "Xin vui lòng chờ ở đây."]]


@pytest.mark.parametrize(("pieces", "beam", "bound"), [
    (1, 1, 19),
    (SHORT_PIECES, 1, 3 * SHORT_PIECES + 16),
    (SHORT_PIECES + 1, 2, 3 * (SHORT_PIECES + 1) + 16),
])
def test_decoding_options__sentence_length__greedy_when_short_and_bounded(
        pieces: int, beam: int, bound: int) -> None:
    assert decoding_options(pieces) == {"beam_size": beam, "max_decoding_length": bound}


def test_translate__long_sentence__beam_search_still_copies(models: Path) -> None:
    text = "こちらでお待ちください" * 6 + "。"      # far more pieces than SHORT_PIECES

    assert ArgosTranslator(models).translate(text, "ja", "en") == text


@pytest.mark.parametrize(("tag", "code"), [
    ("ja", "ja"), ("zh-Hans", "zh"), ("zh-Hant", "zt"), ("zh_Hans", "zh"), ("pt-BR", "pt"),
    ("ja@easy", "ja"),
])
def test_argos_code__bcp47_tag__argos_language_code(tag: str, code: str) -> None:
    assert argos_code(tag) == code


def test_probe__no_pack__warns_with_install_command(tmp_path: Path) -> None:
    [check] = ArgosTranslator(tmp_path).probe()

    assert check.status is Status.WARN
    assert "kiosk models install" in check.fix


def test_probe__packs__lists_pairs(models: Path) -> None:
    [check] = ArgosTranslator(models).probe()

    assert (check.status, "ja->en" in check.detail) == (Status.OK, True)


def test_install__same_pair_again__replaces_previous(models: Path,
                                                     pack_files: dict[tuple[str, str], Path]) -> None:
    install_package(pack_files[("ja", "en")], models)

    assert len(installed_packages(models)) == 4


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


_META = json.dumps({"from_code": "ja", "to_code": "en", "type": "translate"}).encode()


@pytest.mark.parametrize(("members", "message"), [
    ({"a/metadata.json": _META, "b/x": b""}, "exactly one top-level"),
    ({"p/metadata.json": b"{", "p/model/model.bin": b""}, "no valid metadata"),
    ({"p/metadata.json": json.dumps({"from_code": "ja", "to_code": "en", "type": "sbd"}).encode(),
      "p/model/model.bin": b""}, "does not describe"),
    ({"p/metadata.json": _META, "p/model/model.bin": b""}, "lacks its tokenizer"),
    ({"p/metadata.json": _META, "p/sentencepiece.model": b"", "p/model/model.bin": b"",
      "p/../../evil": b""}, "unsafe path"),
])
def test_install__invalid_archive__refused_with_reason(tmp_path: Path, members: dict[str, bytes],
                                                       message: str) -> None:
    with pytest.raises(DeviceError, match=message):
        install_package(_zip(tmp_path / "bad.argosmodel", members), tmp_path / "models")

    assert installed_packages(tmp_path / "models") == []


def test_install__not_a_zip__refused(tmp_path: Path) -> None:
    (tmp_path / "x.argosmodel").write_bytes(b"not a zip")

    with pytest.raises(DeviceError, match="not a readable language pack"):
        install_package(tmp_path / "x.argosmodel", tmp_path)
