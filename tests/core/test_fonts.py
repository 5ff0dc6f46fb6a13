"""Which characters the kiosk's fonts draw: bundled UD fonts, IPAmj fallback, 外字 detection."""

from __future__ import annotations

import pytest

from kiosk import fonts


def test_bundled_faces__all_files__exist_and_draw_japanese():
    for face in fonts.bundled_faces():
        assert face.path.is_file(), face.path
        assert fonts.covers(face, "登")
        assert fonts.covers(face, "ア")


@pytest.mark.parametrize(("text", "missing"), [
    ("登米市迫町佐沼", []),
    ("山田　太郎", []),                       # U+3000 is a space, never "missing"
    ("\U00020bb7野家", ["\U00020bb7"]),       # 𠮷 is not in BIZ UD Gothic
    ("葛\U000e0100城", []),                   # an IVS selector is not a character of its own
    ("\U0010fffd", ["\U0010fffd"]),           # a private-use code point no font has
])
def test_missing_characters__ui_font_only__reports_what_it_cannot_draw(text, missing):
    assert fonts.missing_characters(text, [fonts.ui_face()]) == missing


def test_missing_characters__with_ipamj_fallback__draws_supplementary_kanji():
    fallback = fonts.fallback_face()
    assert fallback is not None, "IPAmj Mincho must be installed (fonts-ipamj-mincho)"

    assert fonts.missing_characters("\U00020bb7野", [fonts.ui_face(), fallback]) == []


def test_fallback_face__extra_dir_with_font__is_found_first(tmp_path):
    fallback = fonts.fallback_face()
    assert fallback is not None
    (tmp_path / "ipamjm.ttf").symlink_to(fallback.path)

    assert fonts.fallback_face([tmp_path]).path == tmp_path / "ipamjm.ttf"


def _catalog_texts(code: str) -> str:
    from babel.messages.pofile import read_po

    from kiosk.i18n import catalog_path

    with catalog_path(code).open("rb") as handle:
        catalog = read_po(handle)
    return "".join("".join(m.string) if isinstance(m.string, tuple | list) else m.string or ""
                   for m in catalog)


@pytest.mark.parametrize("code", ["ja", "ja@easy", "en", "vi", "zh_Hans", "ne", "id", "tl"])
def test_screen_faces__every_translation_of_a_first_tier_catalog__can_be_drawn(code):
    from kiosk.i18n import language

    texts = _catalog_texts(code) + language(code).native_name

    assert fonts.missing_characters(texts, fonts.screen_faces()) == []
