"""The texts of item views for :mod:`kiosk.ui.common.text_report`: the cells in sight and the
header sections of the clerk's tables and lists, each with its place, size and whether it is
cut. Apart so that a window without a view (the tablet's start-up Welcome) reports without
loading the views' classes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QListView,
    QStyle,
    QTableView,
    QWidget,
)

from kiosk.ui.common.flowing_cells import FlowingDelegate
from kiosk.ui.common.text_report import entry, widget_name

__all__ = ["LANG_ROLE", "view_texts"]

LANG_ROLE = Qt.ItemDataRole.UserRole + 0x4C41     # a cell's language, as the property lang


def view_texts(view: QWidget) -> list[dict[str, object]]:
    """The texts an item view shows: a header's sections, or a view's cells in sight."""
    if isinstance(view, QHeaderView):
        return _header_texts(view)
    # An open combo box's list is drawn by the combo's menu delegate, wider than the cells
    # it reports: the combo box is measured where it shows its choice.
    if not isinstance(view, QAbstractItemView) or isinstance(view.parentWidget(), QComboBox) \
            or isinstance(view.window().parentWidget(), QComboBox):
        return []
    return _cell_texts(view)


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
            found.append(entry(viewport, f"{widget_name(view)}/{row},{column}", text, rect, font,
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
        found.append(entry(header, f"{widget_name(owner)}/header,{section}", text, rect,
                            header.font(), _text_elided(text, header.font(), room, False)))
    return found
