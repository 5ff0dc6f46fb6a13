"""Proposed readings of the simulated persons' names, from Open JTalk's dictionary."""

from __future__ import annotations

from typing import Any

import pytest

from devices.smartcard.simulated_card import load_person
from devices.speech.reading import OpenJTalkReadings, reading_of


@pytest.mark.parametrize(("person", "expected"), [
    ("plain", "シケン\u3000ハナコ"),
    ("gaiji", "ヨシダ\u3000タカサキ"),          # 𠮷 and 髙﨑 read like 吉 and 高崎
    ("locked", "セジョウ\u3000イチロウ"),       # ウ, not the pronounced ー
    ("sex9", "ナナシ"),                         # a mononym: one word, no U+3000
])
def test_propose__simulated_person__reads_family_and_given_name(person, expected):
    name = load_person(person).name

    assert OpenJTalkReadings().propose(name) == expected


@pytest.mark.parametrize("name", ["", "\u3000", "NGUYEN\u3000VAN AN", "Maria Santos",
                                  "試験\u3000Anna"])
def test_propose__empty_or_latin_name__proposes_nothing(name):
    assert OpenJTalkReadings().propose(name) is None


def _frontend(reads: dict[str, str]) -> Any:
    def run(text: str) -> list[dict[str, Any]]:
        return [{"string": text, "read": reads.get(text, "")}]
    return run


def _broken(_text: str) -> list[dict[str, Any]]:
    raise ImportError("no pyopenjtalk")


@pytest.mark.parametrize(("frontend", "expected"), [
    (_frontend({"登米": "トヨマ", "花子": "ハナコ"}), "トヨマ\u3000ハナコ"),
    (_frontend({"登米": "とよま", "花子": "ﾊﾅｺ"}), "トヨマ\u3000ハナコ"),   # normalised
    (_frontend({"登米": "トヨマ"}), None),                                   # one word unread
    (_frontend({"登米": "＊", "花子": "ハナコ"}), None),                     # not kana
    (_broken, None),
])
def test_propose__dictionary_answer__normalised_or_none(frontend, expected):
    assert OpenJTalkReadings(frontend).propose("登米\u3000花子") == expected


@pytest.mark.parametrize(("word", "expected"), [("佐藤", "サトウ"), ("大野", "オオノ")])
def test_reading_of__long_vowel__orthographic_not_pronounced(word, expected):
    assert reading_of(word) == expected


def test_warm_up__called__looks_a_word_up_once():
    looked_up: list[str] = []

    def frontend(text: str) -> list[dict[str, object]]:
        looked_up.append(text)
        return [{"read": "マドグチ"}]

    OpenJTalkReadings(frontend).warm_up()

    assert looked_up == ["窓口"]
