"""The language-purity rule of the every-screen checks, shared with the pilot day (tests/e2e).

A visible text (an entry of :func:`kiosk.ui.common.text_report.visible_texts`) leaks when a
screen in another language than Japanese shows Japanese in it: kana on a Chinese screen (kanji
are Chinese too), kana or kanji on any other. Personal data (the card's name and address) and
texts marked with their own language (the city's name, language names) are never leaks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["JAPANESE", "KANA", "foreign_text"]

KANA = re.compile(r"[\u3040-\u30ff]")                 # hiragana and katakana
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")   # and kanji


def foreign_text(text: Mapping[str, object], code: str) -> bool:
    """Whether ``text`` is Japanese leaking onto a screen in language ``code``."""
    shown = str(text["text"] or "")
    leak = KANA if code == "zh_Hans" else JAPANESE
    return not code.startswith("ja") and not text["personal"] and not text["lang"] and \
        leak.search(shown) is not None
