"""A Latin-letter on-screen keyboard for typing to the clerk on a tablet that has no keys.

Digits, the 26 letters in the QWERTY order most visitors know from a phone, a few marks,
space and delete. Emits ``changed(text)`` like :class:`~kiosk.ui.common.kana_keyboard.KanaKeyboard`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.common.touch_button import TouchButton

__all__ = ["LATIN_ROWS", "LatinKeyboard"]

LATIN_ROWS: tuple[str, ...] = ("1234567890", "QWERTYUIOP", "ASDFGHJKL?", "ZXCVBNM.,-")
SPACE, DELETE = "␣", "⌫"


class LatinKeyboard(QWidget):
    """Emits ``changed(text)`` as the visitor types; holds only the text being typed."""

    changed = Signal(str)

    def __init__(self, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.keys: dict[str, TouchButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(4)
        for row, letters in enumerate(LATIN_ROWS):
            for column, letter in enumerate(letters):
                self._key(grid, letter, target, row, column, 1)
        self._key(grid, SPACE, target, len(LATIN_ROWS), 0, 7)
        self._key(grid, DELETE, target, len(LATIN_ROWS), 7, 3)

    def _key(self, grid: QGridLayout, key: str, target: int, row: int, column: int,
             span: int) -> None:
        button = TouchButton(key, target=target, name=f"latin-{key}", role="kana")
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(button, row, column, 1, span)
        self.keys[key] = button

    def set_text(self, text: str) -> None:
        """Start from ``text``."""
        self.text = text
        self.changed.emit(self.text)

    def press(self, key: str) -> None:
        """Press one key by its label (what a tap does); letters go in lower case after the
        first letter of a sentence, as a phone does."""
        if key == DELETE:
            self.text = self.text[:-1]
        elif key == SPACE:
            self.text += " "
        elif key.isalpha() and self.text and not self.text.rstrip().endswith((".", "?")):
            self.text += key.lower()
        else:
            self.text += key
        self.changed.emit(self.text)
