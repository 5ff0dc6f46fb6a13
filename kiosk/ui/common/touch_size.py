"""Touch target sizes in millimetres, turned into pixels at the tablet's real DPI.

WCAG 2.2 / JIS X 8341-3 ask for targets of about 9 mm (44 pt). Tablets often report a wrong
physical DPI, so IT can set ``[ui] screen_dpi``; 0 means ask the screen.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QGuiApplication

__all__ = ["MIN_TARGET_MM", "MM_PER_INCH", "min_target_px", "screen_dpi"]

MIN_TARGET_MM = 9.0
MM_PER_INCH = 25.4


def screen_dpi(configured: float = 0.0) -> float:
    """The configured DPI, else the primary screen's physical DPI (96 without a screen)."""
    if configured > 0:
        return configured
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    return dpi if dpi > 0 else 96.0


def min_target_px(dpi: float, millimetres: float = MIN_TARGET_MM) -> int:
    """The smallest side in pixels of a touch target of ``millimetres`` at ``dpi``."""
    return math.ceil(millimetres * dpi / MM_PER_INCH)
