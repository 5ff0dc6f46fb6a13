"""The Identity dataclass, the card reader adapter, its composition and the CLI."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from devices.smartcard.card_reader import CardIdentityReader, load_issuer_key
from devices.smartcard.reader_monitor import ReaderMonitor
from devices.smartcard.simulated_card import (
    SimulatedMyNumberCard,
    SimulatedSlot,
    load_person,
    person_names,
    simulator_issuer_public_pem,
)
from kiosk import fonts
from kiosk.app import build_card_monitor, build_identity_reader
from kiosk.cli import main
from kiosk.config import Config, load_config
from kiosk.domain.identity import (
    CardStatus,
    Identity,
    MyNumber,
    MyNumberNotAllowedError,
    NoCardError,
    PinFormatError,
    Sex,
)
from kiosk.errors import ConfigError
from kiosk.events import EventBus

PLAIN = Identity("試験　花子", "東京都千代田区霞が関９丁目９番９号　テスト荘１０１",
                 date(1985, 4, 12), Sex.FEMALE)


@pytest.mark.parametrize(("name", "family", "given"), [
    ("試験　花子", "試験", "花子"),
    ("ナナシ", "ナナシ", ""),
    ("𠮷田　髙﨑　二世", "𠮷田", "髙﨑　二世"),
    ("Smith John", "Smith John", ""),
], ids=["plain", "mononym", "two-spaces", "ascii-space-not-split"])
def test_identity__names__split_on_ideographic_space(name: str, family: str, given: str) -> None:
    identity = replace(PLAIN, name=name)
    assert (identity.family_name, identity.given_name) == (family, given)


def test_identity__repr_and_str__masked() -> None:
    for text in (repr(PLAIN), str(PLAIN), f"{PLAIN}", repr([PLAIN])):
        assert "花子" not in text
        assert "1985" not in text
        assert "東京" not in text


def test_identity__address__nfkc_copy_and_display_text_kept() -> None:
    assert PLAIN.address_for_fields == "東京都千代田区霞が関9丁目9番9号 テスト荘101"
    assert PLAIN.address.endswith("１０１")


def test_identity__supplementary_plane_name__undrawable_characters_reported() -> None:
    identity = replace(PLAIN, name="𠮷田　髙﨑", address="宮城県登米市　葛\U000e0100西")
    assert identity.undrawable_characters(fonts.bundled_faces()) == ["\U00020bb7"]


def test_my_number__repr__masked() -> None:
    assert repr(MyNumber("123456789018")) == "MyNumber(***)"


def _reader(person: str, **kwargs: object) -> CardIdentityReader:
    slot = SimulatedSlot(SimulatedMyNumberCard(load_person(person)))
    return CardIdentityReader(slot, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("person", "expected"), [
    ("plain", CardStatus("Simulated My Number reader", True, "3BE000FF8131FE4514", True, 3)),
    ("locked", CardStatus("Simulated My Number reader", True, "3BE000FF8131FE4514", True, 0)),
    ("not_mynumber", CardStatus("Simulated My Number reader", True,
                                "3B8F8001804F0CA000000306030001000000006A", False, None)),
])
def test_card_reader_status__persons__no_pin_needed(person: str, expected: CardStatus) -> None:
    assert _reader(person).status() == expected


def test_card_reader_status__empty_slot__not_present() -> None:
    reader = CardIdentityReader(SimulatedSlot())
    assert reader.status() == CardStatus("Simulated My Number reader", present=False)
    with pytest.raises(NoCardError):
        reader.read_identity("1234")


def test_card_reader_read_identity__bad_pin__nothing_sent() -> None:
    reader = _reader("plain")
    with pytest.raises(PinFormatError):
        reader.read_identity("12345")
    assert isinstance(reader.slot, SimulatedSlot)
    assert reader.slot.apdus == 0


@pytest.mark.parametrize(("allowed", "outcome"), [(False, MyNumberNotAllowedError),
                                                   (True, None)])
def test_card_reader_read_my_number__config_switch__off_by_default(
        allowed: bool, outcome: type[Exception] | None) -> None:
    reader = _reader("plain", allow_my_number=allowed)
    if outcome is None:
        assert reader.read_my_number("1234").masked().endswith("9018")
    else:
        with pytest.raises(outcome):
            reader.read_my_number("1234")


def test_person_files__shipped__all_eight_present() -> None:
    assert person_names() == ["control_chars", "gaiji", "last_try", "locked", "long_address",
                              "not_mynumber", "plain", "sex9"]


def _config(tmp_path: Path, card: str) -> Config:
    path = tmp_path / "kiosk.toml"
    path.write_text(f"[device]\ndata_dir = '{tmp_path}'\n[card]\n{card}\n", encoding="utf-8")
    return load_config(path, environ={})


def test_build_identity_reader__simulated_with_ca_key__verifies_signature(
        tmp_path: Path) -> None:
    key = tmp_path / "ca.pem"
    key.write_bytes(simulator_issuer_public_pem())
    reader = build_identity_reader(_config(tmp_path, f"person = 'gaiji'\nissuer_ca_key = '{key}'"))
    assert reader.read_identity("0000").given_name == "髙﨑"


@pytest.mark.parametrize("card", ["person = 'nobody'", "issuer_ca_key = '/nonexistent.pem'"])
def test_build_identity_reader__bad_config__config_error(tmp_path: Path, card: str) -> None:
    with pytest.raises(ConfigError):
        build_identity_reader(_config(tmp_path, card))


def test_load_issuer_key__not_a_key__config_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.pem"
    path.write_text("not a key", encoding="ascii")
    with pytest.raises(ConfigError):
        load_issuer_key(str(path))


def _run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, person: str, argv: list[str],
             stdin: str = "") -> int:
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[device]\ndata_dir = '{tmp_path}'\n[card]\nperson = '{person}'\n",
                      encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--config", str(config), *argv])


def test_cli_card_read__pin_stdin_json__four_items(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = _run_cli(monkeypatch, tmp_path, "plain", ["card", "read", "--pin-stdin", "--json"],
                    "1234\n")
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["address_normalized"].endswith("テスト荘101")
    assert json.loads(captured.out)["issuer_verified"] == "no"      # no issuer key configured
    assert "tries left: 3" in captured.err


@pytest.mark.parametrize(("person", "stdin", "code", "message"), [
    ("locked", "1111\n", 3, "nothing was sent"),
    ("plain", "0000\n", 2, "2 tries are left"),
    ("plain", "12\n", 2, "exactly 4 digits"),
    ("not_mynumber", "1234\n", 2, "not a My Number card"),
])
def test_cli_card_read__failures__message_and_exit_code(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        person: str, stdin: str, code: int, message: str) -> None:
    assert _run_cli(monkeypatch, tmp_path, person, ["card", "read", "--pin-stdin"], stdin) == code
    assert message in capsys.readouterr().err


def test_cli_card_status__simulated__tries_shown(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_cli(monkeypatch, tmp_path, "plain", ["card", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["present"], status["tries_left"], status["my_number_card"]) == (True, 3, True)


@pytest.mark.parametrize(("card", "expected"), [("simulated = true", type(None)),
                                                ("simulated = false\nreader = '00 01'",
                                                 ReaderMonitor)])
def test_build_card_monitor__config__monitor_only_for_real_reader(
        tmp_path: Path, card: str, expected: type) -> None:
    monitor = build_card_monitor(_config(tmp_path, card), EventBus())
    assert type(monitor) is expected


@pytest.mark.parametrize(("card", "key", "status"), [
    ("simulated = false", "", "fail"),
    ("simulated = false", "/nonexistent.pem", "fail"),
    ("simulated = false", "ca.pem", "ok"),
    ("simulated = true", "", None),
], ids=["real-no-key", "real-bad-key", "real-with-key", "simulated"])
def test_doctor_card_checks__issuer_key__fails_on_real_reader_without_it(
        tmp_path: Path, card: str, key: str, status: str | None) -> None:
    from kiosk.probes import _card_checks

    (tmp_path / "ca.pem").write_bytes(simulator_issuer_public_pem())
    path = str(tmp_path / key) if key == "ca.pem" else key
    config = _config(tmp_path, f"{card}\nissuer_ca_key = '{path}'")
    found = {check.name: check for check in _card_checks(config)}
    if status is None:
        assert "card.issuer_key" not in found
    else:
        assert found["card.issuer_key"].status.value == status


def test_read_identity__control_and_bidi_characters__removed_and_still_verified() -> None:
    reader = CardIdentityReader(
        SimulatedSlot(SimulatedMyNumberCard(load_person("control_chars"))),
        issuer_key=load_issuer_key_from_pem())
    identity = reader.read_identity("2468")
    assert (identity.name, identity.address) == ("悪意[2J　太郎", "宮城県登米市号１町中]0;pwned")
    assert identity.issuer_verified


def load_issuer_key_from_pem() -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(simulator_issuer_public_pem())


def test_cli_card_read__control_characters__terminal_gets_no_escape(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_cli(monkeypatch, tmp_path, "control_chars", ["card", "read", "--pin-stdin"],
                    "2468\n") == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in "\x00\x07\x1b\u202e")
    assert "悪意[2J　太郎" in out


def test_cli_print_identity__unsafe_identity__escaped_on_its_own(
        capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli.card import _print_identity

    _print_identity(replace(PLAIN, name="試験\x1b[31m\u202e　花子"), as_json=False)
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "試験\\u001b[31m\\u202e　花子" in out


@pytest.mark.parametrize(("argv", "stdin", "code", "message"), [
    ([], "1357\n", 3, "nothing was sent"),
    (["--use-last-try"], "1357\n", 0, "using the last try"),
    (["--use-last-try"], "0000\n", 2, "locked"),
], ids=["refused", "allowed-right-pin", "allowed-wrong-pin"])
def test_cli_card_read__one_try_left__refused_unless_use_last_try(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        argv: list[str], stdin: str, code: int, message: str) -> None:
    sent: list[str] = []
    original = CardIdentityReader.read_identity

    def spy(self: CardIdentityReader, pin: str, *, use_last_try: bool = False) -> Identity:
        sent.append(pin)
        return original(self, pin, use_last_try=use_last_try)

    monkeypatch.setattr(CardIdentityReader, "read_identity", spy)
    assert _run_cli(monkeypatch, tmp_path, "last_try",
                    ["card", "read", "--pin-stdin", *argv], stdin) == code
    assert message in capsys.readouterr().err
    assert bool(sent) is bool(argv)          # refused: the PIN never went to the reader
