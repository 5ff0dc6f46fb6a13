"""``kiosk screenshots`` renders Japanese a second time with the furigana mode on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.ui.citizen.screenshots import render_all

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_render_all__japanese__also_renders_the_furigana_variant(qtbot, tmp_path: Path):
    written = render_all(tmp_path, languages=("ja", "vi"), scales=(100,))

    folders = {path.parent.name for path in written}
    plain = QImage(str(tmp_path / "100" / "ja" / "02-choose.png"))
    furigana = QImage(str(tmp_path / "100" / "ja-furigana" / "02-choose.png"))

    assert folders == {"ja", "ja-furigana", "vi"}
    assert not plain.isNull()
    assert not furigana.isNull()
    assert plain != furigana
