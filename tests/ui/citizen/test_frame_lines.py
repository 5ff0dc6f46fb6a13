"""The frame's dividers are drawn: the line under the header and the line over the footer,
on the Welcome and on a screen further on, in both themes (the header's was set in the style
sheet and never drawn, as a plain widget draws no style sheet border)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL
from kiosk.ui.common.tokens import COLOURS

pytestmark = pytest.mark.gui


def _row_colours(tablet, y: int) -> set[str]:
    """The colours of the tablet's pixel row ``y``, across the middle half of its width."""
    image = tablet.grab().toImage()
    width = image.width()
    return {QColor(image.pixel(x, y)).name() for x in range(width // 4, 3 * width // 4, 7)}


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_frame__welcome_and_choose__header_and_footer_lines_drawn(make_kiosk, high_contrast):
    kiosk = make_kiosk(high_contrast=high_contrast)
    theme = HIGH_CONTRAST if high_contrast else NORMAL
    seen = []
    for step in ("welcome", "start"):
        if step == "start":
            kiosk.pilot.tap("start")
        kiosk.pilot.settle()
        header, footer = kiosk.tablet.header, kiosk.tablet.footer
        under_header = header.mapTo(kiosk.tablet, header.rect().bottomLeft()).y()
        over_footer = footer.mapTo(kiosk.tablet, footer.rect().topLeft()).y()
        seen.append((step, _row_colours(kiosk.tablet, under_header),
                     _row_colours(kiosk.tablet, over_footer)))

    line = {COLOURS.gray_200.lower()}
    assert [(step, under, over) for step, under, over in seen] == [
        (step, line, line) for step, _, _ in seen], f"background {theme.background}"
