"""Finds text a person cannot read whole on a shown widget: elided, cut off, or clipped.

Used over the clerk's panels: every label, button, line edit, combo box, table header and
table cell that is visible is measured with its font against the room it has on screen.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

__all__ = ["clipped_texts"]


def _visible(root: QWidget, kind: type) -> list:
    return [w for w in root.findChildren(kind) if w.isVisibleTo(root) and w.width() > 0]


def _labels(root: QWidget) -> list[str]:
    found = []
    for label in _visible(root, QLabel):
        text = label.text()
        if not text:
            continue
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height() + 1:
                found.append(f"label {text!r}: needs {label.heightForWidth(label.width())}px "
                             f"of height, has {label.height()}")
        elif label.sizeHint().width() > label.width() + 1:
            found.append(f"label {text!r}: needs {label.sizeHint().width()}px, "
                         f"has {label.width()}")
    return found


def _inputs(root: QWidget) -> list[str]:
    found = []
    for button in _visible(root, QAbstractButton):
        if button.text() and button.sizeHint().width() > button.width() + 1:
            found.append(f"button {button.text()!r}: needs {button.sizeHint().width()}px, "
                         f"has {button.width()}")
    for edit in _visible(root, QLineEdit):
        shown = edit.text() or edit.placeholderText()
        room = edit.contentsRect().width() - 8          # the frame's text margins
        if shown and QFontMetrics(edit.font()).horizontalAdvance(shown) > room:
            found.append(f"line edit {shown!r}: cut off")
    for combo in _visible(root, QComboBox):
        text = combo.currentText()
        room = combo.contentsRect().width() - 40        # the arrow and the frame
        if text and QFontMetrics(combo.font()).horizontalAdvance(text) > room:
            found.append(f"combo box {text!r}: cut off")
    return found


def _tables(root: QWidget) -> list[str]:
    found = []
    for table in _visible(root, QTableView):
        model, header = table.model(), table.horizontalHeader()
        for column in range(model.columnCount()):
            if table.isColumnHidden(column):
                continue
            needed = header.sectionSizeFromContents(column).width()
            if needed > header.sectionSize(column) + 1:
                title = model.headerData(column, header.orientation())
                found.append(f"header {title!r}: needs {needed}px, has "
                             f"{header.sectionSize(column)}")
        for row in range(model.rowCount()):
            # The height the row's wrapped cells need at their columns' widths; a shorter
            # row elides its last line.
            needed = table.sizeHintForRow(row)
            if needed > table.rowHeight(row) + 1:
                texts = [str(model.index(row, c).data()) for c in range(model.columnCount())]
                found.append(f"row {texts!r}: needs {needed}px, has {table.rowHeight(row)}")
            if not table.wordWrap():
                for column in range(model.columnCount()):
                    width = table.sizeHintForIndex(model.index(row, column)).width()
                    if width > table.columnWidth(column) + 1:
                        found.append(f"cell {model.index(row, column).data()!r}: cut off")
    return found


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible text under ``root`` that is not shown whole (empty: all readable)."""
    return [*_labels(root), *_inputs(root), *_tables(root)]
