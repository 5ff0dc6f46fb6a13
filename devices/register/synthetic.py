"""A synthetic resident register for the demo, training, tests and benchmarks: no real person.

Names are drawn from common family and given names (with the usual 異体字 such as 髙橋, 山﨑,
渡邊, 齋藤, so folding can be tried), birth dates and households are consistent (a 世帯主, a
spouse, children, sometimes a parent), and addresses and 本籍 are made-up lot numbers in
登米市's towns. The same seed always gives the same register.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from devices.register.memory_index import IndexedRegister, ResidentIndex
from kiosk.domain.resident import Resident

__all__ = ["HEADER", "MAPPING_TOML", "SyntheticRegister", "synthetic_residents", "write_extract"]

_FAMILIES = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("髙橋", "タカハシ"), ("高橋", "タカハシ"),
    ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡邊", "ワタナベ"), ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山﨑", "ヤマザキ"),
    ("山崎", "ヤマザキ"), ("齋藤", "サイトウ"), ("斎藤", "サイトウ"), ("千葉", "チバ"),
    ("阿部", "アベ"), ("菅原", "スガワラ"), ("及川", "オイカワ"), ("小野寺", "オノデラ"),
    ("熊谷", "クマガイ"), ("三浦", "ミウラ"), ("後藤", "ゴトウ"), ("遠藤", "エンドウ"),
    ("澤田", "サワダ"), ("濱田", "ハマダ"), ("菊地", "キクチ"), ("村上", "ムラカミ"),
)
_MEN = (("太郎", "タロウ"), ("一郎", "イチロウ"), ("健太", "ケンタ"), ("翔", "ショウ"),
        ("大輔", "ダイスケ"), ("浩", "ヒロシ"), ("誠", "マコト"), ("隆", "タカシ"),
        ("悠真", "ユウマ"), ("蓮", "レン"), ("湊", "ミナト"), ("勝", "マサル"))
_WOMEN = (("花子", "ハナコ"), ("陽子", "ヨウコ"), ("美咲", "ミサキ"), ("恵子", "ケイコ"),
          ("由美", "ユミ"), ("結衣", "ユイ"), ("さくら", "サクラ"), ("陽菜", "ヒナ"),
          ("幸子", "サチコ"), ("智子", "トモコ"), ("凛", "リン"), ("葵", "アオイ"))
_TOWNS = ("迫町佐沼", "登米町寺池", "東和町米谷", "中田町上沼", "豊里町", "米山町西野",
          "石越町南郷", "南方町", "津山町柳津")
_CHILDREN = (("長男", "長女"), ("二男", "二女"), ("三男", "三女"))

HEADER = ("宛名番号", "世帯番号", "氏名", "氏名カナ", "生年月日", "性別", "続柄", "住所", "本籍",
          "筆頭者")
MAPPING_TOML = """\
# The synthetic extract's columns (scripts/make_synthetic_register.py); a city's file differs.
encoding = "auto"
header = true
[columns]
id = "宛名番号"
household = "世帯番号"
name = "氏名"
kana = "氏名カナ"
birth_date = "生年月日"
sex = "性別"
relation = "続柄"
address = "住所"
honseki = "本籍"
hittosha = "筆頭者"
"""


def synthetic_residents(count: int, seed: int = 20) -> list[Resident]:
    """``count`` made-up residents in households, 宛名番号 from 100000001 upwards."""
    rng = random.Random(seed)  # noqa: S311 - made-up people, not a secret
    residents: list[Resident] = []
    household = 0
    while len(residents) < count:
        household += 1
        residents += _household(rng, f"{700000000 + household}", len(residents),
                                min(rng.choice((1, 1, 2, 2, 3, 4, 4, 5)), count - len(residents)))
    return residents


def _household(rng: random.Random, household_id: str, first: int, size: int) -> list[Resident]:
    family, family_kana = rng.choice(_FAMILIES)
    address = f"宮城県登米市{rng.choice(_TOWNS)}字{rng.choice('上中下東西南北')}{rng.randint(1, 99)}番地"
    honseki = (address if rng.random() < 0.7
               else f"宮城県{rng.choice(('仙台市青葉区', '石巻市', '気仙沼市'))}{rng.randint(1, 50)}番地")
    head_birth = date(1935, 1, 1) + timedelta(days=rng.randint(0, 365 * 70))
    head_male = rng.random() < 0.7
    roles = ["世帯主"]
    if size >= 2:
        roles.append("妻" if head_male else "夫")
    roles += [_CHILDREN[min(i, 2)][rng.randint(0, 1)] for i in range(max(0, size - 2))]
    if size >= 4 and rng.random() < 0.3:
        roles[-1] = "母" if rng.random() < 0.6 else "父"
    hittosha = f"{family}\u3000{rng.choice(_MEN if head_male else _WOMEN)[0]}"
    members = []
    for index, relation in enumerate(roles):
        male = _is_male(relation, head_male, rng)
        given, given_kana = rng.choice(_MEN if male else _WOMEN)
        birth = _birth(rng, head_birth, relation)
        if relation == "世帯主":
            hittosha = f"{family}\u3000{given}"
        members.append(Resident(
            id=f"{100000001 + first + index}", household_id=household_id,
            name=f"{family}\u3000{given}", kana=f"{family_kana}\u3000{given_kana}",
            birth_date=birth, sex="1" if male else "2", relation=relation, address=address,
            honseki=honseki, hittosha=hittosha))
    return members


def _is_male(relation: str, head_male: bool, rng: random.Random) -> bool:
    if relation == "世帯主":
        return head_male
    if relation in ("妻", "母"):
        return False
    if relation in ("夫", "父"):
        return True
    return relation.endswith("男") or (not relation.endswith("女") and rng.random() < 0.5)


def _birth(rng: random.Random, head: date, relation: str) -> date:
    if relation == "世帯主":
        return head
    if relation in ("父", "母"):
        return head - timedelta(days=rng.randint(365 * 20, 365 * 35))
    if relation in ("妻", "夫"):
        return head + timedelta(days=rng.randint(-365 * 5, 365 * 5))
    return min(head + timedelta(days=rng.randint(365 * 22, 365 * 40)), date(2025, 12, 31))


def write_extract(residents: Sequence[Resident], path: Path, encoding: str = "cp932") -> None:
    """Write ``residents`` as an extract (:data:`HEADER` columns, 西暦 8-digit birth dates),
    in ``cp932`` (Shift_JIS, as most core systems export) or ``utf-8-sig`` (with BOM)."""
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for r in residents:
            writer.writerow((r.id, r.household_id, r.name, r.kana, r.birth_date.strftime("%Y%m%d"),
                             r.sex, r.relation, r.address, r.honseki, r.hittosha))


class SyntheticRegister(IndexedRegister):
    """:class:`kiosk.ports.ResidentRegister` over a synthetic register (the demo's)."""

    def __init__(self, count: int = 2000, seed: int = 20) -> None:
        self._index = ResidentIndex(synthetic_residents(count, seed), "the synthetic register")
