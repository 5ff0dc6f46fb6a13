"""Card text is cleaned on the way in, and every output strips or escapes what is unsafe."""

from __future__ import annotations

import pytest

from kiosk.domain.text_cleaning import clean_card_text, escape_unsafe, strip_unsafe

RLO = "\u202e"


@pytest.mark.parametrize(("raw", "kept"), [
    ("試験\x07　花子", "試験　花子"),                          # BEL
    ("試験\x1b[2J　花子", "試験[2J　花子"),                   # ESC (the sequence loses its power)
    ("試験\x00　花子", "試験　花子"),                          # NUL
    (f"登米市{RLO}号1町中", "登米市号1町中"),                  # right-to-left override
    ("a\u2066b\u2069c\u200fd\u061ce", "abcde"),              # isolates and marks
    ("一\u2028二\u2029三\x85四", "一二三四"),                  # line/paragraph separators, NEL
    ("カ\u3099", "ガ"),                                      # NFC composes
    ("𠮷田　髙﨑", "𠮷田　髙﨑"),                              # supplementary plane kept
    ("葛\U000e0100西", "葛\U000e0100西"),                      # IVS kept
    ("神\ufa19", "神\ufa19"),                                # compatibility ideograph kept
    ("\ue000田", "\ue000田"),                                # private-use 外字 kept
], ids=["bel", "esc", "nul", "rlo", "bidi-isolates", "separators", "nfc", "supplementary",
        "ivs", "compatibility-ideograph", "private-use"])
def test_clean_card_text__characters__unsafe_removed_gaiji_kept(raw: str, kept: str) -> None:
    assert clean_card_text(raw) == kept


@pytest.mark.parametrize(("raw", "stripped", "escaped"), [
    ("ab", "ab", "ab"),
    ("a\x1b[31mb", "a[31mb", "a\\u001b[31mb"),
    (f"x{RLO}y", "xy", "x\\u202ey"),
    ("a\x00\x07b", "ab", "a\\u0000\\u0007b"),
])
def test_outputs__unsafe_text__stripped_for_screen_and_escaped_for_terminal(
        raw: str, stripped: str, escaped: str) -> None:
    assert strip_unsafe(raw) == stripped
    assert escape_unsafe(raw) == escaped
