"""``kiosk forms preview``: every question of one form as a tablet screen, then the review."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.ui.citizen.form_preview import render_form_screens

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_render_form_screens__card_pin__shows_its_questions_and_the_review(qtbot, tmp_path: Path):
    written = render_form_screens("card_pin", tmp_path)

    names = [path.stem for path in written]
    assert names[0] == "01-choose"
    assert any(name.endswith("question-pin_kinds") for name in names)
    assert names[-1].endswith("review")
    assert all(not QImage(str(path)).isNull() for path in written)
