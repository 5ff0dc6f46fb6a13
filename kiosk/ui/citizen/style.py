"""The citizen screens' style sheet: the theme's colours plus the type scale at the text scale.

Kept apart from the tablet so that the start-up screen can use it before the tablet's modules
(and the services they import) have loaded. Sizes come from :mod:`kiosk.ui.common.tokens`.
"""

from __future__ import annotations

from kiosk.ui.common.theme import Theme
from kiosk.ui.common.tokens import COLOURS, RADII, SIZES, TYPE, px

__all__ = ["tablet_stylesheet"]


def tablet_stylesheet(theme: Theme, text_scale: int) -> str:
    """The theme plus the type scale grown by ``text_scale`` percent; no colour outside the
    theme and the tokens."""
    def size(pixels: int) -> str:
        return f"{px(pixels, text_scale)}px"

    # Headings and the frame are large already: they grow half as fast as the body text, so
    # that at 200 % the question still fits the width and the footer keeps one line. The
    # ticket number, the largest text there is, does not grow: at 200 % "A-001" was wider than
    # the tablet, cut off, and it widened the page past the screen for every line under it.
    def heading(pixels: int) -> str:
        return f"{px(pixels, 100 + (text_scale - 100) // 2)}px"

    return theme.stylesheet() + f"""
        QWidget {{ font-size: {size(TYPE.body)}; }}
        QPushButton {{ font-size: {size(TYPE.label)}; }}
        QLabel[role="title"] {{ font-size: {heading(TYPE.h1)}; font-weight: bold; }}
        QLabel[role="title"][words="long"] {{ font-size: {heading(TYPE.h1_long)}; }}
        QLabel[role="heading"] {{ font-size: {heading(TYPE.section)}; font-weight: bold; }}
        QLabel[role="muted"] {{ font-size: {size(TYPE.body)}; }}
        QLabel[role="error"] {{ font-weight: bold; }}
        QLabel[role="ticket"] {{ font-size: {px(TYPE.ticket, 100)}px; font-weight: bold; }}
        QLabel[role="pin"] {{ font-size: {heading(TYPE.value)}; }}
        QLabel[role="city"] {{ font-size: {heading(TYPE.body)}; font-weight: bold; }}
        QLabel[role="step"] {{ font-size: {heading(TYPE.hint)}; font-weight: bold;
                               color: {theme.outline}; }}
        #header {{ border-bottom: 1px solid {COLOURS.gray_200}; }}
        #header QPushButton, #step-bar QPushButton {{ font-size: {heading(TYPE.hint)}; }}
        #footer {{ border-top: 1px solid {COLOURS.gray_200}; }}
        #footer QPushButton {{ font-size: {heading(TYPE.label)}; font-weight: bold; }}
        QWidget[step="done"] {{ background: {theme.outline}; border-radius: 4px; }}
        QWidget[step="current"] {{ background: {theme.accent}; border-radius: 4px; }}
        QWidget[step="todo"] {{ background: {COLOURS.gray_200}; border-radius: 4px; }}
        QPushButton[role="key"] {{ font-size: {heading(TYPE.value)}; }}
        QPushButton[role="kana"] {{ font-size: {heading(TYPE.body)}; }}
        QPushButton[role="language"] {{ font-size: {heading(TYPE.label)}; }}
        QPushButton[role="tool"] {{ font-size: {heading(TYPE.label)}; }}
        QLabel#captionNotice {{ font-size: {heading(TYPE.body)}; }}
        QScrollArea {{ border: none; }}
        QFrame#entry-box {{ border: {SIZES.border}px solid {COLOURS.gray_600};
                            border-radius: {RADII.button}px; background: {COLOURS.white}; }}
        QScrollBar:vertical {{ width: {SIZES.scroll_bar}px; margin: 0; border: none;
                               background: transparent; }}
        QScrollBar[scrolls="true"]:vertical {{ background: {COLOURS.gray_50}; }}
        QScrollBar::handle:vertical {{ background: transparent; border: none; }}
        QScrollBar[scrolls="true"]::handle:vertical {{ background: {COLOURS.gray_600};
            border-radius: {SIZES.scroll_bar // 2}px; min-height: {SIZES.scroll_handle_min}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none;
            background: none; }}
        QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
        QLabel[role="warning"] {{ font-size: {heading(TYPE.section)}; font-weight: bold; }}
        QFrame#welcome-panel, QFrame#welcome-panel QLabel {{ background: {theme.selected};
                                                             color: {theme.selected_text}; }}
        QFrame#welcome-panel {{ border-radius: {RADII.sheet}px; }}
        QFrame#welcome-panel QLabel[role="muted"] {{ color: {theme.muted_text}; }}
        QFrame#welcome-panel QFrame[role="step-tile"],
        QFrame#welcome-panel QFrame[role="step-tile"] QLabel {{ background: {theme.surface};
                                                                color: {theme.surface_text}; }}
        QFrame[role="step-tile"] {{ border-radius: {RADII.card}px; }}
        QFrame#welcome-panel QFrame[role="step-tile"] QLabel[role="step-number"] {{
            color: {theme.outline}; font-size: {heading(TYPE.hint)}; font-weight: bold; }}
        QLabel[role="step-label"] {{ font-size: {heading(TYPE.hint)}; font-weight: bold; }}
        QFrame#welcome-support, QFrame#welcome-support QLabel {{ background: {theme.panel};
                                                                 color: {theme.panel_text}; }}
        QFrame#welcome-support {{ border-radius: {RADII.card}px; }}
        QLabel[role="support"] {{ font-size: {size(TYPE.hint)}; }}
    """
