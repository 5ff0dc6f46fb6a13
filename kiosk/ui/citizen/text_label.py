"""The label a citizen's text is set in, chosen by its language, for the tablet's screens and
the start-up Welcome alike (so that the Welcome's lines break in the same places in both).

Japanese is laid out by :class:`~kiosk.ui.common.ruby_label.RubyLabel`, with or without
readings: its lines end at a phrase (お選びください。|複数), where Qt's would break between any
two characters. やさしい日本語 is written with spaces between words, and its lines break there.
Other languages get a :class:`~kiosk.ui.common.leaded_label.LeadedLabel`.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

from kiosk.ruby import has_ruby, strip_ruby
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.ruby_label import RubyLabel

__all__ = ["LONG_WORD_LANGUAGES", "SPACED_LANGUAGES", "keep_words_whole", "text_label"]

# Japanese written with a space between words (やさしい日本語's 分かち書き): a line should break
# at the spaces, as a reader of it expects, but Qt breaks Japanese between any two characters.
SPACED_LANGUAGES = ("ja@easy",)
# Languages whose words are long (design tokens: a screen's h1 is 40 px in them, not 44): at 44
# a Vietnamese title took a line more, and the Welcome no longer fitted the screen.
LONG_WORD_LANGUAGES = ("vi", "id", "tl")
_PHRASED_LANGUAGES = ("ja",)
_WORD_JOINER = "\u2060"
# Where a line may break even inside a run without spaces: after the end of a phrase, before
# an opening bracket.
_PHRASE_BREAK = re.compile(r"(?<=[。、！？」）])|(?=[「（])")
# A longer run is left breakable: at 200 % it could be wider than the screen.
_LONGEST_JOINED = 10


def keep_words_whole(text: str) -> str:
    """``text`` with a word joiner between the characters of each short word, so that a label
    breaks its lines at spaces, after sentence punctuation and before brackets."""
    out: list[str] = []
    for chunk in re.split(r"(\s+)", text):
        for word in _PHRASE_BREAK.split(chunk):
            out.append(_WORD_JOINER.join(word) if len(word) <= _LONGEST_JOINED else word)
    return "".join(out)


def text_label(shown: str, language: str) -> QLabel:
    """A word-wrapped label for ``shown`` (furigana markup drawn as readings) in
    ``language``; in a language of long words its ``words`` property is ``"long"`` (the style
    sets its headings a size smaller, as the design does)."""
    if has_ruby(shown) or language in _PHRASED_LANGUAGES:
        return RubyLabel(shown)
    plain = strip_ruby(shown)
    label = LeadedLabel(keep_words_whole(plain) if language in SPACED_LANGUAGES else plain)
    if language in LONG_WORD_LANGUAGES:
        label.setProperty("words", "long")
    return label
