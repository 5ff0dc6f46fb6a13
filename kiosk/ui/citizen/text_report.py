"""Every text a screen shows, where, how large, and whether it is drawn whole.

For ``kiosk tablet --report`` and the every-screen checks (tests/ui/citizen/test_every_screen):
object name, text, rectangle on the screen, font pixel size, and ``elided`` when the text does
not fit its room (cut, elided or clipped). Texts a screen marks as personal data (the label
property ``personal``) are never written: their text is ``null``.
"""

from __future__ import annotations

from PySide6.QtGui import QFontInfo, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui.common.touch_button import TouchButton

__all__ = ["is_personal", "visible_texts"]


def is_personal(widget: QWidget) -> bool:
    """Whether ``widget`` or a parent of it is marked as showing personal data."""
    current: QWidget | None = widget
    while current is not None:
        if current.property("personal"):
            return True
        current = current.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    """The widget's object name, or its nearest named parent's with the class appended."""
    if widget.objectName():
        return widget.objectName()
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    base = parent.objectName() if parent is not None else ""
    return f"{base}/{type(widget).__name__}"


def _label_elided(label: QLabel) -> bool:
    if label.wordWrap():
        return label.heightForWidth(label.width()) > label.height() + 1
    return label.sizeHint().width() > label.width() + 1


def _button_elided(button: QAbstractButton) -> bool:
    metrics = QFontMetrics(button.font())
    if isinstance(button, TouchButton):
        room = button.contentsRect().width()
        return any(metrics.horizontalAdvance(line) > room for line in button.displayed_lines())
    return button.sizeHint().width() > button.width() + 1


def visible_texts(root: QWidget) -> list[dict[str, object]]:
    """Each visible label and button with text under ``root``, in screen coordinates."""
    found: list[dict[str, object]] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisible() or \
                widget.visibleRegion().isEmpty():
            continue
        text = widget.text()
        if not text:
            continue
        elided = _label_elided(widget) if isinstance(widget, QLabel) else \
            _button_elided(widget)
        corner = widget.mapToGlobal(widget.rect().topLeft())
        personal = is_personal(widget)
        found.append({
            "name": _name(widget),
            "text": None if personal else text,
            "personal": personal,
            "lang": widget.property("lang") or "",
            "rect": [corner.x(), corner.y(), widget.width(), widget.height()],
            "font_px": QFontInfo(widget.font()).pixelSize(),
            "elided": elided,
        })
    return found
