"""Japanese speech with Open JTalk (pyopenjtalk-plus): offline, with correct kanji readings.

The wheel ships the dictionary and the HTS voice "mei" (CC-BY 3.0), so nothing is downloaded.
"""

from __future__ import annotations

import threading
import warnings

from devices.speech.audio import Audio

__all__ = ["synthesize_japanese", "warm_up"]

# Open JTalk keeps global state in its C library: one synthesis at a time.
_lock = threading.Lock()
_MAX = 32767


def synthesize_japanese(text: str) -> Audio:
    """Speak ``text`` in Japanese; returns 16-bit mono audio (48 kHz).

    Raises:
        ImportError: pyopenjtalk is not installed.
    """
    import numpy as np  # noqa: PLC0415 - comes with pyopenjtalk
    import pyopenjtalk  # noqa: PLC0415 - loads the dictionary on first use

    with _lock, warnings.catch_warnings():
        # pyopenjtalk-plus 0.4 calls SudachiPy's deprecated Dictionary.create(): harmless, and
        # not ours to fix; a warning turned into an error must not silence the call-out.
        warnings.simplefilter("ignore", DeprecationWarning)
        samples, rate = pyopenjtalk.tts(text)
    # The HTS output is float in int16 units but can overshoot: clip instead of wrapping.
    pcm = np.clip(samples, -_MAX, _MAX).astype("<i2").tobytes()
    return Audio(pcm, int(rate))


def warm_up() -> None:
    """Load the dictionary and voice now, so the first call-out is not the slow one."""
    synthesize_japanese("はい")
