"""Furigana markup: parsing, stripping, formatting with placeholders, annotation by readings."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from kiosk.i18n import Translator
from kiosk.ruby import (
    RubySpan,
    annotate,
    format_marked,
    has_kanji,
    has_ruby,
    mark_words,
    parse_ruby,
    strip_ruby,
    to_markup,
)


@pytest.mark.parametrize(("text", "spans"), [
    ("", [RubySpan("")]),
    ("ひらがな", [RubySpan("ひらがな")]),
    ("{住民票|じゅうみんひょう}の うつし",
     [RubySpan("住民票", "じゅうみんひょう"), RubySpan("の うつし")]),
    ("まえ{市|し}{役所|やくしょ}", [RubySpan("まえ"), RubySpan("市", "し"),
                               RubySpan("役所", "やくしょ")]),
    ("{a|b", [RubySpan("{a|b")]),               # not a group: left as written
])
def test_parse_ruby__markup__splits_into_spans(text, spans):
    assert parse_ruby(text) == spans
    assert to_markup(spans) == text


@pytest.mark.parametrize(("text", "plain"), [
    ("{住民票|じゅうみんひょう}の うつし", "住民票の うつし"),
    ("no markup {name}", "no markup {name}"),
])
def test_strip_ruby__markup__keeps_the_base(text, plain):
    assert strip_ruby(text) == plain


@pytest.mark.parametrize(("text", "ruby", "kanji"), [
    ("{市|し}", True, True), ("しやくしょ", False, False), ("一ヶ月", False, True),
    ("Tome", False, False),
])
def test_has_ruby_and_kanji__text__are_detected(text, ruby, kanji):
    assert (has_ruby(text), has_kanji(text)) == (ruby, kanji)


def test_format_marked__placeholders_and_groups__fills_one_keeps_the_other():
    text = format_marked("{番号|ばんごう}は {number} です", {"number": "A-001"})

    assert text == "{番号|ばんごう}は A-001 です"


def test_format_marked__missing_placeholder__raises_key_error():
    with pytest.raises(KeyError):
        format_marked("{番号|ばんごう}は {number}", {})


READINGS = {"写し": "ウツシ", "住民票の": "ジュウミンヒョウノ", "申し込み": "モウシコミ",
            "市役所へようこそ": "シヤクショヘヨウコソ", "来る": "キタ"}


@pytest.mark.parametrize(("text", "expected"), [
    ("住民票の写し", "{住民票|じゅうみんひょう}の{写|うつ}し"),
    ("申し込み", "{申|もう}し{込|こ}み"),          # each kanji with its own okurigana
    ("市役所へようこそ", "{市役所|しやくしょ}へようこそ"),
    ("{住民票|じゅうみんひょう}の写し", "{住民票|じゅうみんひょう}の{写|うつ}し"),
    ("来る", "来る"),                              # reading does not end with る: left bare
    ("English only", "English only"),
])
def test_annotate__kanji_runs__get_the_reading_without_okurigana(text, expected):
    def read(word: str) -> str | None:
        return {"申し": "モウシ", "込み": "コミ", **READINGS}.get(word)

    assert annotate(text, read) == expected


def test_annotate__known_word__uses_its_reading_not_the_dictionary():
    def read(word: str) -> str | None:
        return {"登米市に": "トヨネシニ", "市に": "シニ"}.get(word)

    assert annotate("登米市に", read, {"登米": "とめ"}) == "{登米|とめ}{市|し}に"


@pytest.mark.parametrize(("text", "expected"), [
    ("登米市と登米", "{登米|とめ}市と{登米|とめ}"),
    ("{登米|とめ}市", "{登米|とめ}市"),                 # already marked: unchanged
    ("仙台市", "仙台市"),
])
def test_mark_words__known_words__become_groups(text, expected):
    assert mark_words(text, {"登米": "とめ"}) == expected


def test_annotate__no_reading__leaves_the_text_bare():
    assert annotate("登米市", lambda _word: None) == "登米市"


def _translator(entries: dict[str, str]) -> Translator:
    catalog = Catalog(locale="ja")
    for message_id, text in entries.items():
        catalog.add(message_id, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translator("ja", gettext.GNUTranslations(buffer))


def test_translator__markup_in_translation__plain_by_default_kept_by_marked():
    tr = _translator({"Your number is {number}.": "{番号|ばんごう}は {number} です。"})

    assert tr("Your number is {number}.", number="A-1") == "番号は A-1 です。"
    assert tr.marked("Your number is {number}.", number="A-1") == "{番号|ばんごう}は A-1 です。"
