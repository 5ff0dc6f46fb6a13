"""Proposed readings (フリガナ) of names with Open JTalk's dictionary (pyopenjtalk-plus).

Without the dictionary (a bundle before IT installed it) nothing is proposed.

The card has no reading yet, so the tablet proposes one and the citizen confirms it with a tap
or corrects it. Family and given name are looked up separately (split on U+3000, as the card
writes them): a name read as one phrase can merge into a wrong compound word.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable
from typing import Any

from devices.speech.japanese_dictionary import FRONTEND_OPTIONS, load_pyopenjtalk
from devices.speech.open_jtalk import _lock as open_jtalk_lock
from kiosk.procedures.kana import is_reading, normalize_reading

__all__ = ["OpenJTalkReadings", "reading_of"]

_log = logging.getLogger(__name__)

Frontend = Callable[[str], list[dict[str, Any]]]

# Kana, kanji (BMP, compatibility and supplementary planes, 々 〆) and variation selectors (IVS).
# A name in Latin letters is not proposed: the dictionary would spell it letter by letter
# (NGUYEN -> エヌジーユー...), and only the person knows how it is said.
_JAPANESE_WORD = re.compile(
    "^[\u3041-\u30FF\u3400-\u9FFF\uF900-\uFAFF\u3005\u3006\uFE00-\uFE0F"
    "\U00020000-\U0003FFFF\U000E0100-\U000E01EF]+$")


def _run_frontend(text: str) -> list[dict[str, Any]]:
    pyopenjtalk = load_pyopenjtalk()     # ImportError when no dictionary is installed
    # Open JTalk keeps global state in its C library: the same lock as speech synthesis.
    with open_jtalk_lock, warnings.catch_warnings():
        # pyopenjtalk-plus calls deprecated library functions (SudachiPy's in 0.4): harmless.
        warnings.simplefilter("ignore", DeprecationWarning)
        nodes = pyopenjtalk.run_frontend(text, **FRONTEND_OPTIONS)
        features: list[dict[str, Any]] = [dict(node) for node in nodes]
    return features


def reading_of(part: str, frontend: Frontend = _run_frontend) -> str:
    """The katakana reading of one word of a name ('' when the dictionary has none).

    The orthographic reading (``read``: サトウ, タロウ) is used, not the pronunciation
    (``pron``, and ``g2p(kana=True)``: サトー, タロー): 住民票 records the former.
    """
    return "".join(str(node.get("read", "")) for node in frontend(part))


class OpenJTalkReadings:
    """:class:`kiosk.ports.ReadingProposer` on Open JTalk's dictionary (offline)."""

    def __init__(self, frontend: Frontend = _run_frontend) -> None:
        self._frontend = frontend

    def warm_up(self) -> None:
        """Load the dictionary now: the first lookup takes a quarter of a second, too long
        for a screen that shows furigana."""
        self.propose("窓口")

    def propose(self, name: str) -> str | None:
        """The reading of ``name``, word by word; ``None`` when any word has none."""
        parts = name.split()     # U+3000 is whitespace to str.split
        if not parts or not all(_JAPANESE_WORD.match(part) for part in parts):
            return None
        try:
            readings = [normalize_reading(reading_of(part, self._frontend)) for part in parts]
        except (ImportError, RuntimeError, ValueError):
            # No dictionary (a build without pyopenjtalk) or an input it rejects: the citizen
            # types the reading as before. The name itself is personal data: not logged.
            _log.warning("no reading proposed: the Open JTalk dictionary failed")
            return None
        if not all(readings) or not all(is_reading(text) for text in readings):
            return None
        return "\u3000".join(readings)
