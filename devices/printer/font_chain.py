"""The chain of TrueType fonts a PDF draws each character with, registered once per process.

Order: the bundled UD font (Mincho for forms, Gothic for receipts), the other UD font, IPAmj
Mincho for rare kanji (外字), then the script fonts of :data:`kiosk.fonts.SCRIPT_FONTS`
(Vietnamese letters with two diacritics, Devanagari, Thai, simplified Chinese, Hangul) when
installed — the same fonts the screens use.
Only TrueType outlines are registered: CID fonts are never embedded and CFF/OTF fonts fail in
reportlab, and a PDF must print on a machine without any CJK font.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk import fonts
from kiosk.fonts import FontFace

__all__ = ["FontChain", "form_chain", "receipt_chain"]

_lock = threading.Lock()


@dataclass(frozen=True)
class FontChain:
    """Registered reportlab font names, each with its face, in fallback order."""

    entries: tuple[tuple[str, FontFace], ...]

    def font_for(self, char: str) -> str | None:
        """The first registered font that draws ``char`` (``None``: no font has it)."""
        for name, face in self.entries:
            if fonts.covers(face, char):
                return name
        return None

    @property
    def primary(self) -> str:
        """The name of the first font of the chain."""
        return self.entries[0][0]


def _register(name: str, face: FontFace) -> str:
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            # subfontIndex picks the face inside a .ttc collection (WenQuanYi, YaHei).
            pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
    return name


def _system_faces() -> list[FontFace]:
    return [face for script in fonts.SCRIPT_FONTS if (face := fonts.script_face(script))]


@functools.cache
def _rare() -> tuple[tuple[str, FontFace], ...]:
    fallback = fonts.fallback_face()
    entries = [(_register("Kiosk-IPAmjMincho", fallback), fallback)] if fallback else []
    for face in _system_faces():
        entries.append((_register(f"Kiosk-{face.family.replace(' ', '')}", face), face))
    return tuple(entries)


@functools.cache
def form_chain() -> FontChain:
    """Fonts for the Japanese application form (BIZ UD Mincho first)."""
    form, ui = fonts.form_face(), fonts.ui_face()
    return FontChain(((_register("Kiosk-FormMincho", form), form),
                      (_register("Kiosk-UIGothic", ui), ui), *_rare()))


@functools.cache
def receipt_chain() -> FontChain:
    """Fonts for the citizen's receipt (BIZ UD Gothic first)."""
    form, ui = fonts.form_face(), fonts.ui_face()
    return FontChain(((_register("Kiosk-UIGothic", ui), ui),
                      (_register("Kiosk-FormMincho", form), form), *_rare()))
