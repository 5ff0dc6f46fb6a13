"""The CSV extract through its mapping: both encodings, bad rows by line, every lookup key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devices.register.csv_extract import CsvRegister, read_extract
from devices.register.mapping import load_mapping
from devices.register.synthetic import (
    HEADER,
    MAPPING_TOML,
    SyntheticRegister,
    synthetic_residents,
    write_extract,
)
from kiosk.domain.resident_query import QueryKind, fold_name, parse_query
from kiosk.errors import ConfigError, DeviceError


@pytest.fixture(scope="module")
def residents() -> list:
    return synthetic_residents(50_000)


@pytest.fixture(scope="module", params=["cp932", "utf-8-sig"])
def register(request: pytest.FixtureRequest, residents: list,
             tmp_path_factory: pytest.TempPathFactory) -> CsvRegister:
    folder = tmp_path_factory.mktemp("register")
    write_extract(residents, folder / "register.csv", request.param)
    (folder / "mapping.toml").write_text(MAPPING_TOML, encoding="utf-8")
    return CsvRegister(folder / "register.csv", folder / "mapping.toml")


def test_load__synthetic_50000_in_either_encoding__every_row_loads(register: CsvRegister) -> None:
    assert (len(register.last_load.residents), register.last_load.issues) == (50_000, [])
    assert register.last_load.encoding in ("cp932", "utf-8-sig")


@pytest.mark.parametrize("pick", [0, 1234, 49_999])
def test_find__by_id_birth_kana_name__finds_the_resident(register: CsvRegister, residents: list,
                                                          pick: int) -> None:
    wanted = residents[pick]
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in wanted.kana)
    for typed in (wanted.id, wanted.birth_date.strftime("%Y%m%d"), hiragana, wanted.name):
        found = register.find(parse_query(typed), limit=100_000)
        assert wanted.id in [one.id for one in found], parse_query(typed).kind


def test_find__wareki_7_digits__same_as_seireki(register: CsvRegister) -> None:
    assert ([r.id for r in register.find(parse_query("4050101"))]
            == [r.id for r in register.find(parse_query("19930101"))] != [])


def test_find__variant_kanji_typed_as_everyday__finds_both_spellings(
        register: CsvRegister) -> None:
    found = register.find(parse_query("高橋"), limit=100_000)
    spelled = {one.name.split("\u3000")[0] for one in found}
    assert spelled == {"高橋", "髙橋"}
    assert {fold_name(one.name)[:2] for one in register.find(parse_query("山崎"))} == {"山崎"}


def test_household__any_member__head_first_with_relations(register: CsvRegister,
                                                           residents: list) -> None:
    member = next(r for r in residents if r.relation.endswith(("男", "女")))
    household = register.household(member.id)
    assert household is not None
    assert household.members[0].relation == "世帯主"
    assert member.id in [one.id for one in household.members]
    assert {one.household_id for one in household.members} == {member.household_id}


def test_find__unknown_id__nothing(register: CsvRegister) -> None:
    assert register.find(parse_query("#1")) == []
    assert register.resident("1") is None
    assert register.household("1") is None


def _extract(tmp_path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "extract.csv"
    path.write_text("\r\n".join([",".join(HEADER), *lines]) + "\r\n", encoding=encoding)
    return path


def test_read_extract__bad_rows__reported_by_line_and_column_others_load(tmp_path: Path) -> None:
    good = "100000001,7001,山田　太郎,ヤマダ　タロウ,4050101,1,世帯主,登米市1,登米市1,山田　太郎"
    path = _extract(tmp_path, [
        good,
        "10000000X,7001,山田　花子,ヤマダ　ハナコ,19930101,2,妻,登米市1,,",     # line 3: id
        "100000003,7001,山田　一郎,山田,19930101,1,長男,登米市1,,",             # line 4: kana
        "100000004,7001,山田　次郎,ヤマダ　ジロウ,4310501,1,二男,登米市1,,",      # line 5: date
        "100000005,7001,山田",                                              # line 6: columns
        "100000001,7001,山田　太郎,やまだ　たろう,19930101,1,世帯主,,,",          # line 7: twice
        "100000006,7001,山田　三郎,やまだ　さぶろう,平成5年1月1日,男,三男,,,",
    ])
    load = read_extract(path, load_mapping(_mapping(tmp_path)))
    assert [(i.line, i.code, i.column) for i in load.issues] == [
        (3, "id", "宛名番号"), (4, "kana", "氏名カナ"), (5, "birth_date", "生年月日"),
        (6, "columns", ""), (7, "duplicate", "宛名番号")]
    assert [(r.id, r.kana, r.birth_date, r.sex) for r in load.residents] == [
        ("100000001", "ヤマダ\u3000タロウ", date(1993, 1, 1), "1"),
        ("100000006", "ヤマダ\u3000サブロウ", date(1993, 1, 1), "1")]


def test_read_extract__undecodable_bytes__that_line_reported(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    good = "100000001,7001,山田　太郎,ヤマダ　タロウ,19930101,1,世帯主,,,".encode("cp932")
    path.write_bytes(",".join(HEADER).encode("cp932") + b"\r\n" + good + b"\r\n"
                     + b"100000002,7001,\x81\xff\x81,x,19930101,1,\x8d\x71,,,\r\n")
    load = read_extract(path, load_mapping(_mapping(tmp_path)))
    assert (load.encoding, [(i.line, i.code) for i in load.issues]) == ("cp932", [(3, "encoding")])


def _mapping(tmp_path: Path, text: str = MAPPING_TOML) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [
    "[columns]\nid = 1\n",                                        # required items missing
    MAPPING_TOML + "unknown = 3\n",                               # unknown item
    MAPPING_TOML.replace('encoding = "auto"', 'encoding = "latin-1"'),
    "not toml = = 1",
])
def test_load_mapping__wrong_file__config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        load_mapping(_mapping(tmp_path, text))


def test_read_extract__mapped_column_absent__device_error(tmp_path: Path) -> None:
    path = _extract(tmp_path, [])
    mapping = MAPPING_TOML.replace('"氏名カナ"', '"カナ氏名"')
    with pytest.raises(DeviceError):
        read_extract(path, load_mapping(_mapping(tmp_path, mapping)))


def test_read_extract__numbered_columns_no_header__reads(tmp_path: Path) -> None:
    path = tmp_path / "numbered.csv"
    path.write_text("7001,100000001,ヤマダ　タロウ,山田　太郎,19930101,1,世帯主\n", encoding="utf-8")
    mapping = ('header = false\n[columns]\nhousehold = 1\nid = 2\nkana = 3\nname = 4\n'
               'birth_date = 5\nsex = 6\nrelation = 7\n')
    load = read_extract(path, load_mapping(_mapping(tmp_path, mapping)))
    assert [(r.id, r.household_id, r.address) for r in load.residents] == [
        ("100000001", "7001", "")]


def test_synthetic_register__demo__finds_by_kana() -> None:
    register = SyntheticRegister(500)
    found = register.find(parse_query("さ"), limit=10)
    assert found
    assert all(one.kana.startswith("サ") for one in found)
    assert parse_query("さ").kind is QueryKind.KANA
