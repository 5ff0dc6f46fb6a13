"""Readings: normalisation to katakana, and furigana markup."""

from __future__ import annotations

import pytest

from kiosk.procedures.kana import (
    is_reading,
    normalize_reading,
    plain_text,
    ruby_ok,
    ruby_segments,
    to_hiragana,
)


@pytest.mark.parametrize(("typed", "normalised"), [
    ("とめ　はなこ", "トメ\u3000ハナコ"),
    ("トメ ハナコ", "トメ\u3000ハナコ"),
    ("ﾄﾒ ﾊﾅｺ", "トメ\u3000ハナコ"),
    ("ｶﾞｯｺｳ", "ガッコウ"),
    ("  さとう   じろう  ", "サトウ\u3000ジロウ"),
    ("ゔぃえっと", "ヴィエット"),
    ("すずき　いちろー", "スズキ\u3000イチロー"),
])
def test_normalize_reading__typed__gives_katakana(typed: str, normalised: str) -> None:
    assert normalize_reading(typed) == normalised
    assert is_reading(normalised)


@pytest.mark.parametrize("text", ["登米 花子", "Tome Hanako", "トメ1", "", "トメ\u3000\u3000ハナコ"])
def test_is_reading__not_kana__is_false(text: str) -> None:
    assert not is_reading(text)


def test_to_hiragana__katakana__gives_hiragana() -> None:
    assert to_hiragana("トメ\u3000ハナコー") == "とめ\u3000はなこー"


def test_ruby__markup__splits_and_strips() -> None:
    text = "{住所|じゅうしょ}を かいて"
    assert ruby_segments(text) == [("住所", "じゅうしょ"), ("を かいて", "")]
    assert plain_text(text) == "住所を かいて"


@pytest.mark.parametrize(("text", "ok"), [
    ("{漢字|かんじ}", True), ("ひらがな", True), ("{漢字|かんじ", False), ("漢字|かんじ}", False),
    ("{漢字}", False),
])
def test_ruby_ok__markup__is_checked(text: str, ok: bool) -> None:
    assert ruby_ok(text) is ok
