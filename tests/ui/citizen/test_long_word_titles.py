"""In languages of long words (Vietnamese, Indonesian, Tagalog) a screen's title is set at the
design's 40 px, not 44: the Welcome's languages stay in view."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("language", "pixels"), [("ja", 44), ("en", 44), ("vi", 40),
                                                  ("id", 40), ("tl", 40)])
def test_welcome_title__language__design_size(make_kiosk, qtbot, language, pixels):
    kiosk = make_kiosk()
    kiosk.tablet.visit.set_language(language)
    qtbot.wait(50)      # the Welcome is built again in the new language

    titles = [label for label in kiosk.tablet.findChildren(QLabel, "welcome-title")
              if label.isVisible()]

    assert len(titles) == 1
    assert titles[0].font().pixelSize() == pixels
