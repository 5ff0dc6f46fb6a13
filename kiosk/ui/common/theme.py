"""Colours and the Qt style sheet shared by the front ends, built from the design tokens.

Every text/background pair meets WCAG contrast 4.5:1 in both themes (checked by
``tests/ui/test_theme.py``); the high-contrast theme is for low vision. Buttons follow DADS:
a primary button is filled blue, a secondary one is outlined, a selected option is a light blue
card with a thick blue border (colour is never the only signal: the screens add a tick).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ui.common.tokens import COLOURS, RADII, SIZES, SPACE

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
    border: str = COLOURS.gray_600          # idle control borders
    outline: str = COLOURS.blue_1000        # outlined (secondary) buttons: border and label
    selected: str = COLOURS.blue_50         # a chosen option's fill
    selected_text: str = COLOURS.gray_900
    panel: str = COLOURS.gray_50            # function keys, disabled fill
    panel_text: str = COLOURS.gray_900
    disabled_text: str = COLOURS.gray_536   # the only text allowed below 4.5:1
    error: str = COLOURS.red_900
    error_fill: str = COLOURS.red_50
    error_border: str = COLOURS.red_800
    warning_fill: str = COLOURS.yellow_50
    warning_border: str = COLOURS.yellow_700
    focus: str = COLOURS.yellow_300

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Every (foreground, background) pair the screens draw, by use."""
        return {
            "text": (self.text, self.background),
            "muted": (self.muted_text, self.background),
            "button": (self.accent_text, self.accent),
            "surface": (self.surface_text, self.surface),
            "outline": (self.outline, self.surface),
            "selected": (self.selected_text, self.selected),
            "panel": (self.panel_text, self.panel),
            "error": (self.error, self.error_fill),
            "warning": (self.text, self.warning_fill),
        }

    def stylesheet(self) -> str:
        """A Qt style sheet applying the theme (colours, borders, radii; sizes come from the
        front end's own sheet)."""
        return f"""
            QWidget {{ background: {self.background}; color: {self.text}; }}
            QLabel[role="muted"] {{ color: {self.muted_text}; }}
            QLabel[role="error"] {{ color: {self.error}; background: {self.error_fill};
                                    border: {SIZES.border_outline}px solid {self.error_border};
                                    border-radius: {RADII.card}px; padding: {SPACE.m}px; }}
            QLabel[role="warning"] {{ background: {self.warning_fill};
                                      border: {SIZES.border_outline}px solid {self.warning_border};
                                      border-radius: {RADII.card}px; padding: {SPACE.m}px; }}
            QPushButton {{ background: {self.surface}; color: {self.surface_text};
                           border: {SIZES.border}px solid {self.border};
                           border-radius: {RADII.button}px; padding: 8px 16px; }}
            QPushButton[role="primary"] {{ background: {self.accent}; color: {self.accent_text};
                                           border: {SIZES.border}px solid {self.accent}; }}
            QPushButton[role="outline"] {{ color: {self.outline};
                                           border: {SIZES.border_outline}px solid {self.outline}; }}
            QPushButton[role="key"] {{ border-radius: {RADII.card}px; }}
            QPushButton[role="function"] {{ background: {self.panel}; color: {self.panel_text};
                                            border-radius: {RADII.card}px; }}
            QPushButton:checked {{ background: {self.selected}; color: {self.selected_text};
                                   border: {SIZES.border_selected}px solid {self.accent}; }}
            QPushButton:pressed {{ background: {self.selected}; border-color: {self.accent}; }}
            QPushButton:disabled {{ background: {self.panel}; color: {self.disabled_text};
                                    border-color: {self.panel}; }}
            QPushButton:focus {{ outline: none; }}
        """


NORMAL = Theme("normal", background=COLOURS.white, text=COLOURS.gray_900,
               muted_text=COLOURS.gray_700, accent=COLOURS.blue_900, accent_text=COLOURS.white,
               surface=COLOURS.white, surface_text=COLOURS.gray_900)
HIGH_CONTRAST = Theme("high-contrast", background="#000000", text="#ffffff", muted_text="#e0e0e0",
                      accent="#ffd400", accent_text="#000000", surface="#1f1f1f",
                      surface_text="#ffffff", border="#ffffff", outline="#ffd400",
                      selected="#332b00", selected_text="#ffffff", panel="#2b2b2b",
                      panel_text="#ffffff", disabled_text="#9a9a9a", error="#ffb3b3",
                      error_fill="#2b0000", error_border="#ff6b6b", warning_fill="#2b2400",
                      warning_border="#ffd400", focus="#ffd400")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
