"""Every colour pair of every theme meets WCAG contrast 4.5:1."""

from __future__ import annotations

import pytest

from kiosk.ui.common.theme import HIGH_CONTRAST, NORMAL, contrast_ratio

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("foreground", "background", "ratio"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#767676", "#ffffff", 4.54),   # the classic "lightest grey that passes on white"
])
def test_contrast_ratio__known_pairs__match_wcag(foreground, background, ratio):
    assert contrast_ratio(foreground, background) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=lambda t: t.name)
def test_theme__every_pair__has_contrast_of_at_least_4_5(theme):
    for use, (foreground, background) in theme.pairs().items():
        assert contrast_ratio(foreground, background) >= 4.5, (theme.name, use)
