"""The register copy database and its read-only view: every key, folding, the household,
on SQLite and on the suite's PostgreSQL, with the synthetic 50,000 residents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from devices.register.synthetic import synthetic_residents
from kiosk.domain.resident import Resident
from kiosk.domain.resident_query import parse_query
from kiosk.storage.engine import make_engine
from kiosk.storage.register_copy import load_copy
from kiosk.storage.register_view import SqlViewRegister

COUNT = 50_000


@pytest.fixture(scope="module")
def residents() -> list[Resident]:
    return synthetic_residents(COUNT)


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def copy_url(request: pytest.FixtureRequest, residents: list[Resident],
             tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('copy') / 'register.sqlite3'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = str(server.url(server.create_database()))
    assert load_copy(url, residents) == COUNT
    return url


@pytest.fixture
def register(copy_url: str) -> Iterator[SqlViewRegister]:
    view = SqlViewRegister(copy_url)
    yield view
    view.close()


@pytest.mark.parametrize("pick", [0, 777, COUNT - 1])
def test_find__each_key__finds_the_resident(register: SqlViewRegister,
                                            residents: list[Resident], pick: int) -> None:
    wanted = residents[pick]
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in wanted.kana)
    for typed in (wanted.id, wanted.birth_date.strftime("%Y%m%d"), hiragana, wanted.name):
        found = register.find(parse_query(typed), limit=COUNT)
        assert wanted.id in [one.id for one in found], parse_query(typed).kind
    assert register.resident(wanted.id) == wanted


def test_find__variant_kanji__both_spellings_from_the_view(register: SqlViewRegister) -> None:
    found = register.find(parse_query("渡辺"), limit=COUNT)
    assert {one.name.split("\u3000")[0] for one in found} == {"渡辺", "渡邊"}


def test_find__wareki_and_seireki__same_residents(register: SqlViewRegister) -> None:
    wareki = [one.id for one in register.find(parse_query("4050101"))]
    assert wareki == [one.id for one in register.find(parse_query("19930101"))]
    assert wareki


def test_find__limit__at_most_limit_in_id_order(register: SqlViewRegister) -> None:
    found = [one.id for one in register.find(parse_query("サ"), limit=7)]
    assert len(found) == 7
    assert found == sorted(found)


def test_find__like_wildcards_typed__matched_literally(register: SqlViewRegister) -> None:
    assert register.find(parse_query("%")) == []
    assert register.find(parse_query("山_")) == []


def test_household__member__head_first_whole_household(register: SqlViewRegister,
                                                        residents: list[Resident]) -> None:
    member = next(r for r in residents if r.relation in ("妻", "夫"))
    household = register.household(member.id)
    expected = {r.id for r in residents if r.household_id == member.household_id}
    assert household is not None
    assert household.members[0].relation == "世帯主"
    assert {one.id for one in household.members} == expected
    assert register.household("1") is None


def test_probe__loaded_copy__ok_with_count(register: SqlViewRegister) -> None:
    (check,) = register.probe()
    assert (check.status.value, str(COUNT) in check.detail) == ("ok", True)


@pytest.mark.postgres
def test_view__postgres__refuses_to_write(postgres_server: object,
                                          residents: list[Resident]) -> None:
    url = str(postgres_server.url(postgres_server.create_database()))  # type: ignore[attr-defined]
    load_copy(url, residents[:100])
    register = SqlViewRegister(url)
    try:
        with register._engine.connect() as connection, pytest.raises(SQLAlchemyError,
                                                                     match="read-only"):
            connection.execute(text("DELETE FROM register_residents"))
    finally:
        register.close()


def test_probe__no_view__fail_names_the_fix(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    make_engine(url).dispose()
    (check,) = SqlViewRegister(url).probe()
    assert check.status.value == "fail"
    assert "kiosk_residents" in check.fix
