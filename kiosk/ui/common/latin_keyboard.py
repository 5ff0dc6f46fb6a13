"""A Latin-letter on-screen keyboard for typing to the clerk on a tablet that has no keys.

Digits, the 26 letters in the QWERTY order most visitors know from a phone, a few marks,
space and delete. Emits ``changed(text)`` like :class:`~kiosk.ui.common.kana_keyboard.KanaKeyboard`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.common.kana_keyboard import KeyGrid

__all__ = ["LATIN_ROWS", "LatinKeyboard"]

LATIN_ROWS: tuple[str, ...] = ("1234567890", "QWERTYUIOP", "ASDFGHJKL?", "ZXCVBNM.,-")
SPACE, DELETE = "␣", "⌫"


class LatinKeyboard(KeyGrid):
    """Digits, QWERTY letters, a few marks, space and delete."""

    def __init__(self, target: int, parent: QWidget | None = None) -> None:
        super().__init__("latin", parent)
        for row, letters in enumerate(LATIN_ROWS):
            for column, letter in enumerate(letters):
                self.add_key(letter, target, row, column)
        self.add_key(SPACE, target, len(LATIN_ROWS), 0, 7)
        self.add_key(DELETE, target, len(LATIN_ROWS), 7, 3)

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
