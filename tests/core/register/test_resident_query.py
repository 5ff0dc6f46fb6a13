"""Reading what the clerk types into one key, and folding names and readings."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.resident import Household, Resident, relation_code
from kiosk.domain.resident_query import (
    QueryError,
    QueryKind,
    fold_kana,
    fold_name,
    parse_query,
)


@pytest.mark.parametrize(("typed", "kind", "key", "day"), [
    ("19930101", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),
    ("１９９３０１０１", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),
    ("4050101", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),         # 平成5年1月1日
    ("3640107", QueryKind.BIRTH_DATE, "", date(1989, 1, 7)),         # 昭和64年1月7日
    ("5010501", QueryKind.BIRTH_DATE, "", date(2019, 5, 1)),         # 令和元年5月1日
    ("1450729", QueryKind.BIRTH_DATE, "", date(1912, 7, 29)),        # 明治45年7月29日
    ("平成5年1月1日", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),
    ("H5.1.1", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),
    ("1993-01-01", QueryKind.BIRTH_DATE, "", date(1993, 1, 1)),
    ("100000007", QueryKind.RESIDENT_ID, "100000007", None),
    ("#19930101", QueryKind.RESIDENT_ID, "19930101", None),
    ("99999999", QueryKind.RESIDENT_ID, "99999999", None),            # no such date
    ("やまだ　たろう", QueryKind.KANA, "ヤマダタロウ", None),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", QueryKind.KANA, "ヤマダタロウ", None),
    ("ヤマダ", QueryKind.KANA, "ヤマダ", None),
    ("山田 太郎", QueryKind.NAME, "山田太郎", None),
    ("髙橋", QueryKind.NAME, "高橋", None),
    ("山﨑", QueryKind.NAME, "山崎", None),
    ("渡邊", QueryKind.NAME, "渡辺", None),
    ("齋藤", QueryKind.NAME, "斉藤", None),
])
def test_parse_query__each_key__reads_its_kind(typed: str, kind: QueryKind, key: str,
                                                day: date | None) -> None:
    query = parse_query(typed)
    assert (query.kind, query.key, query.birth_date) == (kind, key, day)


@pytest.mark.parametrize("typed", ["", "   ", "4310501", "平成31年5月1日", "4130230"])
def test_parse_query__empty_or_impossible_date__clear_error(typed: str) -> None:
    with pytest.raises(QueryError):
        parse_query(typed)


@pytest.mark.parametrize(("a", "b"), [
    ("髙橋　一郎", "高橋一郎"), ("山﨑", "山崎"), ("渡邉", "渡辺"), ("齊藤", "斎藤"),
    ("澤田", "沢田"), ("濱田", "浜田"), ("葛\U000e0100西", "葛西"),
])
def test_fold_name__variant_and_everyday_kanji__same_key(a: str, b: str) -> None:
    assert fold_name(a) == fold_name(b)


def test_fold_kana__hiragana_halfwidth_and_katakana__same_key() -> None:
    assert fold_kana("さとう はなこ") == fold_kana("ｻﾄｳ ﾊﾅｺ") == fold_kana("サトウ　ハナコ")


@pytest.mark.parametrize(("relation", "code"), [
    ("世帯主", "head"), ("妻", "spouse"), ("夫", "spouse"), ("長男", "child"), ("二女", "child"),
    ("子", "child"), ("養子", "child"), ("母", "parent"), ("父", "parent"), ("孫", "other"),
    ("子の妻", "other"), ("義父", "other"),
])
def test_relation_code__register_words__form_choice(relation: str, code: str) -> None:
    assert relation_code(relation) == code


def test_repr__resident_household_query__no_personal_data() -> None:
    resident = Resident(id="100000001", household_id="7", name="山田　太郎", kana="ヤマダ　タロウ",
                        birth_date=date(1993, 1, 1), sex="1", relation="世帯主",
                        address="宮城県登米市迫町1番地", honseki="宮城県登米市迫町1番地")
    text = repr(resident) + repr(Household("7", (resident,))) + repr(parse_query("やまだ"))
    for secret in ("山田", "ヤマダ", "1993", "宮城", "世帯主"):
        assert secret not in text
