"""The markers of translatable text, ``N_`` (citizens) and ``S_`` (staff).

They return their argument: a marked message is translated where it is shown
(:mod:`kiosk.i18n`), and ``kiosk i18n extract`` finds it by the marker's name. In a module of
their own so that what is read before the tablet's first screen (the configuration and its
errors) can mark its messages without loading the catalogs' machinery with them.
"""

from __future__ import annotations

__all__ = ["N_", "S_"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark citizen-facing ``message`` for extraction (it is translated at display time)."""
    return message


def S_(message: str) -> str:  # noqa: N802 - same convention, staff domain
    """Mark staff-facing ``message`` (clerks, IT) for extraction into the ``staff`` catalog."""
    return message
