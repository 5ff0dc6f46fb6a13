"""Table cells made of short parts (a usage record's ``label：value`` fields) that wrap between
the parts, not inside one.

Japanese may break between any two characters, so a wrapped cell of fields read ``理由：な``
over ``し``. A cell that holds its parts in :data:`PARTS_ROLE` is drawn by
:class:`FlowingDelegate` with the parts laid out in lines that fit the column (a part wider
than the column alone on its line, wrapped there). Its display text stays the parts joined
by an ideographic space, for reports and copying; the text checks measure what is drawn
(:func:`kiosk.ui.common.text_report.visible_texts` asks :meth:`FlowingDelegate.displayed_text`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

__all__ = ["PARTS_ROLE", "SEPARATOR", "FlowingDelegate", "flowed"]

PARTS_ROLE = Qt.ItemDataRole.UserRole + 0x5054     # the cell's parts (a list of str)
SEPARATOR = "\u3000"                                # between two parts on one line


def flowed(parts: Sequence[str], font: QFont, width: float) -> str:
    """``parts`` in lines of at most ``width`` pixels in ``font``, a part never split (one
    wider than ``width`` stands alone on its line)."""
    metrics = QFontMetricsF(font)
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}{SEPARATOR}{part}" if lines else part
        if lines and metrics.horizontalAdvance(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return "\n".join(lines)


class FlowingDelegate(QStyledItemDelegate):
    """Draws (and sizes) the cells of ``view`` that have :data:`PARTS_ROLE` as their parts in
    fitting lines."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def displayed_text(self, index: QModelIndex | QPersistentModelIndex,
                       font: QFont) -> str | None:
        """The text drawn in the cell ``index`` (lines apart by ``\\n``); ``None`` for a cell
        without parts."""
        parts = index.data(PARTS_ROLE)
        return flowed(parts, font, self._room(index.column())) if parts else None

    def _room(self, column: int) -> int:
        """The width a cell of ``column`` has for its text when drawn: the column less its
        grid line, less the focus frame's margin and a pixel each side, as Qt's styles draw
        an item's text. (The size a row asks for is measured a grid line wider: the lines are
        the same as drawn, with a pixel to spare.)"""
        view = self._view
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                          view) + 1
        return view.columnWidth(column) - (1 if view.showGrid() else 0) - 2 * margin

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        """The cell's text as drawn, for painting and for the row's height alike."""
        super().initStyleOption(option, index)
        if not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
            return
        text = self.displayed_text(index, option.font)
        if text is not None:
            # As Qt's own display text: a view item's layout breaks lines at U+2028 only.
            option.text = text.replace("\n", "\u2028")
