"""Colours and sizes shared by the front ends.

Every text/background pair meets WCAG contrast 4.5:1 in both themes (checked by
``tests/ui/test_theme.py``); the high-contrast theme is for low vision and the board.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HIGH_CONTRAST", "NORMAL", "Theme", "contrast_ratio"]


@dataclass(frozen=True)
class Theme:
    """A named set of colours (``#rrggbb``)."""

    name: str
    background: str
    text: str
    muted_text: str
    accent: str          # primary buttons
    accent_text: str
    surface: str         # cards and secondary buttons
    surface_text: str

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair the screens draw, by use."""
        return {
            "text": (self.text, self.background),
            "muted": (self.muted_text, self.background),
            "button": (self.accent_text, self.accent),
            "surface": (self.surface_text, self.surface),
        }

    def stylesheet(self) -> str:
        """A Qt style sheet applying the theme."""
        return f"""
            QWidget {{ background: {self.background}; color: {self.text}; }}
            QLabel[role="muted"] {{ color: {self.muted_text}; }}
            QPushButton {{ background: {self.surface}; color: {self.surface_text};
                           border: 2px solid {self.text}; border-radius: 10px; padding: 8px 16px; }}
            QPushButton[role="primary"] {{ background: {self.accent}; color: {self.accent_text};
                                           border: none; }}
            QPushButton:checked {{ background: {self.accent}; color: {self.accent_text}; }}
        """


NORMAL = Theme("normal", background="#ffffff", text="#1a1a1a", muted_text="#595959",
               accent="#0b5cab", accent_text="#ffffff", surface="#eef3f8", surface_text="#1a1a1a")
HIGH_CONTRAST = Theme("high-contrast", background="#000000", text="#ffffff", muted_text="#e0e0e0",
                      accent="#ffd400", accent_text="#000000", surface="#1f1f1f",
                      surface_text="#ffffff")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
