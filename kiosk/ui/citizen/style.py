"""The citizen screens' style sheet: the theme's colours plus text sizes at the text scale.

Kept apart from the tablet so that the start-up screen can use it before the tablet's modules
(and the services they import) have loaded.
"""

from __future__ import annotations

from kiosk.ui.common.theme import Theme

__all__ = ["BASE_POINTS", "tablet_stylesheet"]

BASE_POINTS = 16


def tablet_stylesheet(theme: Theme, text_scale: int) -> str:
    """The theme plus text sizes scaled by ``text_scale`` percent; no colour outside the theme."""
    def pt(points: float) -> int:
        return round(points * text_scale / 100)

    return theme.stylesheet() + f"""
        QWidget {{ font-size: {pt(BASE_POINTS)}pt; }}
        QLabel[role="title"] {{ font-size: {pt(24)}pt; font-weight: bold; }}
        QLabel[role="heading"] {{ font-size: {pt(20)}pt; font-weight: bold; }}
        QLabel[role="error"] {{ font-weight: bold; border: 3px solid {theme.text};
                                padding: 6px; }}
        QLabel[role="ticket"] {{ font-size: {pt(64)}pt; font-weight: bold; }}
        QLabel[role="warning"] {{ font-size: {pt(20)}pt; font-weight: bold;
                                  border: 3px solid {theme.text}; border-radius: 12px;
                                  padding: 8px; }}
    """
