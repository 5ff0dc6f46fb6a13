"""Translations: catalogs load per language, fall back to English, and are checked for gaps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli.i18n_commands import problems
from kiosk.i18n import (
    FIRST_TIER,
    LANGUAGES,
    N_,
    catalog_path,
    language_name,
    staff_translator,
    translator,
)
from kiosk.paths import locales_dir

WELCOME = N_("Welcome to Tome City Hall")


@pytest.mark.parametrize(("code", "expected"), [
    ("ja", "登米市役所へようこそ"),
    ("vi", "Chào mừng quý vị đến Tòa thị chính thành phố Tome"),
    ("en", "Welcome to Tome City Hall"),
])
def test_translator__known_language__translates(code, expected):
    assert translator(code)(WELCOME) == expected


def test_translator__language_without_catalog__falls_back_to_english():
    assert translator("xx")(WELCOME) == WELCOME


def test_translator__placeholders__are_filled_after_translation():
    tr = staff_translator("ja")

    text = tr("The printer could not print: {reason}", reason="paper jam")

    assert text == "印刷できませんでした: paper jam"


def test_translator__broken_placeholder_in_catalog__falls_back_to_english(tmp_path):
    source = catalog_path("ja", domain="staff")
    target = catalog_path("ja", tmp_path, domain="staff")
    target.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8").replace("印刷できませんでした: {reason}",
                                                      "印刷できませんでした: {cause}")
    target.write_text(text, encoding="utf-8")

    tr = staff_translator("ja", root=tmp_path)

    assert tr("The printer could not print: {reason}", reason="jam") == \
        "The printer could not print: jam"


def test_languages__first_tier__each_has_a_native_name_and_a_catalog():
    codes = {language.code for language in LANGUAGES}

    assert set(FIRST_TIER) <= codes
    for code in FIRST_TIER:
        assert catalog_path(code).exists(), code


def test_i18n_check__repository_catalogs__report_no_problem():
    assert problems() == []


def _copy_catalogs(tmp_path: Path) -> Path:
    root = tmp_path / "locales"
    shutil.copytree(locales_dir(), root)
    return root


def test_i18n_check__emptied_first_tier_entry__is_reported(tmp_path):
    root = _copy_catalogs(tmp_path)
    po = catalog_path("vi", root)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Chạm vào đây để bắt đầu"', 'msgstr ""'), encoding="utf-8")

    found = problems(root)

    assert any("[vi] missing translation for 'Tap here to start'" in line for line in found)


def test_i18n_check__fuzzy_entry__is_reported(tmp_path):
    root = _copy_catalogs(tmp_path)
    po = catalog_path("id", root)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Tap here to start"', '#, fuzzy\nmsgid "Tap here to start"'),
                  encoding="utf-8")

    assert any("[id] fuzzy translation for 'Tap here to start'" in line for line in problems(root))


def test_i18n_check__placeholder_mismatch__is_reported(tmp_path):
    root = _copy_catalogs(tmp_path)
    po = catalog_path("ja", root, domain="staff")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("印刷できませんでした: {reason}", "印刷できませんでした: {why}"),
                  encoding="utf-8")

    assert any("placeholders ['why'] differ from ['reason']" in line for line in problems(root))


def test_i18n_check__stale_template__is_reported(tmp_path):
    root = _copy_catalogs(tmp_path)
    pot = root / "kiosk.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace('msgid "Tap here to start"',
                                                           'msgid "Tap to begin"'),
                   encoding="utf-8")

    assert any("kiosk.pot: out of date" in line for line in problems(root))


@pytest.mark.parametrize(("code", "expected"), [
    ("vi", "ベトナム語"), ("en", "英語"), ("ja", "日本語"), ("ja@easy", "やさしい日本語"),
    ("unknown", "unknown")])
def test_language_name__in_japanese__the_clerks_word_not_the_code(code, expected):
    assert language_name(code) == expected


@pytest.mark.parametrize(("in_language", "expected"), [
    ("ja", "タガログ語"), ("ja@easy", "タガログ語"), ("en", "Tagalog"), ("vi", "Tiếng Tagalog"),
    ("zh_Hans", "他加禄语"), ("ko", "타갈로그어"), ("tl", "Tagalog"), ("ne", "Tagalog")])
def test_language_name__tagalog__tagalog_not_filipino_of_the_philippines(in_language, expected):
    # CLDR aliases tl to fil_PH: its display name was "フィリピノ語 (フィリピン)".
    assert language_name("tl", in_language) == expected


def test_language_name__every_offered_language_in_every_other__no_country_nor_filipino():
    names = {(code.code, shown.code): language_name(code.code, shown.code)
             for code in LANGUAGES for shown in LANGUAGES}
    assert [(pair, name) for pair, name in names.items()
            if "フィリピ" in name or "Filipino" in name or "Philippines" in name] == []


def test_language_name__every_offered_language__named_without_its_code():
    names = [language_name(entry.code) for entry in LANGUAGES]
    assert all(name and name != entry.code for name, entry in zip(names, LANGUAGES, strict=True))
