"""Rotating notices for the board: text and image files from a folder IT configures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import N_

__all__ = ["DEFAULT_NOTICES", "Notice", "load_notices"]

_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".svg"})

# Shown when the folder is empty or missing: the convenience-store issuance notice.
DEFAULT_NOTICES = (
    N_("With your My Number card you can get certificates at convenience stores too."),
)


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice: a text (already in the board's language) or an image file."""

    text: str = ""
    image: Path | None = None


def load_notices(folder: Path | None) -> list[Notice]:
    """The ``*.txt`` and image files of ``folder``, by name; empty if there is none."""
    if folder is None or not folder.is_dir():
        return []
    notices = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() == ".txt":
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                notices.append(Notice(text=text))
        elif path.suffix.lower() in _IMAGES:
            notices.append(Notice(image=path))
    return notices
