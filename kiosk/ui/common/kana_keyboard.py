"""A 50音 (gojūon) kana keyboard for readings: the grid every Japanese school child knows.

Readings are stored in katakana; the keys show katakana because that is what the form prints.
Voiced marks (゛゜) and small kana modify the last letter, as on a phone's kana pad.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.common.touch_button import TouchButton

__all__ = ["KANA_ROWS", "KanaKeyboard", "apply_mark"]

# Columns of the 50音 table, read right to left on paper; here left to right (ア column first).
KANA_ROWS: tuple[str, ...] = (
    "アイウエオ", "カキクケコ", "サシスセソ", "タチツテト", "ナニヌネノ",
    "ハヒフヘホ", "マミムメモ", "ヤ　ユ　ヨ", "ラリルレロ", "ワ　ヲ　ン",
)
_DAKUTEN = dict(zip("カキクケコサシスセソタチツテトハヒフヘホウ",
                    "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ", strict=True))
_HANDAKUTEN = dict(zip("ハヒフヘホ", "パピプペポ", strict=True))
_SMALL = dict(zip("アイウエオツヤユヨワカケ", "ァィゥェォッャュョヮヵヶ", strict=True))
MARKS = ("゛", "゜", "小")


def apply_mark(text: str, mark: str) -> str:
    """``text`` with ``mark`` (゛ ゜ or 小) applied to its last letter; toggles back."""
    if not text:
        return text
    last = text[-1]
    tables = {"゛": _DAKUTEN, "゜": _HANDAKUTEN, "小": _SMALL}[mark]
    reverse = {v: k for k, v in tables.items()}
    replaced = tables.get(last) or reverse.get(last) or last
    return text[:-1] + replaced


class KanaKeyboard(QWidget):
    """Emits ``changed(text)`` as the citizen types; holds only the text being typed."""

    changed = Signal(str)

    def __init__(self, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.keys: dict[str, TouchButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(4)
        for column, row in enumerate(KANA_ROWS):
            for line, letter in enumerate(row):
                if letter == "　":
                    continue
                self._key(grid, letter, line, column, target)
        extras = [*MARKS, "ー", "␣", "⌫"]
        for column, key in enumerate(extras):
            self._key(grid, key, 5, column, target)

    def _key(self, grid: QGridLayout, key: str, row: int, column: int, target: int) -> None:
        button = TouchButton(key, target=target, name=f"kana-{key}", role="kana")
        button.clicked.connect(lambda _=False, k=key: self._on_key(k))
        grid.addWidget(button, row, column)
        self.keys[key] = button

    def set_text(self, text: str) -> None:
        """Start from ``text`` (e.g. an earlier answer)."""
        self.text = text
        self.changed.emit(self.text)

    def press(self, key: str) -> None:
        """Press one key by its label (what a tap does)."""
        self._on_key(key)

    def _on_key(self, key: str) -> None:
        if key == "⌫":
            self.text = self.text[:-1]
        elif key == "␣":
            self.text += "\u3000"   # family and given name are separated by U+3000
        elif key in MARKS:
            self.text = apply_mark(self.text, key)
        else:
            self.text += key
        self.changed.emit(self.text)
