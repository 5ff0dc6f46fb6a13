"""Japanese speech with Open JTalk (pyopenjtalk-plus): offline, with correct kanji readings.

The wheel ships the HTS voice "mei" (CC-BY 3.0); the dictionary comes from the wheel in a venv
and is installed by IT on a bundled device (:mod:`devices.speech.japanese_dictionary`). Nothing
is downloaded.
"""

from __future__ import annotations

import threading
import warnings

from devices.speech.audio import Audio
from devices.speech.japanese_dictionary import FRONTEND_OPTIONS, load_pyopenjtalk

__all__ = ["synthesize_japanese", "warm_up"]

# Open JTalk keeps global state in its C library: one synthesis at a time.
_lock = threading.Lock()
_MAX = 32767


def synthesize_japanese(text: str) -> Audio:
    """Speak ``text`` in Japanese; returns 16-bit mono audio (48 kHz).

    Raises:
        ImportError: pyopenjtalk or its dictionary is not installed
            (:class:`devices.speech.japanese_dictionary.DictionaryMissing`).
    """
    import numpy as np  # noqa: PLC0415 - comes with pyopenjtalk

    pyopenjtalk = load_pyopenjtalk()

    with _lock, warnings.catch_warnings():
        # pyopenjtalk-plus 0.4 calls SudachiPy's deprecated Dictionary.create(): harmless, and
        # not ours to fix; a warning turned into an error must not silence the call-out.
        warnings.simplefilter("ignore", DeprecationWarning)
        samples, rate = pyopenjtalk.tts(text, **FRONTEND_OPTIONS)
    # The HTS output is float in int16 units but can overshoot: clip instead of wrapping.
    pcm = np.clip(samples, -_MAX, _MAX).astype("<i2").tobytes()
    return Audio(pcm, int(rate))


def warm_up() -> None:
    """Load the dictionary and voice now, so the first call-out is not the slow one."""
    synthesize_japanese("はい")
