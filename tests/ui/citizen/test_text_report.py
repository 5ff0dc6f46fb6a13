"""``kiosk tablet --report``'s list of visible texts: name, text, rectangle, font size, elided;
personal data listed without its text."""

from __future__ import annotations

import json

import pytest

from kiosk.ui.common.text_report import visible_texts

pytestmark = pytest.mark.gui


def test_visible_texts__review__every_text_placed_sized_and_personal_data_withheld(make_kiosk):
    kiosk = make_kiosk()
    kiosk.to_review()

    texts = {entry["name"]: entry for entry in visible_texts(kiosk.tablet)}

    assert texts["review-applicant_name"]["text"] is None
    assert texts["review-applicant_name"]["personal"] is True
    assert texts["submit-print"]["text"] == "記載内容に誤りはありません"
    for entry in texts.values():
        assert entry["font_px"] > 0
        assert entry["rect"][2] > 0
        assert entry["rect"][3] > 0
        assert entry["elided"] is False
    dumped = json.dumps(list(texts.values()), ensure_ascii=False)
    assert "花子" not in dumped
    assert "霞が関" not in dumped
