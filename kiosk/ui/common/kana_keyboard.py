"""A 50音 (gojūon) kana keyboard for readings: the grid every Japanese school child knows.

Readings are stored in katakana; the keys show katakana because that is what the form prints.
Voiced marks (゛゜) and small kana modify the last letter, as on a phone's kana pad.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.common.touch_button import TouchButton

__all__ = ["KANA_ROWS", "KanaKeyboard", "KeyGrid", "apply_mark"]

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


class KeyGrid(QWidget):
    """An on-screen keyboard: emits ``changed(text)`` as the visitor types and holds only
    the text being typed. Subclasses lay out their keys with :meth:`add_key` and interpret
    them in :meth:`press`."""

    changed = Signal(str)

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.keys: dict[str, TouchButton] = {}
        self._prefix = prefix
        self.grid = QGridLayout(self)
        self.grid.setSpacing(4)

    def add_key(self, key: str, target: int, row: int, column: int, span: int = 1) -> None:
        """A key labelled ``key``, named ``<prefix>-<key>`` for the pilot."""
        button = TouchButton(key, target=target, name=f"{self._prefix}-{key}", role="kana")
        # One glyph per key: the finger target is the key's width, not the padding a label
        # gets. With it, ten columns were wider than a 10-inch tablet held upright and the
        # page scrolled sideways under the typing finger.
        button.setMinimumWidth(target)
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        self.grid.addWidget(button, row, column, 1, span)
        self.keys[key] = button

    def set_text(self, text: str) -> None:
        """Start from ``text`` (e.g. an earlier answer)."""
        self.text = text
        self.changed.emit(self.text)

    def press(self, key: str) -> None:
        """Press one key by its label (what a tap does)."""
        raise NotImplementedError


class KanaKeyboard(KeyGrid):
    """The 50音 grid with voiced marks, small kana, long vowel, space and delete."""

    def __init__(self, target: int, parent: QWidget | None = None) -> None:
        super().__init__("kana", parent)
        for column, row in enumerate(KANA_ROWS):
            for line, letter in enumerate(row):
                if letter == "　":
                    continue
                self.add_key(letter, target, line, column)
        extras = [*MARKS, "ー", "␣", "⌫"]
        for column, key in enumerate(extras):
            self.add_key(key, target, 5, column)

    def press(self, key: str) -> None:
        """Press one key by its label (what a tap does)."""
        if key == "⌫":
            self.text = self.text[:-1]
        elif key == "␣":
            self.text += "\u3000"   # family and given name are separated by U+3000
        elif key in MARKS:
            self.text = apply_mark(self.text, key)
        else:
            self.text += key
        self.changed.emit(self.text)
