"""The kiosk's design tokens: one set of colours, type sizes, spacing, radii and minimum sizes.

Anchor: the Digital Agency's design system (デジタル庁デザインシステム, DADS; WCAG 2.2 AA /
JIS X 8341-3), scaled for a touch screen read at arm's length (``../shared/design/README.md``).
Sizes are pixels on the pilot tablet (800 × 1280, 10.1", about 150 dpi, so 1 mm ≈ 5.9 px) at
100 % text; :class:`Density` turns millimetres into pixels on the panel a device really has
(``[ui] screen_dpi``), and type grows with the text scale the citizen or IT chose.

Widgets take every size and colour from here, never literals: a screen that needs a new size
adds a token.

The five sets of constants are plain classes without slots, so that their one instance cannot
be changed: made as frozen dataclasses they cost the tablet's first screen 4 ms, the time
dataclasses take to compile the methods they write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["COLOURS", "RADII", "SIZES", "SPACE", "TYPE", "Colours", "Density", "Radii",
           "Sizes", "Space", "TypeScale", "action_height", "option_height", "px",
           "scaled_target"]

MM_PER_INCH = 25.4
PILOT_DPI = 150.0     # the pilot tablet: 800 × 1280 px on a 10.1" panel


class Colours:
    """DADS colour tokens (``#rrggbb``); every text pair the screens draw is at least 4.5:1."""

    __slots__ = ()

    blue_900: str = "#0017c1"       # primary fill, selected border, current step, call panel
    blue_1000: str = "#00118f"      # links, outline-button text, done steps, counter badges
    blue_100: str = "#d9e6ff"       # pressed key, halo of the current PIN box
    blue_50: str = "#e8f1fe"        # selected option fill, info notes
    gray_900: str = "#1a1a1a"       # headings and values
    gray_800: str = "#333333"       # body text
    gray_700: str = "#4d4d4d"       # secondary text (8.5:1 on white)
    gray_600: str = "#666666"       # control borders
    gray_536: str = "#767676"       # disabled labels only
    gray_420: str = "#949494"       # used-try pips
    gray_200: str = "#cccccc"       # card borders, dividers, steps to come
    gray_100: str = "#e6e6e6"
    gray_50: str = "#f2f2f2"        # panels, function keys, disabled fill
    white: str = "#ffffff"
    black: str = "#000000"
    yellow_300: str = "#ffd43d"     # focus ring, board notice bar, "just called" outline
    yellow_50: str = "#fbf5e0"      # warning fill
    yellow_700: str = "#b78f00"     # warning border
    orange_800: str = "#c74700"     # warning icon and large warning words only (≥ 32 px bold)
    green_800: str = "#197a4b"      # done ticks, "受付しました"
    green_50: str = "#e6f5ec"
    red_900: str = "#ce0000"        # error text
    red_800: str = "#ec0000"        # error border and icon
    red_50: str = "#fdeeee"         # error fill


class TypeScale:
    """Font sizes in pixels at 100 % text (weights 400 and 700 only)."""

    __slots__ = ()

    hint: int = 24          # the smallest text on the tablet
    body: int = 28
    label: int = 32         # options and button labels
    section: int = 32
    h1: int = 44            # the one question or instruction of a screen
    h1_long: int = 40       # languages with long words (Vietnamese, Indonesian, Tagalog)
    value: int = 56         # picker values and PIN digits
    ticket: int = 168       # the ticket number
    board_min: int = 40     # nothing on the board is smaller
    board_recent: int = 56
    board_counter: int = 64
    board_counter_name: int = 112     # "3番窓口"
    board_called: int = 236
    line_height_text: float = 1.7     # running Japanese text
    line_height_label: float = 1.35   # headings and labels


class Space:
    """The spacing scale in pixels."""

    __slots__ = ()

    xs: int = 4
    s: int = 8
    m: int = 16
    l: int = 24   # noqa: E741 - the scale's own name
    xl: int = 32
    xxl: int = 40
    x3: int = 48
    x4: int = 64
    x5: int = 80
    side: int = 48          # content margin left and right
    frame_side: int = 32    # header and footer margin


class Radii:
    """Corner radii in pixels."""

    __slots__ = ()

    chip: int = 8
    button: int = 12
    card: int = 16
    sheet: int = 24


class Sizes:
    """Minimum sizes in millimetres (the rule) and the frame's fixed heights in pixels."""

    __slots__ = ()

    target_mm: float = 9.0          # any target, the floor (WCAG 2.2 / JIS X 8341-3)
    comfortable_mm: float = 11.0    # the usual target
    action_mm: float = 15.0         # Back / Next / confirm
    key_height_mm: float = 20.0     # PIN and number keys
    key_width_mm: float = 34.0
    option_mm: float = 19.0         # full-width option cards
    header: int = 104
    progress: int = 88
    footer: int = 152
    border: int = 2
    border_selected: int = 4
    border_outline: int = 3
    scroll_bar: int = 12            # the page's scroll bar: a sign of more below; fingers drag the page
    scroll_handle_min: int = 64


COLOURS = Colours()
TYPE = TypeScale()
SPACE = Space()
RADII = Radii()
SIZES = Sizes()


@dataclass(frozen=True)
class Density:
    """Pixels per millimetre of the panel, and the text scale in percent."""

    dpi: float = PILOT_DPI
    text_scale: int = 100

    def mm(self, millimetres: float) -> int:
        """``millimetres`` on this panel, in whole pixels (rounded up: never smaller)."""
        return math.ceil(millimetres * self.dpi / MM_PER_INCH)

    def text(self, pixels: int) -> int:
        """A type size in pixels at this text scale."""
        return px(pixels, self.text_scale)


def scaled_target(target: int, millimetres: float) -> int:
    """A control ``millimetres`` high on the panel where ``target`` pixels are the 9 mm floor."""
    return round(target * millimetres / SIZES.target_mm)


def option_height(target: int) -> int:
    """The height of an option card (19 mm)."""
    return scaled_target(target, SIZES.option_mm)


def action_height(target: int) -> int:
    """The height of Back, Next, confirm and the language buttons (15 mm)."""
    return scaled_target(target, SIZES.action_mm)


def px(pixels: float, text_scale: int) -> int:
    """``pixels`` grown by ``text_scale`` percent."""
    return round(pixels * text_scale / 100)
