"""The fonts the kiosk draws and prints Japanese with, and which characters they can draw.

The UD fonts (BIZ UDPGothic, the proportional UD Gothic, for screens and receipts; BIZ UDGothic,
fixed-width, only for digits that must line up; BIZ UD Mincho for forms; SIL OFL) ship inside the
package, so a tablet with no CJK fonts still renders Japanese. Rare kanji (外字, e.g. 𠮷 U+20BB7)
fall back to IPAmj Mincho, which is 46 MB and comes from the system (Debian
``fonts-ipamj-mincho``, or installed by IT on Windows). A character that no font has is
reported so that the UI can mark it and the printed form can leave a hand-write box.

The UD fonts have no Vietnamese diacritics, Devanagari, Thai, Hangul or simplified-only hanzi.
Those scripts come from the system: Noto, WenQuanYi and Nanum on Linux (Debian packages that
``make run`` installs), Segoe UI, Nirmala UI, Leelawadee UI, Microsoft YaHei and Malgun Gothic
on Windows. All are TrueType outlines, so reportlab can embed them as well.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import fonts_dir

__all__ = [
    "SCRIPT_FONTS",
    "FontFace",
    "ScriptFont",
    "bundled_faces",
    "covers",
    "digits_face",
    "fallback_face",
    "form_face",
    "missing_characters",
    "screen_faces",
    "script_face",
    "ui_face",
]

_IPAMJ_FILE = "ipamjm.ttf"


@dataclass(frozen=True)
class FontFace:
    """A TrueType font file (or one font of a ``.ttc`` collection) and its family name."""

    family: str
    path: Path
    bold: bool = False
    index: int = 0     # font number inside a TrueType collection


@dataclass(frozen=True)
class ScriptFont:
    """Where to find a system font for the languages the UD fonts cannot draw."""

    languages: tuple[str, ...]          # catalog codes that need it
    linux: tuple[str, str]              # (family, path under /usr/share/fonts/truetype)
    windows: tuple[str, str]            # (family, file name under %WINDIR%\Fonts)
    package: str                        # the Debian package that ships the Linux file


SCRIPT_FONTS: tuple[ScriptFont, ...] = (
    ScriptFont(("vi", "en", "id", "tl", "pt", "es"), ("Noto Sans", "noto/NotoSans-Regular.ttf"),
               ("Segoe UI", "segoeui.ttf"), "fonts-noto-core"),
    ScriptFont(("ne",), ("Noto Sans Devanagari", "noto/NotoSansDevanagari-Regular.ttf"),
               ("Nirmala UI", "Nirmala.ttf"), "fonts-noto-core"),
    ScriptFont(("th",), ("Noto Sans Thai", "noto/NotoSansThai-Regular.ttf"),
               ("Leelawadee UI", "LeelawUI.ttf"), "fonts-noto-core"),
    ScriptFont(("zh_Hans",), ("WenQuanYi Micro Hei", "wqy/wqy-microhei.ttc"),
               ("Microsoft YaHei", "msyh.ttc"), "fonts-wqy-microhei"),
    ScriptFont(("ko",), ("NanumGothic", "nanum/NanumGothic.ttf"),
               ("Malgun Gothic", "malgun.ttf"), "fonts-nanum"),
)


def bundled_faces() -> tuple[FontFace, ...]:
    """The UD fonts shipped in ``kiosk/resources/fonts``, the screen font first."""
    root = fonts_dir()
    return (
        FontFace("BIZ UDPGothic", root / "BIZUDPGothic-Regular.ttf"),
        FontFace("BIZ UDPGothic", root / "BIZUDPGothic-Bold.ttf", bold=True),
        FontFace("BIZ UDGothic", root / "BIZUDGothic-Regular.ttf"),
        FontFace("BIZ UDGothic", root / "BIZUDGothic-Bold.ttf", bold=True),
        FontFace("BIZ UDMincho", root / "BIZUDMincho-Regular.ttf"),
    )


def ui_face() -> FontFace:
    """The screen and receipt font: BIZ UDPGothic, proportional, so Latin text does not look
    typed on a typewriter."""
    return bundled_faces()[0]


def digits_face() -> FontFace:
    """BIZ UDGothic, fixed-width: only for numbers that must line up (tables of figures)."""
    return bundled_faces()[2]


def form_face() -> FontFace:
    """The printed-form font (BIZ UD Mincho)."""
    return bundled_faces()[4]


def fallback_face(extra_dirs: Iterable[Path] = ()) -> FontFace | None:
    """IPAmj Mincho, the rare-kanji fallback, if it is installed anywhere we know of."""
    for directory in (*extra_dirs, *_system_font_dirs()):
        for candidate in (directory / _IPAMJ_FILE, directory / "ipamj" / _IPAMJ_FILE):
            if candidate.is_file():
                return FontFace("IPAmjMincho", candidate)
    return None


def script_face(script: ScriptFont) -> FontFace | None:
    """The installed system font for ``script``, or ``None`` when it is missing."""
    if sys.platform == "win32":
        family, name = script.windows
        candidates = [directory / name for directory in _system_font_dirs()]
    else:
        family, name = script.linux
        candidates = [Path("/usr/share/fonts/truetype") / name]
    found = next((path for path in candidates if path.is_file()), None)
    return FontFace(family, found) if found else None


def screen_faces() -> list[FontFace]:
    """Every face the screens use, in fallback order: UD Gothic, script fonts, IPAmj Mincho."""
    faces = [ui_face()]
    faces += [face for script in SCRIPT_FONTS if (face := script_face(script)) is not None]
    fallback = fallback_face()
    if fallback is not None:
        faces.append(fallback)
    return faces


def _system_font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    return [Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"),
            Path.home() / ".local/share/fonts", Path.home() / ".fonts"]


@functools.lru_cache(maxsize=16)
def _codepoints(path: Path, index: int = 0) -> frozenset[int]:
    # lazy=True reads only the tables we touch: the cmap of a 46 MB font loads in milliseconds.
    # fontTools only when a coverage question is asked: the screens start without it.
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    with TTFont(path, lazy=True, fontNumber=index) as font:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)


def covers(face: FontFace, char: str) -> bool:
    """Whether ``face`` has a glyph for the single character ``char``."""
    return ord(char) in _codepoints(face.path, face.index)


def missing_characters(text: str, faces: Iterable[FontFace]) -> list[str]:
    """Characters of ``text`` that none of ``faces`` can draw, in order, without repeats.

    Variation selectors (IVS, U+FE00..U+FE0F, U+E0100..U+E01EF) and joiners are not
    characters of their own: a font without the selector still draws the base kanji.
    """
    sets = [_codepoints(face.path, face.index) for face in faces]
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
