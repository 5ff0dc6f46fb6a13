"""What ``kiosk doctor`` tells IT when a language has no voice: what is really missing.

"Install espeak-ng" is the right hint only when there is no speech engine at all. When
espeak-ng is installed but has no voice for the language (Tagalog in espeak-ng 1.51), installing
it again changes nothing, and the hint must say so.
"""

from __future__ import annotations

import sys

from kiosk.doctor import Check, Status
from kiosk.i18n import LANGUAGES

__all__ = ["missing_voice_check"]

_WINDOWS_HINT = ("add the language's speech voice in Settings > Time & language > Speech "
                 "(Windows offers voices for some languages only).")


def missing_voice_check(tag: str, installed_voices: int | None,
                        platform: str = sys.platform) -> Check:
    """The warning for BCP 47 ``tag`` without a voice.

    Args:
        tag: the language, e.g. ``"tl"``.
        installed_voices: how many voices the system's speech engine has; ``None`` when there
            is no speech engine at all.
        platform: ``sys.platform`` of the device.
    """
    name = f"speech.{tag}"
    windows = platform.startswith("win")
    if installed_voices is None:
        return Check(name, Status.WARN, "no speech engine: every language other than Japanese "
                     "is shown as text only",
                     "Windows: " + _WINDOWS_HINT if windows
                     else "Linux: apt install espeak-ng (the speech engine for these languages).")
    engine = "Windows" if windows else "espeak-ng"
    shown = _named(tag)
    detail = (f"{engine} is installed but none of its {installed_voices} voices speaks "
              f"{shown}: shown as text only")
    if windows:
        return Check(name, Status.WARN, detail, "Windows: " + _WINDOWS_HINT)
    return Check(name, Status.WARN, detail,
                 f"Nothing to reinstall: espeak-ng has no voice for {shown}. It stays text only "
                 "unless a speech engine with such a voice is installed.")


def _named(tag: str) -> str:
    names = [lang.native_name for lang in LANGUAGES if lang.bcp47 == tag]
    return f"{names[0]} ({tag})" if names else f"'{tag}'"
