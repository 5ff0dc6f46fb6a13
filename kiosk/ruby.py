"""Furigana (ruby) markup: ``{漢字|かんじ}`` in catalogs and form definitions.

A ruby group is a base (the kanji) and its reading, written ``{base|reading}``. The markup is
kept in the texts so that the tablet's furigana mode can draw the reading above the kanji;
everything else (speech, receipts, the clerk's screens, plain labels) reads the text with the
markup removed (:func:`strip_ruby`).

Texts without markup can be given readings with :func:`annotate` and a reading function (the
kiosk's :class:`kiosk.ports.ReadingProposer`): each run of kanji is read together with the
hiragana after it (送り仮名), so 写し reads うつし rather than 写 alone (しゃ).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "RUBY_GROUP",
    "RubySpan",
    "annotate",
    "format_marked",
    "has_kanji",
    "has_ruby",
    "mark_words",
    "parse_ruby",
    "strip_ruby",
    "to_markup",
]

RUBY_GROUP = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")
# Kanji (unified, extension A, compatibility, supplementary planes) and the iteration marks
# that are read with them (々 〆 ヶ as in 一ヶ月).
_KANJI = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3005\u3006\u30F6\U00020000-\U0003FFFF"
_KATAKANA_TO_HIRAGANA = 0x60


@functools.cache
def _kanji_run() -> re.Pattern[str]:
    # Compiled when first asked: the class spans the supplementary planes, and compiling it
    # costs milliseconds that the tablet's first screen, which only strips markup, would wait.
    return re.compile(f"([{_KANJI}]+)([\u3041-\u3096]*)")


@functools.cache
def _any_kanji() -> re.Pattern[str]:
    return re.compile(f"[{_KANJI}]")


@dataclass(frozen=True)
class RubySpan:
    """A run of text and the reading drawn above it (``""``: no reading)."""

    base: str
    reading: str = ""


def parse_ruby(text: str) -> list[RubySpan]:
    """Split ``text`` into spans: ruby groups with their reading, plain runs without."""
    spans: list[RubySpan] = []
    position = 0
    for group in RUBY_GROUP.finditer(text):
        if group.start() > position:
            spans.append(RubySpan(text[position:group.start()]))
        spans.append(RubySpan(group.group(1), group.group(2)))
        position = group.end()
    if position < len(text) or not spans:
        spans.append(RubySpan(text[position:]))
    return spans


def strip_ruby(text: str) -> str:
    """``text`` without markup: each group replaced by its base."""
    return RUBY_GROUP.sub(lambda group: group.group(1), text)


def has_ruby(text: str) -> bool:
    """Whether ``text`` holds at least one ruby group."""
    return RUBY_GROUP.search(text) is not None


def has_kanji(text: str) -> bool:
    """Whether ``text`` contains a kanji (outside or inside markup)."""
    return _any_kanji().search(text) is not None


def to_markup(spans: list[RubySpan]) -> str:
    """The markup of ``spans`` (the inverse of :func:`parse_ruby`)."""
    return "".join(f"{{{span.base}|{span.reading}}}" if span.reading else span.base
                   for span in spans)


def format_marked(text: str, params: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders of ``text`` and keep its ruby groups as they are.

    Raises:
        KeyError, IndexError, ValueError: as :meth:`str.format` for a broken placeholder.
    """
    # Doubled braces survive str.format as single ones: the groups come out unchanged.
    escaped = RUBY_GROUP.sub(lambda group: "{{" + group.group(1) + "|" + group.group(2) + "}}",
                             text)
    return escaped.format(**params)


def mark_words(text: str, words: Mapping[str, str]) -> str:
    """``text`` with each of ``words`` (base -> reading) outside markup made a ruby group:
    readings a dictionary gets wrong, such as place names (登米 is とめ, not とよね)."""
    spans: list[RubySpan] = []
    for span in parse_ruby(text):
        if span.reading or not words:
            spans.append(span)
            continue
        pattern = re.compile("|".join(re.escape(word) for word in
                                      sorted(words, key=len, reverse=True)))
        position = 0
        for found in pattern.finditer(span.base):
            spans += [RubySpan(span.base[position:found.start()]),
                      RubySpan(found.group(), words[found.group()])]
            position = found.end()
        spans.append(RubySpan(span.base[position:]))
    return to_markup([span for span in spans if span.base])


def annotate(text: str, read: Callable[[str], str | None],
             words: Mapping[str, str] | None = None) -> str:
    """``text`` with a ruby group on every kanji run that has none yet.

    ``words`` (base -> reading) are marked first (:func:`mark_words`). ``read`` gives the
    katakana (or hiragana) reading of a word, or ``None``. A run is read with the hiragana that
    follow it; they are taken off the reading again, and a run whose reading does not end with
    them (the dictionary split the word differently) stays bare.
    """
    spans: list[RubySpan] = []
    for span in parse_ruby(mark_words(text, words or {})):
        spans += [span] if span.reading else _annotate_plain(span.base, read)
    return to_markup(spans)


def _annotate_plain(text: str, read: Callable[[str], str | None]) -> list[RubySpan]:
    spans: list[RubySpan] = []
    position = 0
    for run in _kanji_run().finditer(text):
        kanji, okurigana = run.group(1), run.group(2)
        if run.start() > position:
            spans.append(RubySpan(text[position:run.start()]))
        reading = _hiragana(read(kanji + okurigana) or "").replace("\u3000", "")
        if okurigana and reading.endswith(okurigana):
            reading = reading[:-len(okurigana)]
        elif okurigana:
            reading = ""
        spans.append(RubySpan(kanji, reading))
        if okurigana:
            spans.append(RubySpan(okurigana))
        position = run.end()
    if position < len(text):
        spans.append(RubySpan(text[position:]))
    return spans


def _hiragana(text: str) -> str:
    return "".join(chr(ord(c) - _KATAKANA_TO_HIRAGANA) if "\u30A1" <= c <= "\u30F4" else c
                   for c in text)
