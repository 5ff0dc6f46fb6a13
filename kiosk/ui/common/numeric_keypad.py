"""A large numeric keypad (phone numbers, copies, 番地) and the masked PIN pad built on it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.common.tokens import SIZES, SPACE, scaled_target
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["NumericKeypad", "PinPad"]

_LAYOUT = ("123", "456", "789")


class NumericKeypad(QWidget):
    """Digits 0-9, backspace and an optional extra key (``-`` for 番地); emits ``changed``."""

    changed = Signal(str)

    def __init__(self, target: int, *, extra: str = "", max_length: int = 20,
                 key_mm: float = SIZES.key_height_mm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key_height = scaled_target(target, key_mm)
        self.text = ""
        self.max_length = max_length
        self.keys: dict[str, TouchButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(SPACE.m)
        for row, digits in enumerate(_LAYOUT):
            for column, digit in enumerate(digits):
                self._key(grid, digit, row, column, target)
        if extra:
            self._key(grid, extra, 3, 0, target)
        self._key(grid, "0", 3, 1, target)
        self._key(grid, "⌫", 3, 2, target)

    def _key(self, grid: QGridLayout, key: str, row: int, column: int, target: int) -> None:
        # Digits large and keys 20 mm high, like the certificate machine's pad; ⌫ and the
        # extra key are function keys (grey), so the digits stand out.
        role = "key" if key.isdigit() else "function"
        button = TouchButton(key, target=target, name=f"key-{key}", role=role)
        button.setMinimumHeight(self._key_height)
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(button, row, column)
        self.keys[key] = button

    def set_text(self, text: str) -> None:
        """Start from ``text``."""
        self.text = text[: self.max_length]
        self._notify()

    def press(self, key: str) -> None:
        """Press a key by its label (what a tap does)."""
        if key == "⌫":
            self.text = self.text[:-1]
        elif len(self.text) < self.max_length:
            self.text += key
        self._notify()

    def clear(self) -> None:
        """Forget what was typed."""
        self.text = ""
        self._notify()

    def _notify(self) -> None:
        self.changed.emit(self.text)


class PinPad(NumericKeypad):
    """A 4-digit PIN pad: it emits only the count of digits (for the ●●○○ display).

    The digits stay in this widget until :meth:`take_pin` hands them over once and forgets them;
    no signal, log or speech ever carries them.
    """

    count_changed = Signal(int)

    def __init__(self, target: int, length: int = 4, key_mm: float = SIZES.key_height_mm,
                 parent: QWidget | None = None) -> None:
        super().__init__(target, max_length=length, key_mm=key_mm, parent=parent)

    def _notify(self) -> None:
        # Only the count leaves the pad: ``changed`` is never emitted with PIN digits.
        self.count_changed.emit(len(self.text))

    def masked(self) -> str:
        """●●○○: how many digits are typed, never which."""
        return "●" * len(self.text) + "○" * (self.max_length - len(self.text))

    def take_pin(self) -> str:
        """The PIN typed, handed over once: the pad forgets it."""
        pin, self.text = self.text, ""
        self._notify()
        return pin
