"""Readings (フリガナ) and furigana markup.

Today's My Number cards carry no reading, so the kiosk asks for it or has the citizen confirm
a proposal; whatever is typed is normalised here to full-width katakana with one U+3000 between
family and given name, which is how 住民票 records it.

Furigana in やさしい日本語 texts are written ``{漢字|かんじ}`` in the definitions.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.ruby import RUBY_GROUP, parse_ruby, strip_ruby

__all__ = [
    "RUBY",
    "is_reading",
    "normalize_reading",
    "plain_text",
    "ruby_ok",
    "ruby_segments",
    "to_hiragana",
    "to_katakana",
]

_HIRAGANA_TO_KATAKANA = 0x60  # ぁ (U+3041) + 0x60 = ァ (U+30A1)
_READING = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FD\u30FE]+(\u3000[\u30A1-\u30FA\u30FC\u30FD\u30FE]+)*$")
RUBY = RUBY_GROUP      # the one definition of the markup: kiosk.ruby


# One translate table (C speed: the register's 50,000 readings are folded at every load).
_TO_KATAKANA = str.maketrans({chr(c): chr(c + _HIRAGANA_TO_KATAKANA)
                              for c in (*range(0x3041, 0x3097), 0x309D, 0x309E)})


def to_katakana(text: str) -> str:
    """Hiragana -> katakana; other characters unchanged."""
    return text.translate(_TO_KATAKANA)


def to_hiragana(text: str) -> str:
    """Katakana -> hiragana (for やさしい日本語 display); ヴ ヵ ヶ and ー stay."""
    return "".join(chr(ord(c) - _HIRAGANA_TO_KATAKANA) if "\u30A1" <= c <= "\u30F4"
                   or c in "\u30FD\u30FE" else c for c in text)


def normalize_reading(text: str) -> str:
    """A typed reading as full-width katakana with single ideographic spaces.

    Half-width katakana (ｶﾀｶﾅ) become full-width, hiragana become katakana, any run of spaces
    (ASCII or U+3000) becomes one U+3000, and the ends are trimmed.
    """
    # NFKC folds half-width katakana and their separate dakuten into full-width letters.
    folded = (text if unicodedata.is_normalized("NFKC", text)
              else unicodedata.normalize("NFKC", text))
    katakana = to_katakana(folded)
    return "\u3000".join(katakana.split())


def is_reading(text: str) -> bool:
    """Whether ``text`` is already a normalised reading (katakana, ー, U+3000 between words)."""
    return bool(_READING.match(text))


def ruby_segments(text: str) -> list[tuple[str, str]]:
    """Split furigana markup into ``(base, reading)`` pairs; plain runs have an empty reading."""
    return [(span.base, span.reading) for span in parse_ruby(text) if span.base]


def plain_text(text: str) -> str:
    """Text with furigana markup removed (the base characters kept)."""
    return strip_ruby(text)


def ruby_ok(text: str) -> bool:
    """Whether all braces and bars in ``text`` belong to well-formed ``{base|reading}`` pairs."""
    rest = RUBY.sub("", text)
    return not any(c in rest for c in "{}|")
