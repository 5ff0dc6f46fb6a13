"""The kiosk's own sentence splitting (argostranslate's would download a model)."""

from __future__ import annotations

import pytest

from devices.translation.sentences import split_sentences


@pytest.mark.parametrize(("text", "sentences"), [
    ("住民票の写しをください。印鑑はお持ちですか？はい",
     ["住民票の写しをください。", "印鑑はお持ちですか？", "はい"]),
    ("「はい。」次の方どうぞ！", ["「はい。」", "次の方どうぞ！"]),
    ("Hello Mr. Sato. The fee is 3.5 dollars! OK?",
     ["Hello Mr. Sato.", "The fee is 3.5 dollars!", "OK?"]),
    ("See www.city.tome.miyagi.jp for details.", ["See www.city.tome.miyagi.jp for details."]),
    ("Xin chào. Cảm ơn bạn!", ["Xin chào.", "Cảm ơn bạn!"]),
    ("请稍等。谢谢！", ["请稍等。", "谢谢！"]),
    ("कृपया पर्खनुहोस्। धन्यवाद।", ["कृपया पर्खनुहोस्।", "धन्यवाद।"]),
    ("กรุณารอสักครู่\nขอบคุณ", ["กรุณารอสักครู่", "ขอบคุณ"]),
    ("  \n ", []),
    ("one line without end", ["one line without end"]),
])
def test_split_sentences__text__sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
