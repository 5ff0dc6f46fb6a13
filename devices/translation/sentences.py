"""The kiosk's own sentence splitting, used before text reaches Argos Translate.

argostranslate's default splitter (minisbd) downloads an ONNX model on first use and fails
offline; stanza and spaCy pull gigabytes. Counter speech and typed answers are short, so rules
suffice: a sentence ends at 。！？ (and their half-width forms), at ``.!?`` followed by a space or
the end, and at a line break. Closing quotes and brackets stay with their sentence.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_CLOSERS = "」』）)】〕\"'”’"
# CJK enders end a sentence wherever they stand; Latin ones only before a space or the end,
# so "3.5", "e.g.x" and "www.city.tome.miyagi.jp" stay whole. The danda ends Nepali sentences.
_BOUNDARY = re.compile(
    rf"(?:[。！？｡!?？！]+|[।॥]|(?<!\d)\.(?=[\s{re.escape(_CLOSERS)}]|$))[{re.escape(_CLOSERS)}]*")

# Abbreviations after which a full stop does not end an English or Spanish sentence.
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "no", "st", "sr", "sra", "e.g", "i.e", "etc"})


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each stripped; empty pieces are dropped.

    Works for Japanese, Chinese, Thai (spaces and line breaks) and the Latin-script languages;
    Thai has no sentence punctuation, so only line breaks split it.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _BOUNDARY.finditer(line):
            end = match.end()
            if match.group().startswith(".") and _ends_with_abbreviation(line[start:match.start()]):
                continue
            sentences.append(line[start:end])
            start = end
        sentences.append(line[start:])
    return [s.strip() for s in sentences if s.strip()]


def _ends_with_abbreviation(before: str) -> bool:
    words = before.split()
    return bool(words) and words[-1].lower().rstrip(".") in _ABBREVIATIONS
