"""The kiosk's own sentence splitting, used before text reaches Argos Translate.

argostranslate's default splitter (minisbd) downloads an ONNX model on first use and fails
offline; stanza and spaCy pull gigabytes. Counter speech and typed answers are short, so rules
suffice: a sentence ends at 。！？ (and their half-width forms), at ``.!?`` followed by a space or
the end, and at a line break. Closing quotes and brackets stay with their sentence.

Japanese quotes: 。 inside 「」 or 『』 does not end the sentence (「住民票です。三百円です。」と
言われました。 is one); a quote ending in 。」 ends it unless a particle (と, って, を, ...)
follows. An opening bracket without its closing one on the line is ignored.

Thai has no sentence punctuation; a space separates sentences, but also clauses, numbers and
names. The rule here splits only at a space between Thai letters right after a sentence-final
particle (ครับ, ค่ะ, คะ, นะ, ไหม, ...), which is how polite counter speech ends. Other spaces are
kept: an unpunctuated Thai text without such particles stays one sentence (the limit).
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_CLOSERS = "」』）)】〕\"'”’"
# CJK enders end a sentence wherever they stand; Latin ones only before a space or the end,
# so "3.5", "e.g.x" and "www.city.tome.miyagi.jp" stay whole. The danda ends Nepali sentences.
_BOUNDARY = re.compile(
    rf"(?:[。！？｡!?？！]+|[।॥]|(?<!\d)\.(?=[\s{re.escape(_CLOSERS)}]|$))[{re.escape(_CLOSERS)}]*")

_QUOTES = {"「": "」", "『": "』"}
# Particles that tie a closed quote to the rest of its sentence (「…。」と言った, 『…。』を).
_PARTICLES_AFTER_QUOTE = ("と", "っ", "を", "が", "は", "の", "に", "も", "で", "など")
# A space after one of these polite or question particles, between Thai letters, ends a sentence.
_THAI_BOUNDARY = re.compile(r"(?:ครับ|ค่ะ|คะ|นะ|ไหม|มั้ย|จ้ะ|จ้า)( +)(?=[\u0e01-\u0e4f])")

# Abbreviations after which a full stop does not end an English or Spanish sentence.
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "no", "st", "sr", "sra", "e.g", "i.e", "etc"})


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each stripped; empty pieces are dropped.

    Works for Japanese (quotes kept whole), Chinese, Nepali, Thai (see the module's note) and the
    Latin-script languages.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        quoted = _quoted_spans(line)
        for match in _BOUNDARY.finditer(line):
            end = match.end()
            if match.group().startswith(".") and _ends_with_abbreviation(line[start:match.start()]):
                continue
            if _inside_quote(quoted, match.start(), end) or (
                    line[end - 1] in _QUOTES.values() and line.startswith(_PARTICLES_AFTER_QUOTE, end)):
                continue
            sentences += _split_thai(line[start:end])
            start = end
        sentences += _split_thai(line[start:])
    return [s.strip() for s in sentences if s.strip()]


def _quoted_spans(line: str) -> list[tuple[int, int]]:
    """(opening, closing) positions of the balanced 「」 and 『』 pairs of ``line``."""
    spans, stack = [], []
    for position, char in enumerate(line):
        if char in _QUOTES:
            stack.append((char, position))
        elif stack and char == _QUOTES[stack[-1][0]]:
            spans.append((stack.pop()[1], position))
    return spans


def _inside_quote(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a boundary at ``start:end`` lies in a quote it does not close."""
    return any(opening < start and closing >= end for opening, closing in spans)


def _split_thai(sentence: str) -> list[str]:
    pieces, start = [], 0
    for match in _THAI_BOUNDARY.finditer(sentence):
        pieces.append(sentence[start:match.start(1)])
        start = match.end(1)
    return [*pieces, sentence[start:]]


def _ends_with_abbreviation(before: str) -> bool:
    words = before.split()
    return bool(words) and words[-1].lower().rstrip(".") in _ABBREVIATIONS
