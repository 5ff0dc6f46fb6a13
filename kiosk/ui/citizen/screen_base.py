"""What every citizen screen shares: rebuilt from the visit on each change, and speakable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from kiosk.services.visit import Visit
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["CitizenScreen", "Line"]

Line = tuple[str, bool]
"""A line of a screen's speakable script: its text and whether it is personal data."""


class CitizenScreen(QWidget):
    """A screen bound to a :class:`Visit`; :meth:`refresh` redraws it from the visit.

    Subclasses implement :meth:`build` (widgets from the visit's current state, in its
    language) and add every line they show to the script with :meth:`label`.
    """

    def __init__(self, visit: Visit, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit = visit
        self.target = target
        self._script: list[Line] = []
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(12)

    def refresh(self) -> None:
        """Drop the widgets and build them again from the visit."""
        _clear(self._layout)
        self._script = []
        self.build(self._layout)
        self._layout.addStretch(1)
        # The scroll area only learns the new minimum on a resize: at 200 % text a row wider
        # than the screen then scrolls sideways instead of squeezing (clipping) its buttons.
        self._layout.activate()
        self.setMinimumWidth(self._layout.minimumSize().width())

    def build(self, layout: QVBoxLayout) -> None:
        """Add this screen's widgets to ``layout``."""
        raise NotImplementedError

    def script(self) -> list[Line]:
        """What voice guidance reads for this screen: instructions, answers and errors."""
        return list(self._script)

    # ------------------------------------------------------------ helpers for subclasses
    def label(self, text: str, *, role: str = "", personal: bool = False, name: str = "",
              spoken: bool = True) -> QLabel:
        """A word-wrapped label, added to the script."""
        widget = QLabel(text, wordWrap=True)
        widget.setTextFormat(Qt.TextFormat.PlainText)
        if role:
            widget.setProperty("role", role)
        if name:
            widget.setObjectName(name)
        if spoken and text:
            self._script.append((text, personal))
        return widget

    def button(self, text: str, name: str, *, role: str = "", checkable: bool = False,
               checked: bool = False) -> TouchButton:
        """A touch button named ``name`` (what the pilot taps), added to the script."""
        widget = TouchButton(text, target=self.target, name=name, role=role)
        if checkable:
            widget.setCheckable(True)
            widget.setChecked(checked)
        self._script.append((text, False))
        return widget

    def speak_line(self, text: str, *, personal: bool = False) -> None:
        """Add a line to the script that is not drawn as a label of its own."""
        self._script.append((text, personal))


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        child = item.layout()
        if child is not None:
            _clear(child)
