"""The fonts the kiosk draws and prints Japanese with, and which characters they can draw.

The UD fonts (BIZ UD Gothic for screens, BIZ UD Mincho for forms; SIL OFL) ship inside the
package, so a tablet with no CJK fonts still renders Japanese. Rare kanji (外字, e.g. 𠮷 U+20BB7)
fall back to IPAmj Mincho, which is 46 MB and comes from the system (Debian
``fonts-ipamj-mincho``, or installed by IT on Windows). A character that no font has is
reported so that the UI can mark it and the printed form can leave a hand-write box.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from kiosk.paths import fonts_dir

__all__ = [
    "FontFace",
    "bundled_faces",
    "covers",
    "fallback_face",
    "form_face",
    "missing_characters",
    "ui_face",
]

_IPAMJ_FILE = "ipamjm.ttf"


@dataclass(frozen=True)
class FontFace:
    """A TrueType font file and the family name it registers under."""

    family: str
    path: Path
    bold: bool = False


def bundled_faces() -> tuple[FontFace, ...]:
    """The UD fonts shipped in ``kiosk/resources/fonts``."""
    root = fonts_dir()
    return (
        FontFace("BIZ UDGothic", root / "BIZUDGothic-Regular.ttf"),
        FontFace("BIZ UDGothic", root / "BIZUDGothic-Bold.ttf", bold=True),
        FontFace("BIZ UDMincho", root / "BIZUDMincho-Regular.ttf"),
    )


def ui_face() -> FontFace:
    """The screen font (BIZ UD Gothic regular)."""
    return bundled_faces()[0]


def form_face() -> FontFace:
    """The printed-form font (BIZ UD Mincho)."""
    return bundled_faces()[2]


def fallback_face(extra_dirs: Iterable[Path] = ()) -> FontFace | None:
    """IPAmj Mincho, the rare-kanji fallback, if it is installed anywhere we know of."""
    for directory in (*extra_dirs, *_system_font_dirs()):
        for candidate in (directory / _IPAMJ_FILE, directory / "ipamj" / _IPAMJ_FILE):
            if candidate.is_file():
                return FontFace("IPAmjMincho", candidate)
    return None


def _system_font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    return [Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"),
            Path.home() / ".local/share/fonts", Path.home() / ".fonts"]


@functools.lru_cache(maxsize=8)
def _codepoints(path: Path) -> frozenset[int]:
    # lazy=True reads only the tables we touch: the cmap of a 46 MB font loads in milliseconds.
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)


def covers(face: FontFace, char: str) -> bool:
    """Whether ``face`` has a glyph for the single character ``char``."""
    return ord(char) in _codepoints(face.path)


def missing_characters(text: str, faces: Iterable[FontFace]) -> list[str]:
    """Characters of ``text`` that none of ``faces`` can draw, in order, without repeats.

    Variation selectors (IVS, U+FE00..U+FE0F, U+E0100..U+E01EF) and joiners are not
    characters of their own: a font without the selector still draws the base kanji.
    """
    sets = [_codepoints(face.path) for face in faces]
    missing: list[str] = []
    for char in text:
        code = ord(char)
        if char.isspace() or _is_selector(code) or char in missing:
            continue
        if not any(code in cps for cps in sets):
            missing.append(char)
    return missing


def _is_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code in (0x200C, 0x200D)
