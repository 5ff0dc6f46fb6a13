"""Pictograms of procedures and life events: ``picture: <name>`` in a definition names
``kiosk/resources/pictures/<name>.svg``.

The SVG files draw in ``currentColor``; the screens put the theme's text colour in its place.
A name without a file is not an error for the citizen (the button shows its text only); the
form lint warns about it (F091).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["PICTURE_NAME", "picture_names", "picture_path", "pictures_dir"]

PICTURE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@functools.cache
def pictures_dir() -> Path:
    """Directory of the pictogram SVG files (bundled with the package, like the fonts)."""
    return Path(__file__).resolve().parent.parent / "resources" / "pictures"


def picture_names(folder: Path | None = None) -> set[str]:
    """Names of the pictograms that exist."""
    return {path.stem for path in (folder or pictures_dir()).glob("*.svg")}


@functools.lru_cache(maxsize=256)
def picture_path(name: str, folder: Path | None = None) -> Path | None:
    """The SVG file of picture ``name``; ``None`` for no name, a bad name or a missing file.

    Cached: the files are part of the installed build and a screen asks on every redraw.
    """
    if not name or not PICTURE_NAME.match(name):
        return None
    path = (folder or pictures_dir()) / f"{name}.svg"
    return path if path.is_file() else None
