"""Every text a window shows, where, how large, and whether it is drawn whole.

For the ``--report`` of the tablet, the clerk desktop and the board, and the every-screen
checks (tests/ui/citizen/test_every_screen, tests/ui/clerk/test_desk_texts): object name, text,
rectangle on the screen, font pixel size, and ``elided`` when the text does not fit its room
(cut, elided or clipped). Labels and buttons are listed, and the cells and header sections of
tables and lists (the clerk's review, queue and audit tables) in view. Texts a window marks as
personal data (the property ``personal`` on the widget or a parent of it: a label, a whole
table) are never written: their text is ``null``. A text's language (``lang``) is the
property ``lang`` of its widget, or a cell's :data:`~kiosk.ui.common.cell_report.LANG_ROLE`
data (``zxx``: no language, as a file holds it).

Item views (cells and header sections) are measured by :mod:`kiosk.ui.common.cell_report`,
imported when a window has one: the tablet's start-up Welcome is reported before its first
paint, and the views' classes and Qt's enums cost it milliseconds it has none of.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui.common.touch_button import TouchButton

__all__ = ["entry", "is_personal", "visible_texts", "widget_name"]


def is_personal(widget: QWidget) -> bool:
    """Whether ``widget`` or a parent of it is marked as showing personal data."""
    current: QWidget | None = widget
    while current is not None:
        if current.property("personal"):
            return True
        current = current.parentWidget()
    return False


def widget_name(widget: QWidget) -> str:
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


def entry(widget: QWidget, name: str, text: str, rect: QRect, font: QFont,
          elided: bool, lang: str = "") -> dict[str, object]:
    """One text's entry of the report; a personal one without its text."""
    corner = widget.mapToGlobal(rect.topLeft())
    personal = is_personal(widget)
    return {
        "name": name,
        "text": None if personal else text,
        "personal": personal,
        "lang": lang or widget.property("lang") or "",
        "rect": [corner.x(), corner.y(), rect.width(), rect.height()],
        "font_px": QFontInfo(font).pixelSize(),
        "elided": elided,
    }


def visible_texts(root: QWidget) -> list[dict[str, object]]:
    """Each visible label, button, table or list cell and header section with text under
    ``root``, in screen coordinates."""
    found: list[dict[str, object]] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.visibleRegion().isEmpty():
            continue
        # Asked of Qt by class name: the item views' Python classes are not loaded for this.
        if widget.inherits("QAbstractItemView"):
            from kiosk.ui.common.cell_report import view_texts  # noqa: PLC0415

            found.extend(view_texts(widget))
            continue
        if not isinstance(widget, QLabel | QAbstractButton):
            continue
        text = widget.text()
        if not text:
            continue
        elided = _label_elided(widget) if isinstance(widget, QLabel) else \
            _button_elided(widget)
        found.append(entry(widget, widget_name(widget), text, widget.rect(), widget.font(), elided))
    return found
