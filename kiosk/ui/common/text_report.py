"""Every text a window shows, where, how large, and whether it is drawn whole.

For the ``--report`` of the tablet, the clerk desktop and the board, and the every-screen
checks (tests/ui/citizen/test_every_screen, tests/ui/clerk/test_desk_texts): object name, text,
rectangle on the screen, font pixel size, and ``elided`` when the text does not fit its room
(cut, elided or clipped). Labels and buttons are listed, and the cells and header sections of
tables and lists (the clerk's review, queue and audit tables) in view. Texts a window marks as
personal data (the property ``personal`` on the widget or a parent of it: a label, a whole
table) are never written: their text is ``null``. A text's language (``lang``) is the
property ``lang`` of its widget, or a cell's :data:`LANG_ROLE` data (``zxx``: no language, as
a file holds it).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QStyle,
    QTableView,
    QWidget,
)

from kiosk.ui.common.flowing_cells import FlowingDelegate
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["LANG_ROLE", "is_personal", "visible_texts"]

LANG_ROLE = Qt.ItemDataRole.UserRole + 0x4C41     # a cell's language, as the property lang


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


def _text_elided(text: str, font: QFont, room: QRect, wrap: bool) -> bool:
    """Whether ``text`` in ``font`` overflows ``room`` (wrapped at word breaks or not)."""
    metrics = QFontMetrics(font)
    if wrap:
        needed = metrics.boundingRect(QRect(0, 0, room.width(), 1_000_000),
                                      int(Qt.TextFlag.TextWordWrap), text)
        return needed.width() > room.width() + 1 or needed.height() > room.height() + 1
    width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return width > room.width() + 1 or \
        metrics.lineSpacing() * (text.count("\n") + 1) > room.height() + metrics.leading() + 1


def _cell_margin(view: QWidget) -> int:
    """Room an item view's delegate keeps beside a cell's text: the focus frame's margin and
    a pixel, on both sides (as Qt's styles draw it)."""
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view)
                + 1)


def _entry(widget: QWidget, name: str, text: str, rect: QRect, font: QFont,
           elided: bool, lang: str = "") -> dict[str, object]:
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


def _cell_texts(view: QAbstractItemView) -> list[dict[str, object]]:
    """The cells of ``view`` in sight (a cell scrolled out of view is not shown, so not
    clipped): each as an entry named after the view, ``/row,column``."""
    model = view.model()
    viewport = view.viewport()
    sight = viewport.rect()
    wrap = view.wordWrap() if isinstance(view, QTableView | QListView) else False
    found = []
    top = QModelIndex()
    # A list's model keeps its column count private: a list has the one.
    columns = 1 if isinstance(view, QListView) else model.columnCount(top)
    for row in range(model.rowCount(top)):
        for column in range(columns):
            index = model.index(row, column, top)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            rect = view.visualRect(index)
            if not text or not rect.intersects(sight) or rect.isEmpty():
                continue
            room = rect.adjusted(0, 0, -_cell_margin(view), 0)
            # Cut by the viewport's edge counts too: the clerk cannot read that part without
            # scrolling sideways or resizing.
            cut = rect.right() > sight.right() + 1 and column == columns - 1
            font = view.font()
            # A cell drawn in lines of its own (between a usage record's fields) is measured
            # as drawn.
            delegate = view.itemDelegateForIndex(index)
            drawn = (delegate.displayed_text(index, font)
                     if isinstance(delegate, FlowingDelegate) else None)
            found.append(_entry(viewport, f"{_name(view)}/{row},{column}", text, rect, font,
                                cut or _text_elided(drawn or text, font, room, wrap),
                                str(index.data(LANG_ROLE) or "")))
    return found


def _header_texts(header: QHeaderView) -> list[dict[str, object]]:
    """The sections of a table's visible header: each named after the table, ``/header,N``."""
    model = header.model()
    if model is None or not header.isVisible():
        return []
    found = []
    horizontal = header.orientation() is Qt.Orientation.Horizontal
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation(),
                                    Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            continue
        start, size = header.sectionViewportPosition(section), header.sectionSize(section)
        rect = QRect(start, 0, size, header.height()) if horizontal else \
            QRect(0, start, header.width(), size)
        if not rect.intersects(header.rect()):
            continue
        # The style's header margin, both sides (Qt sizes a section to contents the same way).
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        room = rect.adjusted(0, 0, -2 * margin, 0)
        owner = header.parentWidget() or header
        found.append(_entry(header, f"{_name(owner)}/header,{section}", text, rect,
                            header.font(), _text_elided(text, header.font(), room, False)))
    return found


def visible_texts(root: QWidget) -> list[dict[str, object]]:
    """Each visible label, button, table or list cell and header section with text under
    ``root``, in screen coordinates."""
    found: list[dict[str, object]] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.visibleRegion().isEmpty():
            continue
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            # An open combo box's list is drawn by the combo's menu delegate, wider than the
            # cells it reports: the combo box is measured where it shows its choice.
            if not isinstance(widget.parentWidget(), QComboBox) and \
                    not isinstance(widget.window().parentWidget(), QComboBox):
                found.extend(_cell_texts(widget))
            continue
        if isinstance(widget, QHeaderView):
            found.extend(_header_texts(widget))
            continue
        if not isinstance(widget, QLabel | QAbstractButton):
            continue
        text = widget.text()
        if not text:
            continue
        elided = _label_elided(widget) if isinstance(widget, QLabel) else \
            _button_elided(widget)
        found.append(_entry(widget, _name(widget), text, widget.rect(), widget.font(), elided))
    return found
