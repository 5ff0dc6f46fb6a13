"""``kiosk register load|find`` for IT and ``kiosk staff grant-lookup|revoke-lookup|lookup-rights``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from devices.register.synthetic import HEADER, MAPPING_TOML, synthetic_residents, write_extract
from kiosk.cli import main

ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture
def extract(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "extract.csv"
    write_extract(synthetic_residents(300), path, "cp932")
    with path.open("a", encoding="cp932", newline="") as out:
        out.write("100000999,7001,山田　太郎,ヤマダ　タロウ,19931301,1,世帯主,登米市1番地,,\r\n")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    return path, mapping


def test_register_load__bad_row__named_by_line_and_exit_1(extract: tuple[Path, Path],
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    path, mapping = extract
    assert main(["register", "load", str(path), "--mapping", str(mapping)]) == 1
    out = capsys.readouterr().out
    assert "line 302, 生年月日: the birth date is not a date" in out
    assert "300 residents read, 1 left out (cp932" in out
    assert "山田" not in out
    assert "登米市1番地" not in out


def test_register_load__into_copy_database__then_found_there(
        extract: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, mapping = extract
    url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    main(["register", "load", str(path), "--mapping", str(mapping), "--into", url])
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_DEVICE_ROLE", "clerk")
    monkeypatch.setenv("KIOSK_REGISTER_KIND", "sql")
    monkeypatch.setenv("KIOSK_REGISTER_URL", url)
    capsys.readouterr()

    assert main(["register", "find", "100000005"]) == 0
    assert capsys.readouterr().out.startswith("100000005\t")


def test_register_find__extract__ids_and_readings_only_and_logged(
        extract: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, mapping = extract
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    residents = synthetic_residents(300)

    assert main(["register", "find", residents[0].birth_date.strftime("%Y%m%d"), "--file",
                 str(path), "--mapping", str(mapping)]) == 0

    out = capsys.readouterr().out
    assert f"{residents[0].id}\t{residents[0].kana}" in out
    for secret in (residents[0].name, residents[0].address, residents[0].honseki,
                   residents[0].birth_date.isoformat()):
        assert secret not in out
    log = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data" / "audit").rglob("*.jsonl"))
    assert '"register.searched"' in log
    assert residents[0].id in log
    assert residents[0].kana not in log


def test_register_find__nothing_configured__clear_message(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    assert main(["register", "find", "やまだ"]) == 2
    assert "No resident register is configured" in capsys.readouterr().err


def test_register_load__wrong_header__names_the_column(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.csv"
    path.write_text(",".join(HEADER).replace("氏名カナ", "カナ") + "\n", encoding="utf-8-sig")
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    assert main(["register", "load", str(path), "--mapping", str(mapping)]) == 2
    assert "no column 氏名カナ" in capsys.readouterr().err


def _staff(monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["staff", *args])


def test_cli_grant_lookup__admin__granted_listed_revoked(
        database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "upgrade"]) == 0
    admin = f"suzuki\n{ADMIN_PASSWORD}\n"
    assert _staff(monkeypatch, ["add", "suzuki", "--name", "鈴木", "--role", "admin", "--stdin"],
                  f"{ADMIN_PASSWORD}\n") == 0
    assert _staff(monkeypatch, ["add", "tanaka", "--name", "田中", "--stdin"],
                  admin + "tanaka's long password\n") == 0
    assert _staff(monkeypatch, ["add", "kansa", "--name", "監査", "--role", "auditor",
                                "--stdin"], admin + "kansa's long password\n") == 0

    assert _staff(monkeypatch, ["grant-lookup", "tanaka", "--honseki", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["grant-lookup", "kansa", "--stdin"], admin) == 2
    assert _staff(monkeypatch, ["lookup-rights", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["revoke-lookup", "tanaka", "--stdin"], admin) == 0
    assert _staff(monkeypatch, ["grant-lookup", "suzuki", "--stdin"],
                  "tanaka\ntanaka's long password\n") == 2

    out = capsys.readouterr().out
    assert "lookup granted to tanaka until 20" in out
    assert "tanaka               until 20" in out
    assert "lookup revoked for tanaka (1 grants ended)" in out
