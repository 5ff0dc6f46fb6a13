"""Text from outside (the My Number card, stored answers) made safe to show, print and echo.

Characters that change how text is *displayed* rather than what it says are removed: C0/C1
control characters (NUL, BEL, ESC and the rest: a terminal obeys ESC sequences), line and
paragraph separators, and the bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE makes a
clerk read a name backwards). Nothing a real name or address needs is among them.

The 外字 path is kept: supplementary-plane kanji, ideographic variation sequences (U+E0100..),
standardized variation selectors and private-use characters pass unchanged, and NFC is
applied to everything except CJK compatibility ideographs, which NFC would replace by their
unified form and so lose the glyph the 住民票 shows (for example 神 U+FA19 -> 神 U+795E).
"""

from __future__ import annotations

import unicodedata

__all__ = ["clean_card_text", "escape_unsafe", "is_unsafe", "strip_unsafe"]

# Bidirectional formatting characters (Unicode UAX #9 §2): embeddings, overrides, isolates
# and the implicit marks.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
_COMPATIBILITY_IDEOGRAPHS = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def is_unsafe(char: str) -> bool:
    """True for a control, separator or bidi character that must not reach an output."""
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _UNSAFE_CATEGORIES


def strip_unsafe(text: str) -> str:
    """``text`` without its unsafe characters (for a screen or a printed form)."""
    if not any(is_unsafe(char) for char in text):
        return text
    return "".join(char for char in text if not is_unsafe(char))


def escape_unsafe(text: str) -> str:
    r"""``text`` with each unsafe character shown as ``\uXXXX`` (for a terminal: IT sees it)."""
    return "".join(f"\\u{ord(char):04x}" if is_unsafe(char) else char for char in text)


def _is_compatibility_ideograph(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _COMPATIBILITY_IDEOGRAPHS)


def clean_card_text(text: str) -> str:
    """The card's name or address as the kiosk keeps it: unsafe characters removed, NFC.

    CJK compatibility ideographs are left as they are (see the module docstring); the runs
    between them are normalised.
    """
    text = strip_unsafe(text)
    runs, start = [], 0
    for index, char in enumerate(text):
        if _is_compatibility_ideograph(char):
            runs += [unicodedata.normalize("NFC", text[start:index]), char]
            start = index + 1
    runs.append(unicodedata.normalize("NFC", text[start:]))
    return "".join(runs)
