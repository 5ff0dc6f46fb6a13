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
    # Japanese quotes: 。 inside 「」『』 does not split; a quoting particle keeps 。」 attached.
    ("「住民票です。手数料は三百円です。」と言われました。次の方どうぞ。",
     ["「住民票です。手数料は三百円です。」と言われました。", "次の方どうぞ。"]),
    ("「はい。」って言いました。", ["「はい。」って言いました。"]),
    ("『本人確認。署名。』をご用意ください。", ["『本人確認。署名。』をご用意ください。"]),
    ("「閉じていません。次です。", ["「閉じていません。", "次です。"]),   # unbalanced: ignored
    # Thai: a space after a sentence-final particle ends a sentence; other spaces do not.
    ("กรุณารอสักครู่นะคะ ขอบคุณค่ะ", ["กรุณารอสักครู่นะคะ", "ขอบคุณค่ะ"]),
    ("ค่าธรรมเนียม 300 บาทครับ มีบัตรไหม", ["ค่าธรรมเนียม 300 บาทครับ", "มีบัตรไหม"]),
    ("กรุณากรอกชื่อ และที่อยู่", ["กรุณากรอกชื่อ และที่อยู่"]),
    ("ขอบคุณครับ Mr. Sato", ["ขอบคุณครับ Mr. Sato"]),
    ("  \n ", []),
    ("one line without end", ["one line without end"]),
])
def test_split_sentences__text__sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
